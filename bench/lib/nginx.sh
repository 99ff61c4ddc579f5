# bench/lib/nginx.sh — sourced by bench/http.sh, bench/campaign.sh and bench/social.sh: the nginx
# that serves the same bytes as clash-host, and the helpers the three share. Expects WORK (the
# bench's temporary directory; nginx's pid file goes to $WORK/nginx.pid, which the caller's cleanup
# kills) and runs from the repository root.

# A free TCP port on 127.0.0.1.
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Waits until `url` answers 2xx (up to 20 s).
wait_http() {  # url
  for _ in $(seq 400); do curl -sf "$1" >/dev/null && return 0; sleep 0.05; done
  echo "not answering: $1" >&2
  return 1
}

# utime + stime of the given processes, in clock ticks, summed.
cpu_ticks() {  # pids...
  local total=0 p
  for p in "$@"; do total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done
  echo "$total"
}

# Starts nginx (2 workers, no access log, keep-alive without a request limit, a backlog and
# connection limits for c5000) serving $WORK/www with `index.json` as the index and JSON as the
# type under `location`, and waits for `check_path`. Sets NGINX_PORT and NGINX_WORKERS (the worker
# pids, for cpu_ticks).
start_nginx() {  # location check_path
  local location="$1" check="$2"
  mkdir -p "$WORK/www" "$WORK/nginx-tmp"
  NGINX_PORT="$(free_port)"
  cat >"$WORK/nginx.conf" <<CONF
worker_processes 2;
worker_rlimit_nofile 20000;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 16384; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $WORK/nginx-tmp;
  proxy_temp_path $WORK/nginx-tmp;
  fastcgi_temp_path $WORK/nginx-tmp;
  uwsgi_temp_path $WORK/nginx-tmp;
  scgi_temp_path $WORK/nginx-tmp;
  server {
    listen 127.0.0.1:$NGINX_PORT backlog=4096;
    root $WORK/www;
    location $location { default_type application/json; index index.json; }
  }
}
CONF
  nginx -c "$WORK/nginx.conf"
  wait_http "http://127.0.0.1:$NGINX_PORT$check"
  NGINX_WORKERS="$(pgrep -P "$(cat "$WORK/nginx.pid")" | tr '\n' ' ')"
}

# The machine's state for the report: cores, the load average, and the mean wall time of a
# trivial process start (/usr/bin/python3 -c pass, measured by hyperfine), which grows when other
# work competes for the cores.
machine_line() {
  local baseline="n/a"
  if command -v hyperfine >/dev/null; then
    baseline="$(hyperfine -N --warmup 3 --runs 30 --export-json "$WORK/baseline.json" '/usr/bin/python3 -c pass' \
      >/dev/null 2>&1 && /usr/bin/python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.1f ms (+- %.1f)" % (r["mean"]*1e3, r["stddev"]*1e3))' "$WORK/baseline.json")" || baseline="n/a"
  fi
  echo "machine: $(nproc) cores; python3 -c pass: $baseline; load average $(cut -d' ' -f1-3 /proc/loadavg)"
}
