#!/usr/bin/env bash
# HTTP benchmark: wrk against GET /api/challenges/ on clash-host with the SQLite default and with
# PostgreSQL, and against nginx serving the same response bytes from a file, in one run, at each
# connection count; then the memory of an idle keep-alive connection on clash-host and nginx.
# clash-static is clash-host serving the same bytes as a file from --web-root: the HTTP layer alone,
# without the route (which runs on the worker pool and renders the JSON each time).
# Prints req/s, p99, socket errors, non-2xx, the ratio to nginx, and the server's CPU time per
# request (the figure least moved by other load on the machine; PostgreSQL's own processes are not
# counted). Not run in CI.
#   bench/http.sh [DURATION_SECONDS=10] [CONNECTIONS="32 1000 5000"] [IDLE_CONNECTIONS=5000]
# CLASH_HOST_BIN: a clash-host to use instead of building one into build-bench/.
# Targets (issue 11): zero socket errors and >= 0.6 of nginx at c1000/c5000, >= 0.8 at c32, p99 at
# c1000 <= nginx's, <= 4 KiB per idle keep-alive connection.
# Everything it starts (clash-host, nginx, PostgreSQL) is stopped on exit, on error and on Ctrl-C.
set -euo pipefail
shopt -s inherit_errexit  # a failing command inside $(...) fails the script too
cd "$(dirname "$0")/.."
ROOT="$PWD"
DURATION="${1:-10}"
CONN_LIST="${2:-32 1000 5000}"
IDLE="${3:-5000}"
THREADS=2
BUILD_DIR="${CLASH_BUILD_DIR:-build-bench}"

# c5000 needs 5,000 client sockets in wrk and as many in each server.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 12000 ]; then
  echo "open-file limit $(ulimit -n) < 12000: raise the hard limit (ulimit -Hn)" >&2
  exit 1
fi

scripts/install-deps.sh >/dev/null
if [ -n "${CLASH_HOST_BIN:-}" ]; then  # a clash-host built elsewhere (RelWithDebInfo, for comparable figures)
  HOST_BIN="$CLASH_HOST_BIN"
else
  CLASH_BUILD_DIR="$BUILD_DIR" scripts/build.sh --target clash-host -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCLASH_BUILD_TESTS=OFF -DCLASH_BUILD_PYTHON=OFF -DCLASH_BUILD_EXAMPLES=OFF >"${TMPDIR:-/tmp}/clash-bench-build.log" || { tail -30 "${TMPDIR:-/tmp}/clash-bench-build.log"; exit 1; }
  HOST_BIN="$ROOT/$BUILD_DIR/host/clash-host"
fi

