#!/usr/bin/env bash
# Configures and builds Clash into build/ (or $CLASH_BUILD_DIR). Extra arguments go to CMake.
#   scripts/build.sh                      everything, warnings as errors
#   scripts/build.sh --target clash-host  one target
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${CLASH_BUILD_DIR:-build}"
# ccache hits across clones and build folders (CI builds a fresh clone elsewhere).
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
TARGET_ARGS=()
CMAKE_ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --target) TARGET_ARGS+=("$2"); shift 2 ;;
    *) CMAKE_ARGS+=("$1"); shift ;;
  esac
done
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCLASH_WERROR=ON \
  -DPython_EXECUTABLE=/usr/bin/python3 "${CMAKE_ARGS[@]}" >/dev/null
ninja -C "$BUILD_DIR" -j"${CLASH_JOBS:-2}" "${TARGET_ARGS[@]}"
