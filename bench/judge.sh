#!/usr/bin/env bash
# Judge benchmark (not run in CI). Needs hyperfine, bubblewrap, g++ and a built clash-judge
# (target clash_judge_cli; the fork server's helper libclash-zygote.so is built with it).
#
#   bench/judge.sh [BUILD_DIR]        (default: build)
#
# Reports, with the machine's baseline (nproc, load, `python3 -c pass`):
# 1. Latency: a small accepted Python submission (five asserts) judged through a running judge
#    (`clash-judge serve`, fork server, pool of 2), end to end from a client process, against plain
#    `python3 file.py` of the same code. Target: <= 1.0x. Also the in-process latency (one worker,
#    back to back) and a one-shot `clash-judge run` (judge start included).
# 2. Throughput: 500 such submissions through a JudgePool with 2 workers. Target: >= 150/s on 2 cores.
# 3. CPU per submission: user + sys of every process of the judge (the bench process, its
#    sandboxes, zygotes and executions), measured with a cpuacct cgroup when run as root (else
#    getrusage of reaped children, which misses processes reaped inside sandboxes).
# 4. The same for a C++ submission (compile + run in sandboxes) against a bare g++ compile + run.
# 5. The cold path (a fresh sandbox per execution) for comparison.
# 6. A small JavaScript submission (a cold sandbox per execution, node --check first) against a
#    bare `node file.js` and node with the judge's flags.
# Everything it starts is stopped on exit.
set -euo pipefail
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JUDGE=$(find "$ROOT/$BUILD" -name clash-judge -type f -perm -u+x | head -n1)
[ -x "$JUDGE" ] || { echo "clash-judge not found under $ROOT/$BUILD (build target clash_judge_cli)"; exit 2; }
PY=/usr/bin/python3
WORK=$(mktemp -d)
SERVER=""
CGROUPS=()
cleanup() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  for cg in "${CGROUPS[@]}"; do rmdir "$cg" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

cat > "$WORK/solution.py" <<'PY'
def add(a, b):
    return a + b
PY
cat > "$WORK/tests.py" <<'PY'
assert add(1, 2) == 3
assert add(2, 2) == 4
assert add(0, 0) == 0
assert add(-1, 1) == 0
assert add(10, 5) == 15
PY
cat "$WORK/solution.py" "$WORK/tests.py" > "$WORK/plain.py"
cat > "$WORK/main.cpp" <<'CPP'
#include <cstdio>
#include <vector>
int main() {
  std::vector<long> v(1000);
  long s = 0;
  for (long i = 0; i < 1000; ++i) s += v[i] = i * i;
  std::printf("%ld\n", s);
}
CPP
cat > "$WORK/main.js" <<'JS'
let s = 0;
for (let i = 0; i < 1000; ++i) s += i * i;
console.log(s);
JS

# cpu_per N CMD...: runs CMD (which judges N submissions) and prints its CPU per submission.
cpu_per() {
  local n=$1; shift
  local acct=/sys/fs/cgroup/cpuacct
  if [ "$(id -u)" = 0 ] && [ -w "$acct/cgroup.procs" ]; then
    local cg="$acct/clash-judge-bench-$$-$RANDOM"
    mkdir "$cg" && CGROUPS+=("$cg")
    sh -c "echo \$\$ > $cg/cgroup.procs; exec \"\$@\"" sh "$@"
    local user sys
    user=$(cat "$cg/cpuacct.usage_user"); sys=$(cat "$cg/cpuacct.usage_sys")
    awk -v u="$user" -v s="$sys" -v n="$n" \
      'BEGIN { printf "  CPU per submission: %.2f ms (user %.2f, sys %.2f; cpuacct cgroup)\n", (u+s)/1e6/n, u/1e6/n, s/1e6/n }'
  else
    local out
    out=$( { /usr/bin/time -f "%U %S" "$@" >&2; } 2>&1 | tail -n1)
    awk -v t="$out" -v n="$n" 'BEGIN { split(t, a, " "); printf "  CPU per submission: %.2f ms (user %.2f, sys %.2f; getrusage: a lower bound)\n", (a[1]+a[2])*1e3/n, a[1]*1e3/n, a[2]*1e3/n }'
  fi
}

