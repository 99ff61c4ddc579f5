#!/usr/bin/env bash
# The installed package as an embedder and an operator meet it (docs/packaging.md):
#   1. `cmake --install` into a temporary prefix: public headers only, the CMake package, clash.pc,
#      clash-host, the sandbox helpers, the shipped content;
#   2. a separate CMake project (tests/packaging/embedder) finds clash::clash there, builds and runs;
#   3. the same program built with pkg-config only;
#   4. `cpack -G DEB`: the package's contents, and the embedder built against the unpacked package.
#   test_install.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
BUILD="$(cd "$1" && pwd)"
SRC="$(cd "$2" && pwd)"
WORK="$(mktemp -d /tmp/clash-packaging.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
LEVEL_COUNT=$(find "$SRC/data/levels" -mindepth 1 -maxdepth 1 -type d | wc -l)

check_embedder() {  # check_embedder BINARY PREFIX
  local out db
  db="$(mktemp -u "$WORK/embedder-XXXXXX.db")"
  out="$("$1" "sqlite://$db" "$2/share/clash/levels")" || fail "$1 exited with $?"
  echo "$out"
  grep -qx "levels: $LEVEL_COUNT" <<<"$out" || fail "$1: want 'levels: $LEVEL_COUNT'"
  grep -qx "balance: 25" <<<"$out" || fail "$1: want 'balance: 25' (one award under one idempotency key)"
}

echo "== cmake --install"
PREFIX="$WORK/prefix"
cmake --install "$BUILD" --prefix "$PREFIX" >/dev/null
for f in include/clash/clash.h include/clash/engine.h lib/cmake/clash/clashConfig.cmake \
         lib/cmake/clash/clashConfigVersion.cmake lib/cmake/clash/clashTargets.cmake lib/pkgconfig/clash.pc \
         lib/libclash.a lib/libclash_core.a bin/clash-host libexec/clash/clash-sandbox-init \
         share/clash/store/items.json; do
  [ -e "$PREFIX/$f" ] || fail "$f not installed"
done
[ "$(find "$PREFIX/share/clash/levels" -mindepth 1 -maxdepth 1 -type d | wc -l)" = "$LEVEL_COUNT" ] ||
  fail "share/clash/levels does not hold the $LEVEL_COUNT shipped levels"
# No private header and no driver or Poco type in what is installed.
[ -z "$(find "$PREFIX/include" -type f ! -name '*.h')" ] || fail "non-header files under include/"
if grep -rlE '#include [<"](sqlite3|libpq-fe|Poco/)' "$PREFIX/include"; then fail "a public header includes a driver or Poco"; fi
"$PREFIX/bin/clash-host" version | grep -q "clash-host" || fail "installed clash-host version"
# The installed host loads the installed content by default (not the source tree's).
"$PREFIX/bin/clash-host" help >"$WORK/help" || true
grep -q "default '$PREFIX/share/clash/levels'" "$WORK/help" || fail "installed clash-host's default levels_dir"

echo "== an embedder's CMake project against the prefix"
cmake -S "$SRC/tests/packaging/embedder" -B "$WORK/embedder" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$PREFIX" >/dev/null
ninja -C "$WORK/embedder" >/dev/null
check_embedder "$WORK/embedder/embedder" "$PREFIX"
# A component this package was not built with is reported as missing.
mkdir -p "$WORK/missing"
cat >"$WORK/missing/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.25)
project(missing LANGUAGES CXX)
find_package(clash REQUIRED COMPONENTS no_such_backend)
CMAKE
if cmake -S "$WORK/missing" -B "$WORK/missing/build" -DCMAKE_PREFIX_PATH="$PREFIX" >"$WORK/missing.log" 2>&1; then
  fail "find_package(clash COMPONENTS no_such_backend) succeeded"
fi
grep -q "no_such_backend" "$WORK/missing.log" || fail "the missing component is not named"

echo "== pkg-config"
PKG_CONFIG_PATH="$PREFIX/lib/pkgconfig" pkg-config --modversion clash | grep -qx "$(sed -nE 's/^project\(clash VERSION ([0-9.]+).*/\1/p' "$SRC/CMakeLists.txt")" ||
  fail "pkg-config --modversion clash"
# shellcheck disable=SC2046
g++ -O1 -o "$WORK/pc-embedder" "$SRC/tests/packaging/embedder/main.cpp" \
  $(PKG_CONFIG_PATH="$PREFIX/lib/pkgconfig" pkg-config --static --cflags --libs clash)
check_embedder "$WORK/pc-embedder" "$PREFIX"

echo "== cpack -G DEB"
INST="$(sed -nE 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$BUILD/CMakeCache.txt")"
(cd "$WORK" && cpack -G DEB --config "$BUILD/CPackConfig.cmake" -B "$WORK/pkg" >/dev/null)
DEB="$(ls "$WORK"/pkg/clash_*.deb)"
dpkg-deb --info "$DEB" >"$WORK/info"
grep -q "Depends:.*bubblewrap" "$WORK/info" || fail "the package does not depend on bubblewrap"
dpkg-deb -c "$DEB" >"$WORK/contents"
for f in bin/clash-host libexec/clash/clash-sandbox-init include/clash/clash.h \
         lib/cmake/clash/clashConfig.cmake lib/pkgconfig/clash.pc share/clash/store/items.json; do
  f=".$INST/$f"
  grep -q " $f\$" "$WORK/contents" || fail "$f not in $DEB"
done
dpkg-deb -x "$DEB" "$WORK/root"
"$WORK/root$INST/bin/clash-host" version | grep -q "clash-host" || fail "packaged clash-host version"
cmake -S "$SRC/tests/packaging/embedder" -B "$WORK/embedder-deb" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$WORK/root$INST" >/dev/null
ninja -C "$WORK/embedder-deb" >/dev/null
check_embedder "$WORK/embedder-deb/embedder" "$WORK/root$INST"
echo "packaging: ok ($(du -h "$DEB" | cut -f1) $(basename "$DEB"))"
