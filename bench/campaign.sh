#!/usr/bin/env bash
# Campaign benchmark: authenticated GET /api/challenges/ (60 levels with the caller's progress: the
# route verifies the token, checks the login, reads the player's progress and renders the list)
# on clash-host with SQLite and with PostgreSQL, against nginx serving the same response bytes from
# a file, at each connection count; then judged submissions through POST .../submit/
# (bench/campaign_submit.py). Prints req/s, p99, errors, non-2xx, the ratio to nginx and the
# server's CPU time per request. Not run in CI.
#   bench/campaign.sh [DURATION_SECONDS=10] [CONNECTIONS="32 256"]
# CLASH_BUILD_DIR (default build-bench) is built with tests off unless CLASH_BENCH_NO_BUILD=1 and
# its clash-host exists; CLASH_HOST_BIN names a clash-host to use instead.
# Target (issue 12): >= 0.5 of nginx at c32 and c256 on both backends.
# Everything it starts (clash-host, nginx, PostgreSQL) is stopped on exit, on error and on Ctrl-C.
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."
ROOT="$PWD"
DURATION="${1:-10}"
CONN_LIST="${2:-32 256}"
THREADS=2
BUILD_DIR="${CLASH_BUILD_DIR:-build-bench}"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

if [ -n "${CLASH_HOST_BIN:-}" ]; then  # a clash-host built elsewhere
  HOST_BIN="$CLASH_HOST_BIN"
else
  if [ "${CLASH_BENCH_NO_BUILD:-0}" != 1 ] || [ ! -x "$BUILD_DIR/host/clash-host" ]; then
    CLASH_BUILD_DIR="$BUILD_DIR" scripts/build.sh --target clash-host -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCLASH_BUILD_TESTS=OFF -DCLASH_BUILD_PYTHON=OFF -DCLASH_BUILD_EXAMPLES=OFF \
      >"${TMPDIR:-/tmp}/clash-bench-build.log" || { tail -30 "${TMPDIR:-/tmp}/clash-bench-build.log"; exit 1; }
  fi
  HOST_BIN="$ROOT/$BUILD_DIR/host/clash-host"
fi

WORK="$(mktemp -d /tmp/clash-campaign-bench.XXXXXX)"
chmod 755 "$WORK"
PIDS=()
cleanup() {
  [ "$BASHPID" = "$$" ] || return 0
  trap - EXIT INT TERM
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  scripts/pg-stop.sh "$WORK/pg" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck source=bench/lib/nginx.sh
source bench/lib/nginx.sh

start_host() {  # NAME storage-url: starts clash-host, sets ${NAME}_PORT, ${NAME}_PID, ${NAME}_TOKEN
  local name="$1" url="$2" port token
  port="$(free_port)"
  "$HOST_BIN" load-levels --storage "$url" --data-dir "$WORK/data-$name" >/dev/null 2>&1
  "$HOST_BIN" serve --storage "$url" --port "$port" --access-log=false --log-level=warn --rate-limits=false \
    --submit-judging=wait --max-queued=16384 --data-dir "$WORK/data-$name" >"$WORK/host-$name.out" 2>&1 &
  PIDS+=($!)
  printf -v "${name}_PORT" '%s' "$port"
  printf -v "${name}_PID" '%s' "$!"
  wait_http "http://127.0.0.1:$port/health/"
  token="$(/usr/bin/python3 bench/campaign_player.py "$port" "$WORK/data-$name" 3)"
  printf -v "${name}_TOKEN" '%s' "$token"
}

PG_URL="$(scripts/pg-start.sh "$WORK/pg")"
start_host SQLITE "sqlite://$WORK/bench.db"
start_host PG "$PG_URL"

# nginx serves the exact bytes clash-host returns to the SQLite player.
mkdir -p "$WORK/www/api/challenges"
curl -sf -H "Authorization: Bearer $SQLITE_TOKEN" "http://127.0.0.1:$SQLITE_PORT/api/challenges/" \
  >"$WORK/www/api/challenges/index.json"
BYTES=$(stat -c %s "$WORK/www/api/challenges/index.json")
grep -q '"status":"COMPLETED"' "$WORK/www/api/challenges/index.json"  # the player's progress is in it
start_nginx /api/challenges/ /api/challenges/

run_wrk() {  # name port conns token pids... -> "name rps p99 errors non2xx cpu_us_per_request"
  local name="$1" port="$2" conns="$3" token="$4" out rps p99 errors non2xx t0 t1 n
  shift 4
  local hdr=()
  [ -n "$token" ] && hdr=(-H "Authorization: Bearer $token")
  t0="$(cpu_ticks "$@")"
  out="$(wrk -t"$THREADS" -c"$conns" -d"${DURATION}s" --timeout 10s --latency "${hdr[@]}" "http://127.0.0.1:$port/api/challenges/")"
  t1="$(cpu_ticks "$@")"
  n="$(awk '/requests in/ {print $1}' <<<"$out")"
  rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
  p99="$(awk '$1=="99%" {print $2}' <<<"$out")"
  errors="$(awk '/Socket errors/ {gsub(",", ""); print $4+$6+$8+$10}' <<<"$out")"
  non2xx="$(awk '/Non-2xx/ {print $NF}' <<<"$out")"
  echo "$name $rps $p99 ${errors:-0} ${non2xx:-0} $(awk -v a="$t0" -v b="$t1" -v n="$n" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", (b - a) * 1e6 / hz / n}')"
}

machine_line
echo "authenticated GET /api/challenges/ ($BYTES bytes, 60 levels, 3 completed), wrk -t$THREADS -d${DURATION}s"
for conns in $CONN_LIST; do
  # shellcheck disable=SC2086
  NGINX="$(run_wrk nginx "$NGINX_PORT" "$conns" "" $NGINX_WORKERS)"
  SQLITE="$(run_wrk clash-sqlite "$SQLITE_PORT" "$conns" "$SQLITE_TOKEN" "$SQLITE_PID")"
  POSTGRES="$(run_wrk clash-postgres "$PG_PORT" "$conns" "$PG_TOKEN" "$PG_PID")"
  nginx_rps="$(awk '{print $2}' <<<"$NGINX")"
  echo "-- c$conns"
  printf '%-16s %12s %10s %8s %8s %8s %12s\n' server req/s p99 errors non-2xx ratio "CPU us/req"
  for line in "$NGINX" "$SQLITE" "$POSTGRES"; do
    read -r name rps p99 errors non2xx cpu <<<"$line"
    ratio="$(awk -v a="$rps" -v b="$nginx_rps" 'BEGIN {printf "%.2f", a / b}')"
    printf '%-16s %12s %10s %8s %8s %8s %12s\n' "$name" "$rps" "$p99" "$errors" "$non2xx" "$ratio" "$cpu"
  done
done

if [ "${CLASH_BENCH_SKIP_SUBMIT:-0}" != 1 ]; then  # CLASH_BENCH_SKIP_SUBMIT=1: the list only
  echo "-- judged submissions (SQLite host, 2 judge workers)"
  /usr/bin/python3 bench/campaign_submit.py "$SQLITE_PORT" "$SQLITE_TOKEN"
fi
