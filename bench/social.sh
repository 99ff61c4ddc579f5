#!/usr/bin/env bash
# Social benchmark: wrk against the profile page's data (GET /api/profiles/users/{u}/, with counts
# and is_following) and the notification list (GET /api/notifications/), both signed in, on
# clash-host with SQLite and with PostgreSQL holding 100,000 users, 1,000,000 follows and 1,000,000
# notifications (bench/social_data.py), against nginx serving the same bytes. Prints req/s, p99 and
# the ratio to nginx (target: >= 0.4) and the server's CPU time per request. Not run in CI.
#   bench/social.sh [DURATION_SECONDS=10] [CONNECTIONS=32] [USERS=100000]
# CLASH_HOST_BIN: a clash-host to use instead of building one into build-bench/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
DURATION="${1:-10}"
CONNS="${2:-32}"
USERS="${3:-100000}"
FOLLOWS=$((USERS * 10))
NOTIFICATIONS=$((USERS * 10))
THREADS=2
BUILD_DIR="${CLASH_BUILD_DIR:-build-bench}"

scripts/install-deps.sh >/dev/null
if [ -z "${CLASH_HOST_BIN:-}" ]; then
  CLASH_BUILD_DIR="$BUILD_DIR" scripts/build.sh --target clash-host -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCLASH_BUILD_TESTS=OFF -DCLASH_BUILD_PYTHON=OFF -DCLASH_BUILD_EXAMPLES=OFF >"${TMPDIR:-/tmp}/clash-bench-build.log" || { tail -30 "${TMPDIR:-/tmp}/clash-bench-build.log"; exit 1; }
  CLASH_HOST_BIN="$ROOT/$BUILD_DIR/host/clash-host"
fi

WORK="$(mktemp -d /tmp/clash-bench-social.XXXXXX)"
chmod 755 "$WORK"
PIDS=()
cleanup() {
  [ "$BASHPID" = "$$" ] || return 0  # only the script itself, never a $(...) subshell
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

declare -A PORT TOKEN PID
start_host() {  # name storage-url: starts clash-host (in this shell, so cleanup sees it), sets PORT[name], PID[name]
  local port; port="$(free_port)"
  CLASH_DATA_DIR="$WORK/data-$1" "$CLASH_HOST_BIN" serve --storage "$2" --port "$port" --access-log=false \
    --log-level=warn --http-threads=64 --rate-limits=false --cookie-secure=false >"$WORK/host-$1.out" 2>&1 &
  PIDS+=($!)
  PID[$1]=$!
  PORT[$1]="$port"
  wait_http "http://127.0.0.1:$port/health/"
}

# Signs in bench@bench.test through the OTP flow; prints "<user id> <access token>".
sign_in() {  # name port
  local email="bench@bench.test" code
  curl -sf -H 'Content-Type: application/json' -d "{\"email\":\"$email\"}" \
    "http://127.0.0.1:$2/api/auth/otp/request/" >/dev/null
  code="$(grep -rhoE 'code is [0-9]{6}' "$WORK/data-$1/outbox" | tail -1 | awk '{print $3}')"
  curl -sf -c "$WORK/cookies-$1" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$email\",\"otp\":\"$code\"}" "http://127.0.0.1:$2/api/auth/otp/verify/" >"$WORK/login-$1.json"
  echo "$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["user"]["id"])' "$WORK/login-$1.json") \
$(awk '$6 == "access_token" {print $7}' "$WORK/cookies-$1")"
}

PG_URL="$(scripts/pg-start.sh "$WORK/pg")"
for name in sqlite postgres; do
  if [ "$name" = sqlite ]; then url="sqlite://$WORK/bench.db"; else url="$PG_URL"; fi
  start_host "$name" "$url"
  read -r uid token <<<"$(sign_in "$name" "${PORT[$name]}")"
  TOKEN[$name]="$token"
  start=$(date +%s)
  /usr/bin/python3 bench/social_data.py "$url" --users "$USERS" --follows "$FOLLOWS" \
    --notifications "$NOTIFICATIONS" --recipient "$uid" --extra 200
  echo "$name: loaded $USERS users, $FOLLOWS follows, $NOTIFICATIONS notifications in $(( $(date +%s) - start )) s"
  # The bench user follows u1 (the profile it reads), so is_following is true there.
  curl -sf -X POST -b "access_token=$token" -H "Origin: http://127.0.0.1:${PORT[$name]}" \
    "http://127.0.0.1:${PORT[$name]}/api/profiles/users/u1/follow/" >/dev/null
done

PROFILE=/api/profiles/users/u1/
NOTIFS=/api/notifications/
# nginx serves the exact bytes clash-host returns (SQLite's answers; PostgreSQL's are the same size).
mkdir -p "$WORK/www/api/profiles/users/u1" "$WORK/www/api/notifications"
curl -sf -b "access_token=${TOKEN[sqlite]}" "http://127.0.0.1:${PORT[sqlite]}$PROFILE" >"$WORK/www$PROFILE/index.json"
curl -sf -b "access_token=${TOKEN[sqlite]}" "http://127.0.0.1:${PORT[sqlite]}$NOTIFS" >"$WORK/www$NOTIFS/index.json"
start_nginx /api/ "$PROFILE"

run_wrk() {  # name port path token pids... -> "name rps p99 cpu_us_per_request [errors]"
  local name="$1" port="$2" path="$3" token="$4" out rps p99 errors t0 t1 n
  shift 4
  t0="$(cpu_ticks "$@")"
  out="$(wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency -H "Cookie: access_token=$token" "http://127.0.0.1:$port$path")"
  t1="$(cpu_ticks "$@")"
  n="$(awk '/requests in/ {print $1}' <<<"$out")"
  rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
  p99="$(awk '$1=="99%" {print $2}' <<<"$out")"
  errors="$(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr '\n' ' ' || true)"
  echo "$name $rps $p99 $(awk -v a="$t0" -v b="$t1" -v n="$n" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", (b - a) * 1e6 / hz / n}') ${errors:+[$errors]}"
}

machine_line
echo "wrk -t$THREADS -c$CONNS -d${DURATION}s, signed in; $USERS users, $FOLLOWS follows, $NOTIFICATIONS notifications"
echo "CPU us/req: the server's CPU time per request (PostgreSQL's own processes are not counted)"
for path in "$PROFILE" "$NOTIFS"; do
  echo "GET $path ($(stat -c %s "$WORK/www$path/index.json") bytes)"
  # shellcheck disable=SC2086
  NGINX="$(run_wrk nginx "$NGINX_PORT" "$path" x $NGINX_WORKERS)"
  SQLITE="$(run_wrk clash-sqlite "${PORT[sqlite]}" "$path" "${TOKEN[sqlite]}" "${PID[sqlite]}")"
  POSTGRES="$(run_wrk clash-postgres "${PORT[postgres]}" "$path" "${TOKEN[postgres]}" "${PID[postgres]}")"
  nginx_rps="$(awk '{print $2}' <<<"$NGINX")"
  printf '  %-16s %12s %10s %8s %12s\n' server req/s p99 ratio "CPU us/req"
  for line in "$NGINX" "$SQLITE" "$POSTGRES"; do
    read -r name rps p99 cpu rest <<<"$line"
    ratio="$(awk -v a="$rps" -v b="$nginx_rps" 'BEGIN {printf "%.2f", a / b}')"
    printf '  %-16s %12s %10s %8s %12s %s\n' "$name" "$rps" "$p99" "$ratio" "$cpu" "$rest"
  done
done
