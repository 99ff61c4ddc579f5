#!/usr/bin/env bash
# Installs every Debian 12 package Clash needs to build, test, run and benchmark. Idempotent: when
# everything is already installed it only checks and returns. Run as root (or with sudo available).
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
  # time zones for the daily check-in (TZif files in /usr/share/zoneinfo)
  tzdata
  # fuzzing (fuzz/, bench/fuzz.sh): clang 15 with libFuzzer
  clang-15 libfuzzer-15-dev
  # benchmarks (bench/)
  libbenchmark-dev wrk hyperfine nginx-light curl
)

# npm (the S3-compatible test server, the chat benchmark's client): Debian's nodejs ships without it
# (the `npm` package); NodeSource's nodejs includes it and conflicts with Debian's npm.
if ! command -v npm >/dev/null 2>&1; then PACKAGES+=(npm); fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
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
echo "install-deps: done"
