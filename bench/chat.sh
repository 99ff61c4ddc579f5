#!/usr/bin/env bash
# Chat benchmark (issue 14): fan-out through one host and through two hosts over Redis, and idle
# chat sockets. Load clients are Node `ws` (bench/chat/, npm install on first run) on this machine.
#   bench/chat.sh [CLIENTS=1000] [SENDERS=10] [RATE=10] [SECONDS=20] [IDLE=10000]
# 1. one host, SQLite (the embedded default), rate limits on (chat_message and chat_burst raised so
#    10 msg/s per sender is allowed: the limiter still runs on every frame);
# 2. two hosts on one PostgreSQL and one Redis (pub/sub and limits in Redis), clients split evenly,
#    senders on both;
# 3. IDLE authenticated chat sockets on one host: RSS per socket and the host's thread count.
# Targets: no loss, p99 <= 50 ms (one host), <= 100 ms (two hosts); <= 4 KiB per idle socket and
# <= 64 threads. Not run in CI. Everything it starts is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
CLIENTS="${1:-1000}"
SENDERS="${2:-10}"
RATE="${3:-10}"
SECONDS_="${4:-20}"
IDLE="${5:-10000}"
BUILD_DIR="${CLASH_BUILD_DIR:-build}"
HOST="$ROOT/$BUILD_DIR/host/clash-host"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

[ -x "$HOST" ] || CLASH_BUILD_DIR="$BUILD_DIR" scripts/build.sh --target clash-host
[ -d bench/chat/node_modules/ws ] || (cd bench/chat && npm install --no-audit --no-fund >/dev/null)

RUN="$(mktemp -d /tmp/clash-chat-bench.XXXXXX)"
chmod 755 "$RUN"
PIDS=()
cleanup() {
  # start_host runs in $(...): its PIDS+= is lost, so the hosts are found by their pid files.
  for f in "$RUN"/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  scripts/pg-stop.sh "$RUN/pg" >/dev/null 2>&1 || true
  scripts/redis-stop.sh "$RUN/redis" >/dev/null 2>&1 || true
  rm -rf "$RUN"
}
trap cleanup EXIT

LIMITS=(--rate-limit "otp=1000000/10m,otp_verify=1000000/10m,otp_email=1000/10m,auth=1000000/1m,anon=1000000/1m"
        --rate-limit "chat_message=100000/1m,chat_burst=10000/5s,chat_connect=100/1m")

cpu_s() {  # user+system CPU seconds of the processes PIDS...
  local t=0
  for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' /proc/"$p"/stat))); done
  echo "scale=1; $t / $(getconf CLK_TCK)" | bc
}

start_host() {  # NAME STORAGE EXTRA... -> prints the port
  local name=$1 storage=$2; shift 2
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  CLASH_DATA_DIR="$RUN/data" "$HOST" serve --storage "$storage" --port "$port" "${LIMITS[@]}" "$@" \
    >"$RUN/$name.out" 2>"$RUN/$name.log" &
  PIDS+=($!)
  echo "$!" >"$RUN/$name.pid"
  for _ in $(seq 1 200); do
    grep -q "listening on" "$RUN/$name.out" 2>/dev/null && { echo "$port"; return; }
    sleep 0.05
  done
  echo "host $name did not start" >&2; cat "$RUN/$name.log" >&2; exit 1
}

echo "== 1. fan-out, one host (SQLite, limits on): $CLIENTS clients, $SENDERS senders x $RATE msg/s x ${SECONDS_}s"
P1=$(start_host one "sqlite://$RUN/one.db")
python3 bench/chat/tokens.py "$P1" "$RUN/data" "$CLIENTS" >"$RUN/tokens1.json"
C0=$(cpu_s "$(cat "$RUN/one.pid")")
node bench/chat/fanout.js --ports "$P1" --tokens "$RUN/tokens1.json" --clients "$CLIENTS" --senders "$SENDERS" \
  --rate "$RATE" --seconds "$SECONDS_"
echo "   host CPU during the run: $(echo "$(cpu_s "$(cat "$RUN/one.pid")") - $C0" | bc) s; threads: $(grep Threads /proc/"$(cat "$RUN/one.pid")"/status | awk '{print $2}')"
kill "$(cat "$RUN/one.pid")"; wait "$(cat "$RUN/one.pid")" 2>/dev/null || true

echo "== 2. fan-out, two hosts on PostgreSQL + Redis: $CLIENTS clients split over both"
PG="$(scripts/pg-start.sh "$RUN/pg")"
REDIS="$(scripts/redis-start.sh "$RUN/redis")"
PA=$(start_host a "$PG" --pubsub-url "$REDIS" --redis-url "$REDIS" --chat-host-id a)
PB=$(start_host b "$PG" --pubsub-url "$REDIS" --redis-url "$REDIS" --chat-host-id b)
python3 bench/chat/tokens.py "$PA" "$RUN/data" "$CLIENTS" >"$RUN/tokens2.json"
C0=$(cpu_s "$(cat "$RUN/a.pid")" "$(cat "$RUN/b.pid")")
node bench/chat/fanout.js --ports "$PA,$PB" --tokens "$RUN/tokens2.json" --clients "$CLIENTS" --senders "$SENDERS" \
  --rate "$RATE" --seconds "$SECONDS_"
echo "   hosts' CPU during the run: $(echo "$(cpu_s "$(cat "$RUN/a.pid")" "$(cat "$RUN/b.pid")") - $C0" | bc) s"
kill "$(cat "$RUN/a.pid")" "$(cat "$RUN/b.pid")"; wait "$(cat "$RUN/a.pid")" "$(cat "$RUN/b.pid")" 2>/dev/null || true

echo "== 3. $IDLE idle authenticated chat sockets on one host (SQLite)"
P3=$(start_host idle "sqlite://$RUN/idle.db" --rate-limits false)
python3 bench/chat/tokens.py "$P3" "$RUN/data" 1 >"$RUN/tokens3.json"
node bench/chat/idle.js --port "$P3" --tokens "$RUN/tokens3.json" --sockets "$IDLE" --pid "$(cat "$RUN/idle.pid")"
