#!/usr/bin/env bash
# The "test" command of the README (and of CI): installs packages, builds everything with warnings
# as errors, builds the library's unit tests again under ASan+UBSan and the concurrency tests under
# TSan, starts PostgreSQL and Redis on 127.0.0.1 in temporary directories, runs every C++ and Python
# test, runs each fuzz target briefly on its corpus (bench/fuzz.sh), and stops the servers.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
BUILD_DIR="${CLASH_BUILD_DIR:-build}"
ASAN_DIR="${CLASH_ASAN_BUILD_DIR:-build-asan}"
TSAN_DIR="${CLASH_TSAN_BUILD_DIR:-build-tsan}"
# The concurrency tests that run under TSan (ctest -R): ledger and economy races, group commit and
# on-commit callbacks, the storage pools, the host's worker pool, the WebSocket loop and hub, pub/sub,
# the rate limiter's atomicity, the chat store, the judge pool (docs/security.md).
TSAN_TESTS='Concurren|EconomyRaceTest|SqliteBackendTest|OnCommitTest|ExhaustedPool|PoolBounds|WorkerPoolTest|WsHubTest|PubSub|SixteenThreads|ReplayCacheIsAtomic|JudgePool'
# Seconds each fuzz target runs (after its seed corpus) in CI; the recorded long run is bench/fuzz.sh 3600.
FUZZ_SECONDS="${CLASH_FUZZ_SECONDS:-20}"
# The TSan and fuzz stages need their own builds (GCC TSan, clang-15 libFuzzer). Until CI's ccache
# holds them they cost most of an hour each cold, which breaks the CI budget, so they run only with
# CLASH_TEST_SANITIZERS=1 for now (issue 19: switched on once the caches are warm and timed).
SANITIZERS="${CLASH_TEST_SANITIZERS:-0}"
JOBS="${CLASH_JOBS:-2}"
# Each stage prints how long the previous one took (CI's budget is watched stage by stage).
STAGE_START=$SECONDS
STAGE_NAME=""
stage() {
  [ -z "$STAGE_NAME" ] || echo "   ($STAGE_NAME: $((SECONDS - STAGE_START)) s)"
  STAGE_NAME="$1"; STAGE_START=$SECONDS
  echo "== $1"
}

stage "install packages and check source rules"
scripts/install-deps.sh
scripts/check-source-rules.sh

stage "build ($BUILD_DIR)"
CLASH_BUILD_DIR="$BUILD_DIR" scripts/build.sh
stage "build with ASan+UBSan ($ASAN_DIR): library unit tests"
# Every test executable labelled "unit" is built here: an unbuilt one would silently not run.
CLASH_BUILD_DIR="$ASAN_DIR" scripts/build.sh --target clash_unit_tests --target clash_economy_tests --target clash_social_tests \
  --target clash_campaign_tests --target clash_chat_tests --target clash_rating_tests --target clash_security_tests --target clash_oauth_tests \
  --target clash_matches_tests --target clash_retrieval_tests \
  -DCLASH_SANITIZE=ON -DCLASH_BUILD_HOST=OFF -DCLASH_BUILD_PYTHON=OFF -DCLASH_BUILD_EXAMPLES=OFF -DCLASH_BUILD_BENCH=OFF
if [ "$SANITIZERS" = 1 ]; then
stage "build with TSan ($TSAN_DIR): the executables holding the concurrency tests"
CLASH_BUILD_DIR="$TSAN_DIR" scripts/build.sh --target clash_unit_tests --target clash_economy_tests \
  --target clash_host_tests --target clash_ws_tests --target clash_transport_tests --target clash_chat_tests \
  --target clash_judge_tests -DCLASH_TSAN=ON -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" -DCLASH_BUILD_PYTHON=OFF \
  -DCLASH_BUILD_EXAMPLES=OFF -DCLASH_BUILD_BENCH=OFF -DCLASH_INSTALL=OFF
fi

RUN_DIR="$(mktemp -d /tmp/clash-test.XXXXXX)"
chmod 755 "$RUN_DIR"
cleanup() {
  scripts/pg-stop.sh "$RUN_DIR/pg" >/dev/null 2>&1 || true
  scripts/redis-stop.sh "$RUN_DIR/redis" >/dev/null 2>&1 || true
  rm -rf "$RUN_DIR"
}
trap cleanup EXIT
stage "start PostgreSQL and Redis"
CLASH_TEST_POSTGRES_URL="$(scripts/pg-start.sh "$RUN_DIR/pg")"
CLASH_TEST_REDIS_URL="$(scripts/redis-start.sh "$RUN_DIR/redis")"
export CLASH_TEST_POSTGRES_URL CLASH_TEST_REDIS_URL
export CLASH_REQUIRE_POSTGRES=1
echo "   postgres: $CLASH_TEST_POSTGRES_URL   redis: $CLASH_TEST_REDIS_URL"

export CLASH_HOST_BIN="$ROOT/$BUILD_DIR/host/clash-host"
export CLASH_PYTHONPATH="$ROOT/$BUILD_DIR/bindings/python"
export PYTHONPATH="$CLASH_PYTHONPATH:$ROOT/tests/python${PYTHONPATH:+:$PYTHONPATH}"

stage "C++ tests under ASan+UBSan"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir "$ASAN_DIR" -L unit --output-on-failure -j"$JOBS"
if [ "$SANITIZERS" = 1 ]; then
stage "concurrency tests under TSan"
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$ROOT/tests/tsan.supp" \
  ctest --test-dir "$TSAN_DIR" -R "$TSAN_TESTS" --output-on-failure -j"$JOBS"
fi
stage "C++ tests"
ctest --test-dir "$BUILD_DIR" --output-on-failure -j"$JOBS"
stage "Python tests"
# An S3-compatible server for the media-store test (npm registry; pinned by tests/s3/package-lock.json).
npm ci --prefix tests/s3 --no-audit --no-fund --loglevel=error >/dev/null
/usr/bin/python3 -m pytest tests/python -q -p no:cacheprovider
stage "Authoring tools (level, puzzle and tutor data checkers)"
/usr/bin/python3 -m pytest tools -q -p no:cacheprovider
if [ "$SANITIZERS" = 1 ]; then
stage "fuzz targets (build-fuzz, clang-15): seed corpus + $FUZZ_SECONDS s each"
bench/fuzz.sh "$FUZZ_SECONDS"
fi
stage "done (total $SECONDS s)"
