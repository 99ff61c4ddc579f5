#!/usr/bin/env bash
# Runs every libFuzzer target of fuzz/ (ASan+UBSan, clang-15) for SECONDS each, one after the other,
# on a copy of its seed corpus (fuzz/corpus/<name>/, which is never modified) with its dictionary,
# and prints executions, executions/s, crashes, leaks, timeouts and out-of-memory per target.
# Exits 1 if any target found anything; the failing inputs are kept in $CLASH_FUZZ_OUT (printed),
# reproduce one with: build-fuzz/fuzz/fuzz_<name> <file>.
#   bench/fuzz.sh [SECONDS=60] [TARGET...]       e.g. bench/fuzz.sh 20 (what scripts/test.sh runs)
# The long recorded run (issue 19: >= 10 million executions or 1 hour per target) is
#   bench/fuzz.sh 3600
# on a quiet machine. Builds build-fuzz/ first (CLASH_FUZZ_BUILD_DIR; CLASH_FUZZ_NO_BUILD=1 skips).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
SECONDS_EACH="${1:-60}"
shift || true
BUILD_DIR="${CLASH_FUZZ_BUILD_DIR:-build-fuzz}"
OUT="${CLASH_FUZZ_OUT:-$(mktemp -d /tmp/clash-fuzz.XXXXXX)}"

if [ "${CLASH_FUZZ_NO_BUILD:-0}" != 1 ]; then
  # Only what the fuzz targets need: no tests, bindings, examples, benchmarks or PostgreSQL (the library
  # links the judge; the harnesses turn judging off).
  CC=clang-15 CXX=clang++-15 CLASH_BUILD_DIR="$BUILD_DIR" scripts/build.sh \
    -DCMAKE_C_COMPILER=clang-15 -DCMAKE_CXX_COMPILER=clang++-15 -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
    -DCLASH_FUZZ=ON -DCLASH_BUILD_TESTS=OFF -DCLASH_BUILD_PYTHON=OFF -DCLASH_BUILD_EXAMPLES=OFF \
    -DCLASH_BUILD_BENCH=OFF -DCLASH_WITH_POSTGRES=OFF -DCLASH_INSTALL=OFF \
    $(for t in "${@:-}"; do [ -n "$t" ] && printf -- '--target fuzz_%s ' "$t"; done)
fi

TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then
  for bin in "$BUILD_DIR"/fuzz/fuzz_*; do [ -x "$bin" ] && TARGETS+=("$(basename "$bin" | sed 's/^fuzz_//')"); done
fi
[ ${#TARGETS[@]} -gt 0 ] || { echo "no fuzz targets in $BUILD_DIR/fuzz" >&2; exit 1; }

echo "fuzz: ${SECONDS_EACH} s per target, findings in $OUT, load: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-14s %12s %9s %8s %6s %9s %5s  %s\n' target executions exec/s crashes leaks timeouts ooms result
failed=0
for t in "${TARGETS[@]}"; do
  work="$OUT/$t"
  mkdir -p "$work/corpus" "$work/findings"
  cp -r "fuzz/corpus/$t/." "$work/corpus/" 2>/dev/null || true
  dict=()
  [ -f "fuzz/dict/$t.dict" ] && dict=(-dict="$ROOT/fuzz/dict/$t.dict")
  # -timeout: one input taking 25 s is a hang; -rss_limit_mb: 2 GB is an out-of-memory.
  set +e
  (cd "$work" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    "$ROOT/$BUILD_DIR/fuzz/fuzz_$t" -max_total_time="$SECONDS_EACH" -timeout=25 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$work/findings/" "${dict[@]}" corpus >"$work/log" 2>&1)
  rc=$?
  set -e
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work/log" | grep -o '[0-9]*$' || echo 0)
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$work/log" | grep -o '[0-9]*$' || echo 0)
  count() { find "$work/findings" -name "$1-*" | wc -l; }
  crashes=$(( $(count crash) + $(count deadly-signal) ))
  leaks=$(count leak); timeouts=$(count timeout); ooms=$(count oom)
  result=ok
  if [ "$rc" -ne 0 ] || [ $((crashes + leaks + timeouts + ooms)) -gt 0 ]; then
    result="FAILED (exit $rc, log $work/log)"
    failed=1
  fi
  printf '%-14s %12s %9s %8s %6s %9s %5s  %s\n' "$t" "${execs:-0}" "${rate:-0}" "$crashes" "$leaks" "$timeouts" "$ooms" "$result"
done
[ "$failed" -eq 0 ] || { echo "fuzz: findings kept in $OUT" >&2; exit 1; }
[ -n "${CLASH_FUZZ_OUT:-}" ] || rm -rf "$OUT"
