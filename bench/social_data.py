#!/usr/bin/python3
"""Loads the social benchmark's data into a Clash database whose schema clash-host has created:
USERS players, FOLLOWS follows (each player follows FOLLOWS/USERS others, deterministic, no self
follows, counters kept in follow_counts as the library keeps them) and NOTIFICATIONS notifications
(spread over the players, one in three read), plus EXTRA notifications for one given user (the one
the benchmark signs in as). Everything is generated in SQL (recursive CTE / generate_series), so
one million rows load in seconds.

  bench/social_data.py sqlite:///tmp/x.db --users 100000 --follows 1000000 --notifications 1000000 \
      --recipient 1 --extra 200
  bench/social_data.py postgresql://postgres@127.0.0.1:5432/clash ...
"""
import argparse
import sqlite3
import subprocess
import sys

NOW_US = 1_800_000_000_000_000
# Offsets of the followed users: distinct and never a multiple of the user count (no self follows).
STEP = 9973


def series(dialect, name, n):
    """A CTE `name(v)` holding 1..n."""
    if dialect == "sqlite":
        return f"{name}(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM {name} WHERE v < {n})"
    return f"{name}(v) AS (SELECT generate_series(CAST(1 AS BIGINT), {n}))"


def statements(dialect, users, follows, notifications, recipient, extra):
    per_user = max(1, follows // users)
    bench = "u.email LIKE '%@bench.example'"
    return [
        # Players u1..uN after whatever exists (the signed-in user keeps its id).
        f"""WITH RECURSIVE {series(dialect, 's', users)}
            INSERT INTO users (username, email, first_name, bio, created_at)
            SELECT 'u' || s.v, 'u' || s.v || '@bench.example', 'Player ' || s.v, 'bench player', {NOW_US} - s.v * 1000000
            FROM s""",
        f"""WITH RECURSIVE {series(dialect, 'k', per_user)}
            INSERT INTO follows (follower_id, following_id, created_at)
            SELECT u.id, t.id, {NOW_US} - k.v * 1000
            FROM users u CROSS JOIN k
            JOIN users t ON t.username = 'u' || ((CAST(substr(u.username, 2) AS BIGINT) + k.v * {STEP} - 1) % {users} + 1)
            WHERE {bench}""",
        """INSERT INTO follow_counts (user_id, followers, following)
            SELECT u.id, (SELECT COUNT(*) FROM follows f WHERE f.following_id = u.id),
                   (SELECT COUNT(*) FROM follows f WHERE f.follower_id = u.id)
            FROM users u WHERE EXISTS (SELECT 1 FROM follows f WHERE f.following_id = u.id OR f.follower_id = u.id)""",
        f"""WITH RECURSIVE {series(dialect, 's', notifications)}
            INSERT INTO notifications (recipient_id, actor_id, verb, target_type, target_id, is_read, created_at)
            SELECT r.id, a.id, 'started following you', 'user', r.id, CASE WHEN s.v % 3 = 0 THEN 1 ELSE 0 END,
                   {NOW_US} - s.v * 1000
            FROM s JOIN users r ON r.username = 'u' || (s.v % {users} + 1)
            JOIN users a ON a.username = 'u' || ((s.v * 7) % {users} + 1)""",
        f"""WITH RECURSIVE {series(dialect, 's', extra)}
            INSERT INTO notifications (recipient_id, actor_id, verb, target_type, target_id, is_read, created_at)
            SELECT {recipient}, a.id, 'started following you', 'user', {recipient}, 0, {NOW_US} + s.v * 1000
            FROM s JOIN users a ON a.username = 'u' || s.v""",
    ]


def load_sqlite(path, stmts):
    db = sqlite3.connect(path)
    db.execute("PRAGMA foreign_keys = ON")
    for sql in stmts:
        db.execute(sql)
    db.commit()
    db.execute("ANALYZE")
    db.close()


def load_postgres(url, stmts):
    script = "BEGIN;\n" + ";\n".join(stmts) + ";\nCOMMIT;\nANALYZE;\n"
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", url], input=script, text=True, check=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("storage")
    ap.add_argument("--users", type=int, default=100_000)
    ap.add_argument("--follows", type=int, default=1_000_000)
    ap.add_argument("--notifications", type=int, default=1_000_000)
    ap.add_argument("--recipient", type=int, required=True, help="user id that gets --extra notifications")
    ap.add_argument("--extra", type=int, default=200)
    a = ap.parse_args()
    if a.storage.startswith("sqlite://"):
        load_sqlite(a.storage[len("sqlite://"):],
                    statements("sqlite", a.users, a.follows, a.notifications, a.recipient, a.extra))
    elif a.storage.startswith(("postgresql://", "postgres://")):
        load_postgres(a.storage, statements("postgresql", a.users, a.follows, a.notifications, a.recipient, a.extra))
    else:
        sys.exit("storage must be sqlite://PATH or postgresql://URL")


if __name__ == "__main__":
    main()