WORK="$(mktemp -d /tmp/clash-bench.XXXXXX)"
chmod 755 "$WORK"
PIDS=()  # filled in this shell (never in a $(...) subshell), so cleanup sees every one
cleanup() {
  [ "$BASHPID" = "$$" ] || return 0  # only the script itself, never a $(...) subshell that inherited the trap
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

start_host() {  # NAME storage-url: starts clash-host, sets ${NAME}_PORT and ${NAME}_PID
  local name="$1" url="$2" port
  port="$(free_port)"
  "$HOST_BIN" load-levels --storage "$url" >/dev/null 2>&1
  "$HOST_BIN" serve --storage "$url" --port "$port" --access-log=false --log-level=warn --rate-limits=false \
    --max-queued=16384 --data-dir "$WORK/data-$name" --web-root "$WORK/static" >"$WORK/host-$name.out" 2>&1 &
  PIDS+=($!)
  printf -v "${name}_PORT" '%s' "$port"
  printf -v "${name}_PID" '%s' "$!"
  wait_http "http://127.0.0.1:$port/health/"
}

mkdir -p "$WORK/static"  # clash-host serves the same bytes as a static file too (the HTTP layer alone)
PG_URL="$(scripts/pg-start.sh "$WORK/pg")"
start_host SQLITE "sqlite://$WORK/bench.db"
start_host PG "$PG_URL"

# nginx serves the exact bytes clash-host returns.
mkdir -p "$WORK/www/api/challenges"
curl -sf "http://127.0.0.1:$SQLITE_PORT/api/challenges/" >"$WORK/www/api/challenges/index.json"
BYTES=$(stat -c %s "$WORK/www/api/challenges/index.json")
cp "$WORK/www/api/challenges/index.json" "$WORK/static/challenges.json"
start_nginx /api/challenges/ /api/challenges/
cmp <(curl -sf "http://127.0.0.1:$NGINX_PORT/api/challenges/") "$WORK/www/api/challenges/index.json"

run_wrk() {  # name port conns path pids... -> "name rps p99 errors non2xx cpu_us_per_request"
  local name="$1" port="$2" conns="$3" path="$4" out rps p99 errors non2xx t0 t1 n
  shift 4
  t0="$(cpu_ticks "$@")"
  out="$(wrk -t"$THREADS" -c"$conns" -d"${DURATION}s" --timeout 10s --latency "http://127.0.0.1:$port$path")"
  t1="$(cpu_ticks "$@")"
  n="$(awk '/requests in/ {print $1}' <<<"$out")"
  rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
  p99="$(awk '$1=="99%" {print $2}' <<<"$out")"
  errors="$(awk '/Socket errors/ {gsub(",", ""); print $4+$6+$8+$10}' <<<"$out")"
  non2xx="$(awk '/Non-2xx/ {print $NF}' <<<"$out")"
  echo "$name $rps $p99 ${errors:-0} ${non2xx:-0} $(awk -v a="$t0" -v b="$t1" -v n="$n" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", (b - a) * 1e6 / hz / n}')"
}

machine_line
# Idle memory first, on processes that have not yet held thousands of connections (memory they
# freed would be reused and hide the cost).
echo "-- idle keep-alive connections ($IDLE each, RSS growth of fresh processes)"
# shellcheck disable=SC2086
echo "nginx:        $(/usr/bin/python3 bench/idle_conns.py "$NGINX_PORT" /api/challenges/ "$IDLE" $NGINX_WORKERS)"
echo "clash-sqlite: $(/usr/bin/python3 bench/idle_conns.py "$SQLITE_PORT" /api/challenges/ "$IDLE" "$SQLITE_PID")"
echo "GET /api/challenges/ ($BYTES bytes), wrk -t$THREADS -d${DURATION}s --timeout 10s"
for conns in $CONN_LIST; do
  # shellcheck disable=SC2086
  NGINX="$(run_wrk nginx "$NGINX_PORT" "$conns" /api/challenges/ $NGINX_WORKERS)"
  SQLITE="$(run_wrk clash-sqlite "$SQLITE_PORT" "$conns" /api/challenges/ "$SQLITE_PID")"
  POSTGRES="$(run_wrk clash-postgres "$PG_PORT" "$conns" /api/challenges/ "$PG_PID")"
  STATIC="$(run_wrk clash-static "$SQLITE_PORT" "$conns" /challenges.json "$SQLITE_PID")"
  nginx_rps="$(awk '{print $2}' <<<"$NGINX")"
  echo "-- c$conns"
  printf '%-16s %12s %10s %8s %8s %8s %12s\n' server req/s p99 errors non-2xx ratio "CPU us/req"
  for line in "$NGINX" "$SQLITE" "$POSTGRES" "$STATIC"; do
    read -r name rps p99 errors non2xx cpu <<<"$line"
    ratio="$(awk -v a="$rps" -v b="$nginx_rps" 'BEGIN {printf "%.2f", a / b}')"
    printf '%-16s %12s %10s %8s %8s %8s %12s\n' "$name" "$rps" "$p99" "$errors" "$non2xx" "$ratio" "$cpu"
  done
done

echo "clash-host threads after the runs: $(awk '/^Threads:/ {print $2}' "/proc/$SQLITE_PID/status") (sqlite), $(awk '/^Threads:/ {print $2}' "/proc/$PG_PID/status") (postgres)"
