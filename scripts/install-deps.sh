#!/usr/bin/env bash
# Installs every Debian 12 package Clash needs to build, test, run and benchmark, and the npm packages
# of the browser and rating tests (tests/browser, tests/rating). Idempotent: when everything is
# already installed it only checks and returns. Run as root (or with sudo available).
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential g++ cmake ninja-build ccache pkg-config git
  # libraries
  libpoco-dev libsqlite3-dev libpq-dev nlohmann-json3-dev libssl-dev libsodium-dev libseccomp-dev
  libcpp-httplib-dev libhiredis-dev
  # tests
  libgtest-dev libgmock-dev googletest python3 python3-dev python3-pytest python3-venv python3-pip
  python3-setuptools python3-wheel pybind11-dev
  # servers the tests start and the judge's sandbox
  postgresql postgresql-client redis-server bubblewrap
  # the judge's JavaScript (node)
  nodejs
  # the browser tests (tests/browser, driven by npm playwright-core; no browser download)
  chromium
  # time zones for the daily check-in (TZif files in /usr/share/zoneinfo)
  tzdata
  # fuzzing (fuzz/, bench/fuzz.sh): clang 15 with libFuzzer
  clang-15 libfuzzer-15-dev
  # benchmarks (bench/)
  libbenchmark-dev wrk hyperfine nginx-light curl
)

# npm (the S3-compatible test server, the chat benchmark's client, the browser and rating tests):
# Debian's nodejs ships without it (the `npm` package); NodeSource's nodejs includes it and conflicts
# with Debian's npm.
if ! command -v npm >/dev/null 2>&1; then PACKAGES+=(npm); fi

# The tests' npm packages, pinned by each folder's package-lock.json (node_modules/ is not in git):
# playwright-core for tests/browser, openskill (the reference ratings) for tests/rating. `npm ci`
# only when a folder's node_modules is missing or older than its lock file.
npm_packages() {
  local dir
  for dir in tests/browser tests/rating; do
    if [ ! -f "$ROOT/$dir/node_modules/.package-lock.json" ] || \
       [ "$ROOT/$dir/package-lock.json" -nt "$ROOT/$dir/node_modules/.package-lock.json" ]; then
      echo "install-deps: npm ci --prefix $dir"
      npm ci --prefix "$ROOT/$dir" --no-audit --no-fund --loglevel=error >/dev/null
    fi
  done
}
ROOT="$(cd "$(dirname "$0")/.." && pwd)"

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  npm_packages
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian starts these services on install; the project starts its own throwaway instances.
for svc in nginx redis-server postgresql; do
  $SUDO systemctl disable --now "$svc" >/dev/null 2>&1 || $SUDO service "$svc" stop >/dev/null 2>&1 || true
done
npm_packages
echo "install-deps: done"
