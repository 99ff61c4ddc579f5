#!/usr/bin/env bash
# pg-start.sh DIR [PORT] — start a throwaway PostgreSQL 15 cluster in DIR and print its URL.
#
#   url=$(scripts/pg-start.sh /tmp/pgt)        # picks a free port (remembered in DIR/port)
#   scripts/pg-start.sh /tmp/pgt 55432         # a fixed port
#   CLASH_PG_DURABLE=1 scripts/pg-start.sh DIR # fsync/synchronous_commit on (benchmarks)
#
# The cluster listens on 127.0.0.1 only, trusts local connections (tests only!), keeps its unix
# socket in DIR/sock and logs to DIR/postgres.log. Data lives in DIR/data and survives
# pg-stop.sh, so stop + start is a server restart. Idempotent: if the cluster already runs with
# the same port and settings, it only prints the URL. When run as root, the server runs as the
# `postgres` OS user (initdb refuses root). Environment:
#   CLASH_PG_BIN          directory with initdb/pg_ctl (default: pg_config --bindir, then
#                         /usr/lib/postgresql/15/bin)
#   CLASH_PG_DURABLE=1    fsync, synchronous_commit and full_page_writes on (default off: fast)
#   CLASH_PG_MAX_CONNECTIONS  max_connections (default 200)
set -euo pipefail

die() { echo "pg-start.sh: $*" >&2; exit 1; }

[[ $# -ge 1 && $# -le 2 ]] || die "usage: pg-start.sh DIR [PORT]"
mkdir -p "$1"
DIR=$(cd "$1" && pwd)
PORT=${2:-}
DATA=$DIR/data
SOCK=$DIR/sock

if [[ -n ${CLASH_PG_BIN:-} ]]; then
  BIN=$CLASH_PG_BIN
elif [[ -x /usr/lib/postgresql/15/bin/initdb ]]; then
  BIN=/usr/lib/postgresql/15/bin
elif command -v pg_config >/dev/null && [[ -x "$(pg_config --bindir)/initdb" ]]; then
  BIN=$(pg_config --bindir)
else
  die "cannot find initdb; set CLASH_PG_BIN"
fi

# Run a server-side command as the cluster owner.
if [[ $(id -u) -eq 0 ]]; then
  OWNER=postgres
  id "$OWNER" >/dev/null 2>&1 || die "running as root needs a 'postgres' OS user"
  as_owner() { runuser -u "$OWNER" -- "$@"; }
else
  OWNER=$(id -un)
  as_owner() { "$@"; }
fi

port_in_use() {  # true if something accepts TCP connections on 127.0.0.1:$1
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

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

running() { as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

# The port: as given, else the one this cluster used before, else a free one.
if [[ -z $PORT && -f $DIR/port ]]; then PORT=$(cat "$DIR/port"); fi
if [[ -z $PORT ]]; then PORT=$(pick_port); fi
[[ $PORT =~ ^[0-9]+$ ]] || die "PORT must be a number, got '$PORT'"

if [[ $(id -u) -eq 0 ]]; then chown "$OWNER" "$DIR"; fi
as_owner test -w "$DIR" -a -x "$DIR" || die "$DIR is not writable by the '$OWNER' OS user (is a parent dir private?)"
if [[ ! -f $DATA/PG_VERSION ]]; then
  as_owner "$BIN/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
    --no-sync --no-instructions >"$DIR/initdb.log" 2>&1 || { cat "$DIR/initdb.log" >&2; die "initdb failed"; }
  echo "include_if_exists = 'clash.conf'" | as_owner tee -a "$DATA/postgresql.conf" >/dev/null
fi
as_owner mkdir -p "$SOCK"

if [[ ${CLASH_PG_DURABLE:-0} == 1 ]]; then DURABLE=on; else DURABLE=off; fi
NEW_CONF="# Written by scripts/pg-start.sh; rewritten on every start.
port = $PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$SOCK'
max_connections = ${CLASH_PG_MAX_CONNECTIONS:-200}
fsync = $DURABLE
synchronous_commit = $DURABLE
full_page_writes = $DURABLE
log_min_messages = warning
log_min_error_statement = panic"
OLD_CONF=$(cat "$DATA/clash.conf" 2>/dev/null || true)

if running; then
  if [[ $OLD_CONF == "$NEW_CONF" ]]; then
    echo "postgresql://postgres@127.0.0.1:$PORT/postgres"
    exit 0
  fi
  as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
fi

if port_in_use "$PORT"; then die "port $PORT is already in use"; fi
printf '%s\n' "$NEW_CONF" | as_owner tee "$DATA/clash.conf" >/dev/null
echo "$PORT" >"$DIR/port"
as_owner touch "$DIR/postgres.log"
as_owner "$BIN/pg_ctl" -D "$DATA" -l "$DIR/postgres.log" -w -t 20 start >/dev/null ||
  { tail -n 20 "$DIR/postgres.log" >&2; die "server did not start"; }

for _ in $(seq 1 100); do
  if "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" -U postgres; then
    echo "postgresql://postgres@127.0.0.1:$PORT/postgres"
    exit 0
  fi
  sleep 0.1
done
die "server on port $PORT is not ready; see $DIR/postgres.log"
