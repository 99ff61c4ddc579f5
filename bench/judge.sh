#!/usr/bin/env bash
# Judge benchmark (not run in CI). Needs hyperfine, bubblewrap, a built clash-judge.
#
#   bench/judge.sh [BUILD_DIR]        (default: build)
#
# 1. Latency, in one hyperfine run: a small accepted Python submission with five asserts judged
#    through a running judge (clash-judge serve: warm sandbox pool, JudgePool with 2 workers),
#    against plain `python3 file.py` of the same code. Target: judge <= 1.2x plain python.
#    Also shown: the one-shot `clash-judge run` (no daemon: namespace setup + interpreter start in
#    the measured time).
# 2. Throughput: 200 such submissions through a JudgePool with 2 workers on 2 cores.
set -euo pipefail
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JUDGE=$(find "$ROOT/$BUILD" -name clash-judge -type f -perm -u+x | head -n1)
[ -x "$JUDGE" ] || { echo "clash-judge not found under $ROOT/$BUILD (build target clash_judge_cli)"; exit 2; }
PY=/usr/bin/python3
WORK=$(mktemp -d)
trap 'kill "$SERVER" 2>/dev/null || true; rm -rf "$WORK"' EXIT

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

"$JUDGE" serve --socket "$WORK/judge.sock" --workers 2 --warm 2 2>/dev/null &
SERVER=$!
for _ in $(seq 50); do [ -S "$WORK/judge.sock" ] && break; sleep 0.1; done
"$JUDGE" submit --socket "$WORK/judge.sock" --source "$WORK/solution.py" --tests "$WORK/tests.py"

echo "== latency (load: $(cut -d' ' -f1-3 /proc/loadavg)) =="
hyperfine -N --warmup 20 --runs 300 \
  -n "python3 file.py" "$PY $WORK/plain.py" \
  -n "judge (daemon, warm pool)" "$JUDGE submit --socket $WORK/judge.sock --source $WORK/solution.py --tests $WORK/tests.py" \
  -n "judge (one-shot, cold)" "$JUDGE run --warm 0 --source $WORK/solution.py --tests $WORK/tests.py"

echo "== throughput =="
"$JUDGE" bench --source "$WORK/solution.py" --tests "$WORK/tests.py" -n 200 --workers 2 --warm 2
