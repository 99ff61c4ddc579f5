#!/usr/bin/env bash
# Economy benchmark (not run in CI): XP awards per second through the library (Ledger::Apply from
# 16 client threads, each award one transaction with its ledger entry, idempotency check and
# balance update), against `pgbench -N -c 16 -j 2 -T 20` on the same PostgreSQL server in the same
# run (fsync and synchronous_commit on for both), then the same award workload on a SQLite file.
# Prints awards/s, pgbench tps and the ratio. Targets: PostgreSQL ratio >= 0.6; SQLite >= 30,000/s.
#   bench/economy.sh [SECONDS=20] [CLIENTS=16]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
SECONDS_RUN="${1:-20}"
CLIENTS="${2:-16}"
BUILD_DIR="${CLASH_BUILD_DIR:-build-bench}"

scripts/install-deps.sh >/dev/null
CLASH_BUILD_DIR="$BUILD_DIR" scripts/build.sh --target clash-economy-bench -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCLASH_BUILD_TESTS=OFF -DCLASH_BUILD_PYTHON=OFF -DCLASH_BUILD_EXAMPLES=OFF \
  >"${TMPDIR:-/tmp}/clash-bench-build.log" || { tail -30 "${TMPDIR:-/tmp}/clash-bench-build.log"; exit 1; }
BENCH="$ROOT/$BUILD_DIR/bench/clash-economy-bench"

WORK="$(mktemp -d /tmp/clash-bench.XXXXXX)"
chmod 755 "$WORK"
cleanup() {
  scripts/pg-stop.sh "$WORK/pg" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

PG_URL="$(CLASH_PG_DURABLE=1 scripts/pg-start.sh "$WORK/pg")"
PG_PORT="$(cat "$WORK/pg/port")"
echo "== machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); PostgreSQL durable (fsync, synchronous_commit on)"

echo "== clash awards on PostgreSQL ($CLIENTS clients, ${SECONDS_RUN}s, pool $CLIENTS)"
psql_run() { psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres "$@"; }
psql_run -d postgres -c "CREATE DATABASE clash_bench" >/dev/null
CLASH_LINE="$("$BENCH" "postgresql://postgres@127.0.0.1:$PG_PORT/clash_bench?pool=$CLIENTS" "$CLIENTS" "$SECONDS_RUN")"
echo "   $CLASH_LINE"

echo "== pgbench -N -c $CLIENTS -j 2 -T $SECONDS_RUN (scale 10) on the same server"
psql_run -d postgres -c "CREATE DATABASE pgbench" >/dev/null
pgbench -i -q -s 10 -h 127.0.0.1 -p "$PG_PORT" -U postgres pgbench >/dev/null 2>&1
PGB_OUT="$(pgbench -N -c "$CLIENTS" -j 2 -T "$SECONDS_RUN" -h 127.0.0.1 -p "$PG_PORT" -U postgres pgbench 2>/dev/null)"
PGB_TPS="$(echo "$PGB_OUT" | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -n1)"
echo "   pgbench tps=$PGB_TPS"

echo "== clash awards on SQLite ($CLIENTS clients, ${SECONDS_RUN}s, WAL, synchronous=NORMAL)"
SQLITE_LINE="$("$BENCH" "sqlite://$WORK/bench.db" "$CLIENTS" "$SECONDS_RUN")"
echo "   $SQLITE_LINE"

PG_AWARDS="$(echo "$CLASH_LINE" | sed -n 's/^awards\/s=\([0-9]*\).*/\1/p')"
SQLITE_AWARDS="$(echo "$SQLITE_LINE" | sed -n 's/^awards\/s=\([0-9]*\).*/\1/p')"
/usr/bin/python3 - "$PG_AWARDS" "$PGB_TPS" "$SQLITE_AWARDS" <<'PY'
import sys
pg, pgb, lite = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
ratio = pg / pgb
print(f"== result: PostgreSQL {pg:.0f} awards/s vs pgbench -N {pgb:.0f} tps: ratio {ratio:.2f} (target >= 0.6: {'met' if ratio >= 0.6 else 'NOT met'})")
print(f"           SQLite {lite:.0f} awards/s (target >= 30000: {'met' if lite >= 30000 else 'NOT met'})")
PY
