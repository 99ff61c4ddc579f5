"""clash-host backup / restore / check-data against real SQLite files and a real PostgreSQL."""
import sqlite3
import subprocess

import clash
from hostutil import Host, ScratchPostgres, host_binary, postgres_server_url


def run(*args):
    return subprocess.run([host_binary(), *args], capture_output=True, text=True, timeout=120)


def seed(url, data_dir, xp):
    with clash.open(url, data_dir=str(data_dir)) as engine:
        user = engine.auth.create_superuser("root", "root@example.com", "a long enough password")
        engine.ledger.apply(user.id, xp, "admin_adjustment", "seed", "seed-1")
        return user.id


def balance(url, data_dir, uid):
    with clash.open(url, data_dir=str(data_dir)) as engine:
        return engine.ledger.balance(uid)


def test_backup_while_serving_then_restore_brings_the_data_back(tmp_path):
    db, copy, data = tmp_path / "live.db", tmp_path / "backup.db", tmp_path / "data"
    url = f"sqlite://{db}"
    uid = seed(url, data, 40)
    host = Host(url, data_dir=str(data))  # the database stays in use during the backup
    try:
        done = run("backup", str(copy), "--storage", url)
        assert done.returncode == 0, done.stderr
        assert done.stdout == f"backup: {url} -> {copy}\n"
        status, _, _ = host.request("GET", "/health/")
        assert status == 200
    finally:
        host.stop()
    checked = run("check-data", "--storage", f"sqlite://{copy}", "--data-dir", str(data))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.splitlines()[-1] == "data ok"

    # Later changes are undone by the restore.
    with clash.open(url, data_dir=str(data)) as engine:
        engine.ledger.apply(uid, 25, "admin_adjustment", "later", "later-1")
    assert balance(url, data, uid) == 65
    done = run("restore", str(copy), "--storage", url)
    assert done.returncode == 0, done.stderr
    assert balance(url, data, uid) == 40


def test_backup_refuses_to_overwrite_and_restore_refuses_what_is_not_a_clash_backup(tmp_path):
    db, data = tmp_path / "live.db", tmp_path / "data"
    url = f"sqlite://{db}"
    uid = seed(url, data, 10)
    existing = tmp_path / "existing.db"
    existing.write_bytes(b"keep me")
    done = run("backup", str(existing), "--storage", url)
    assert done.returncode == 1
    assert "exists" in done.stderr
    assert existing.read_bytes() == b"keep me"

    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 100)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    for bad in (junk, other, tmp_path / "missing.db"):
        done = run("restore", str(bad), "--storage", url)
        assert done.returncode != 0, bad
        assert done.stderr.startswith("clash-host: "), done.stderr
    assert balance(url, data, uid) == 10  # untouched


def test_check_data_finds_a_balance_that_is_not_the_sum_of_its_entries(tmp_path):
    db, data = tmp_path / "live.db", tmp_path / "data"
    url = f"sqlite://{db}"
    uid = seed(url, data, 30)
    con = sqlite3.connect(db)
    con.execute("UPDATE wallets SET balance = balance + 7 WHERE user_id = ?", (uid,))
    con.commit()
    con.close()
    done = run("check-data", "--storage", url, "--data-dir", str(data))
    assert done.returncode == 1
    assert f"ledger: user {uid} has balance 37 but ledger entries summing to 30" in done.stdout
    assert done.stdout.splitlines()[-1] == "1 problem(s)"


def test_postgresql_points_at_pg_dump_and_checks_its_ledger(tmp_path):
    pg = ScratchPostgres(postgres_server_url())
    try:
        data = tmp_path / "data"
        seed(pg.url, data, 12)
        done = run("backup", str(tmp_path / "b.dump"), "--storage", pg.url)
        assert done.returncode == 1
        assert "pg_dump" in done.stderr
        done = run("check-data", "--storage", pg.url, "--data-dir", str(data))
        assert done.returncode == 0, done.stdout + done.stderr
        assert "storage: ok (postgresql)" in done.stdout
    finally:
        pg.close()
