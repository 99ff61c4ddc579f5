#!/usr/bin/env bash
# redis-start.sh DIR [PORT] — start a throwaway Redis on 127.0.0.1 and print its URL.
#
#   url=$(scripts/redis-start.sh /tmp/redist)   # picks a free port (remembered in DIR/port)
#
# No persistence (--save '' --appendonly no); pid file, log and working dir in DIR. Idempotent: if
# the server from DIR still runs on the same port, it only prints the URL.
set -euo pipefail

die() { echo "redis-start.sh: $*" >&2; exit 1; }

[[ $# -ge 1 && $# -le 2 ]] || die "usage: redis-start.sh DIR [PORT]"
mkdir -p "$1"
DIR=$(cd "$1" && pwd)
PORT=${2:-}
command -v redis-server >/dev/null || die "redis-server is not installed"

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pick_port() {
  local p
  if command -v python3 >/dev/null; then
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' && return
  fi
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 30000))
    port_in_use "$p" || { echo "$p"; return; }
  done
  die "no free port found"
}

ping_ok() {  # true if a Redis answers PONG on 127.0.0.1:$1
  if command -v redis-cli >/dev/null; then
    [[ $(redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null) == PONG ]]
  else
    local reply
    exec 3<>"/dev/tcp/127.0.0.1/$1" 2>/dev/null || return 1
    printf 'PING\r\n' >&3
    read -r -t 1 reply <&3 || true
    exec 3>&-
    [[ $reply == +PONG* ]]
  fi
}

alive() { [[ -f $DIR/redis.pid ]] && kill -0 "$(cat "$DIR/redis.pid")" 2>/dev/null; }

OLD_PORT=$(cat "$DIR/port" 2>/dev/null || true)
if [[ -z $PORT ]]; then PORT=${OLD_PORT:-$(pick_port)}; fi
[[ $PORT =~ ^[0-9]+$ ]] || die "PORT must be a number, got '$PORT'"

if alive; then
  if [[ $PORT == "$OLD_PORT" ]] && ping_ok "$PORT"; then
    echo "redis://127.0.0.1:$PORT"
    exit 0
  fi
  "$(dirname "$0")/redis-stop.sh" "$DIR"
fi

port_in_use "$PORT" && die "port $PORT is already in use"
echo "$PORT" >"$DIR/port"
redis-server --daemonize yes --bind 127.0.0.1 --port "$PORT" --dir "$DIR" --save '' --appendonly no \
  --pidfile "$DIR/redis.pid" --logfile "$DIR/redis.log" >/dev/null

for _ in $(seq 1 50); do
  if ping_ok "$PORT"; then
    echo "redis://127.0.0.1:$PORT"
    exit 0
  fi
  sleep 0.1
done
die "redis on port $PORT is not answering; see $DIR/redis.log"
