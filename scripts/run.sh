#!/usr/bin/env bash
# The "run" command of the README: installs packages, builds clash-host, loads the levels and the
# store catalogue into a SQLite file (./clash.db unless CLASH_STORAGE is set) and serves on http://127.0.0.1:8080.
# Extra arguments go to `clash-host serve` (e.g. --port 9000 --web-root ../client/dist).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
CLASH_BUILD_DIR="${CLASH_BUILD_DIR:-build}" scripts/build.sh --target clash-host
export CLASH_STORAGE="${CLASH_STORAGE:-sqlite://$PWD/clash.db}"
exec "${CLASH_BUILD_DIR:-build}/host/clash-host" serve --load-levels --load-store "$@"