echo "== machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(uname -r), $($PY --version)"
hyperfine -N --warmup 20 --runs 200 -n "python3 -c pass" "$PY -c pass" 2>&1 | grep -E "Time|Range"

"$JUDGE" serve --socket "$WORK/judge.sock" --workers 2 2>/dev/null &
SERVER=$!
for _ in $(seq 100); do [ -S "$WORK/judge.sock" ] && break; sleep 0.1; done
"$JUDGE" submit --socket "$WORK/judge.sock" --source "$WORK/solution.py" --tests "$WORK/tests.py"

echo "== 1. latency, Python (load: $(cut -d' ' -f1-3 /proc/loadavg))"
hyperfine -N --warmup 30 --runs 300 \
  -n "python3 file.py" "$PY $WORK/plain.py" \
  -n "judge (clash-judge submit to a running fork server)" \
     "$JUDGE submit --socket $WORK/judge.sock --source $WORK/solution.py --tests $WORK/tests.py" \
  -n "judge one-shot (clash-judge run: judge start included)" \
     "$JUDGE run --source $WORK/solution.py --tests $WORK/tests.py"
echo "in process, one worker, back to back:"
"$JUDGE" bench --source "$WORK/solution.py" --tests "$WORK/tests.py" -n 300 --workers 1

echo "== 4. C++ latency: compile + run (load: $(cut -d' ' -f1-3 /proc/loadavg))"
hyperfine -N --warmup 2 --runs 20 \
  -n "bare g++ -O2 compile + run" "sh -c 'g++ -std=c++17 -O2 -o $WORK/bare $WORK/main.cpp && $WORK/bare'" \
  -n "judge cpp17 (clash-judge submit to the running judge)" \
     "$JUDGE submit --socket $WORK/judge.sock --lang cpp17 --source $WORK/main.cpp"

echo "== 6. JavaScript latency (load: $(cut -d' ' -f1-3 /proc/loadavg))"
NODE_FLAGS="--jitless --no-expose-wasm --single-threaded --v8-pool-size=0 --max-old-space-size=256"
hyperfine -N --warmup 5 --runs 50 \
  -n "node file.js" "node $WORK/main.js" \
  -n "node with the judge's flags" "node $NODE_FLAGS $WORK/main.js" \
  -n "judge javascript (clash-judge submit to the running judge)" \
     "$JUDGE submit --socket $WORK/judge.sock --lang javascript --source $WORK/main.js"
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""

echo "== 2./3. throughput and CPU, Python, 2 workers (load: $(cut -d' ' -f1-3 /proc/loadavg))"
cpu_per 500 "$JUDGE" bench --source "$WORK/solution.py" --tests "$WORK/tests.py" -n 500 --workers 2

echo "== 4. C++ CPU per submission (20, 2 workers)"
cpu_per 20 "$JUDGE" bench --lang cpp17 --source "$WORK/main.cpp" -n 20 --workers 2
echo "bare g++ compile + run, for comparison:"
cpu_per 20 sh -c "for i in \$(seq 20); do g++ -std=c++17 -O2 -o $WORK/bare $WORK/main.cpp && $WORK/bare >/dev/null; done"

echo "== 6. JavaScript CPU per submission (50, 2 workers)"
cpu_per 50 "$JUDGE" bench --lang javascript --source "$WORK/main.js" -n 50 --workers 2
echo "bare node file.js, for comparison:"
cpu_per 50 sh -c "for i in \$(seq 50); do node $WORK/main.js >/dev/null; done"

echo "== 5. cold path (a fresh sandbox and interpreter per execution, 2 warm), Python"
cpu_per 300 "$JUDGE" bench --cold --warm 2 --source "$WORK/solution.py" --tests "$WORK/tests.py" -n 300 --workers 2
