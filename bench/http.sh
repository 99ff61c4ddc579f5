#!/usr/bin/env bash
# HTTP benchmark: wrk against GET /api/challenges/ on clash-host with the SQLite default and with
# PostgreSQL, and against nginx serving the same response bytes from a file, in one run.
# Prints req/s, p99 and the ratio to nginx (target: >= 0.5). Not run in CI.
#   bench/http.sh [DURATION_SECONDS=10] [CONNECTIONS=32]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
DURATION="${1:-10}"
CONNS="${2:-32}"
THREADS=2
BUILD_DIR="${CLASH_BUILD_DIR:-build-bench}"

scripts/install-deps.sh >/dev/null
CLASH_BUILD_DIR="$BUILD_DIR" scripts/build.sh --target clash-host -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCLASH_BUILD_TESTS=OFF -DCLASH_BUILD_PYTHON=OFF -DCLASH_BUILD_EXAMPLES=OFF >"${TMPDIR:-/tmp}/clash-bench-build.log" || { tail -30 "${TMPDIR:-/tmp}/clash-bench-build.log"; exit 1; }
HOST_BIN="$ROOT/$BUILD_DIR/host/clash-host"

WORK="$(mktemp -d /tmp/clash-bench.XXXXXX)"
chmod 755 "$WORK"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  scripts/pg-stop.sh "$WORK/pg" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start_host() {  # storage-url -> prints port
  local port; port="$(free_port)"
  "$HOST_BIN" load-levels --storage "$1" >/dev/null 2>&1
  "$HOST_BIN" serve --storage "$1" --port "$port" --access-log=false --log-level=warn --http-threads=64 \
    >"$WORK/host-$port.out" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/health/" >/dev/null && break; sleep 0.05; done
  echo "$port"
}

PG_URL="$(scripts/pg-start.sh "$WORK/pg")"
SQLITE_PORT="$(start_host "sqlite://$WORK/bench.db")"
PG_PORT="$(start_host "$PG_URL")"

# nginx serves the exact bytes clash-host returns.
mkdir -p "$WORK/www/api/challenges"
curl -sf "http://127.0.0.1:$SQLITE_PORT/api/challenges/" >"$WORK/www/api/challenges/index.json"
BYTES=$(stat -c %s "$WORK/www/api/challenges/index.json")
NGINX_PORT="$(free_port)"
cat >"$WORK/nginx.conf" <<CONF
worker_processes 2;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx-tmp;
  proxy_temp_path $WORK/nginx-tmp;
  fastcgi_temp_path $WORK/nginx-tmp;
  uwsgi_temp_path $WORK/nginx-tmp;
  scgi_temp_path $WORK/nginx-tmp;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/www;
    location /api/challenges/ { default_type application/json; index index.json; }
  }
}
CONF
mkdir -p "$WORK/nginx-tmp"
nginx -c "$WORK/nginx.conf"
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$NGINX_PORT/api/challenges/" >/dev/null && break; sleep 0.05; done
cmp <(curl -sf "http://127.0.0.1:$NGINX_PORT/api/challenges/") "$WORK/www/api/challenges/index.json"

run_wrk() {  # name port -> "name rps p99"
  local out
  out="$(wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency "http://127.0.0.1:$2/api/challenges/")"
  local rps p99 errors
  rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
  p99="$(awk '$1=="99%" {print $2}' <<<"$out")"
  errors="$(grep -E 'Non-2xx|Socket errors' <<<"$out" || true)"
  echo "$1 $rps $p99 ${errors:+[$errors]}"
}

echo "GET /api/challenges/ ($BYTES bytes), wrk -t$THREADS -c$CONNS -d${DURATION}s, $(nproc) cores"
NGINX="$(run_wrk nginx "$NGINX_PORT")"
SQLITE="$(run_wrk clash-sqlite "$SQLITE_PORT")"
POSTGRES="$(run_wrk clash-postgres "$PG_PORT")"
nginx_rps="$(awk '{print $2}' <<<"$NGINX")"
printf '%-16s %12s %10s %8s\n' server req/s p99 ratio
for line in "$NGINX" "$SQLITE" "$POSTGRES"; do
  read -r name rps p99 rest <<<"$line"
  ratio="$(awk -v a="$rps" -v b="$nginx_rps" 'BEGIN {printf "%.2f", a / b}')"
  printf '%-16s %12s %10s %8s %s\n' "$name" "$rps" "$p99" "$ratio" "$rest"
done
