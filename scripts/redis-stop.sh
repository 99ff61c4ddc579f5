#!/usr/bin/env bash
# redis-stop.sh DIR — stop the Redis that redis-start.sh started in DIR. Idempotent.
set -euo pipefail

[[ $# -eq 1 ]] || { echo "usage: redis-stop.sh DIR" >&2; exit 1; }
[[ -d $1 ]] || exit 0
DIR=$(cd "$1" && pwd)
[[ -f $DIR/redis.pid ]] || exit 0

PID=$(cat "$DIR/redis.pid")
if kill "$PID" 2>/dev/null; then
  for _ in $(seq 1 50); do
    kill -0 "$PID" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$PID" 2>/dev/null; then kill -9 "$PID" 2>/dev/null || true; fi
fi
rm -f "$DIR/redis.pid"
