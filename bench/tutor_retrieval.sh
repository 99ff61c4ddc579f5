#!/usr/bin/env bash
# Tutor retrieval benchmark (not run in CI): hybrid search (SQLite FTS5 BM25 + exact hash-v1 vectors
# + reciprocal rank fusion) over 10,000 chunks on one core (taskset -c 0), p50/p99 per query, and
# recall@5 of the hybrid retriever against the brute-force oracle on the labelled set.
# Target: p99 <= 2 ms.
#   bench/tutor_retrieval.sh [CHUNKS=10000] [ROUNDS=5]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
CHUNKS="${1:-10000}"
ROUNDS="${2:-5}"
BUILD_DIR="${CLASH_BUILD_DIR:-build-bench}"

CLASH_BUILD_DIR="$BUILD_DIR" scripts/build.sh --target clash-tutor-retrieval-bench -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCLASH_BUILD_TESTS=OFF -DCLASH_BUILD_PYTHON=OFF -DCLASH_BUILD_EXAMPLES=OFF \
  >"${TMPDIR:-/tmp}/clash-bench-build.log" || { tail -30 "${TMPDIR:-/tmp}/clash-bench-build.log"; exit 1; }
BENCH="$ROOT/$BUILD_DIR/bench/clash-tutor-retrieval-bench"

WORK="$(mktemp -d /tmp/clash-bench.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
echo "== machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); one core (taskset -c 0)"
taskset -c 0 "$BENCH" "$ROOT" "sqlite://$WORK/retrieval.db" "$CHUNKS" "$ROUNDS"
