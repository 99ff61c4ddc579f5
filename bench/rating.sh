#!/usr/bin/env bash
# Rating benchmark (not run in CI): the cost of one Weng-Lin (Plackett-Luce) rating update per
# 8-player free-for-all match (clash::Rate), single thread, 200,000 matches over a 10,000-player pool.
#   bench/rating.sh [MATCHES=200000] [PLAYERS=8]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${CLASH_BUILD_DIR:-build-bench}"
CLASH_BUILD_DIR="$BUILD_DIR" scripts/build.sh --target clash-rating-bench -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  >"${TMPDIR:-/tmp}/clash-bench-build.log" || { tail -30 "${TMPDIR:-/tmp}/clash-bench-build.log"; exit 1; }
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$BUILD_DIR/bench/clash-rating-bench" "${1:-200000}" "${2:-8}"
