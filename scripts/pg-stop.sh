#!/usr/bin/env bash
# pg-stop.sh DIR — stop the PostgreSQL cluster that pg-start.sh started in DIR.
#
# Fast shutdown (open sessions are disconnected). The data stays in DIR/data, so pg-start.sh DIR
# brings the same cluster back on the same port. Idempotent: no cluster, or a stopped one, is fine.
# Remove DIR afterwards to throw the cluster away.
set -euo pipefail

[[ $# -eq 1 ]] || { echo "usage: pg-stop.sh DIR" >&2; exit 1; }
[[ -d $1 ]] || exit 0
DIR=$(cd "$1" && pwd)
DATA=$DIR/data
[[ -f $DATA/PG_VERSION ]] || exit 0

if [[ -n ${CLASH_PG_BIN:-} ]]; then
  BIN=$CLASH_PG_BIN
elif [[ -x /usr/lib/postgresql/15/bin/pg_ctl ]]; then
  BIN=/usr/lib/postgresql/15/bin
else
  BIN=$(pg_config --bindir)
fi

if [[ $(id -u) -eq 0 ]]; then
  as_owner() { runuser -u postgres -- "$@"; }
else
  as_owner() { "$@"; }
fi

if as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w -t 30 stop >/dev/null
fi
