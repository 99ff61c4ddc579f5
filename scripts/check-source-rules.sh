#!/usr/bin/env bash
# Architecture rules that a compiler cannot check (docs/architecture.md):
#  1. nothing in libclash/src/ reads the system clock except src/port/;
#  2. no SQLite, libpq or Poco header in the public headers;
#  3. no public header includes a src/ header;
#  4. a module includes only its own src/ folder, src/common/ and public headers (never another
#     module's src/ header); engine/ and storage/open_storage.cpp wire modules and may include any,
#     and the storage backends (storage/sqlite, storage/postgres) may include storage/sql.
set -euo pipefail
cd "$(dirname "$0")/.."
fail=0
if grep -rnE 'system_clock::now|steady_clock::now|high_resolution_clock::now|\btime\(NULL\)|\btime\(nullptr\)|gettimeofday|clock_gettime' \
     libclash/src --include='*.cpp' --include='*.h' | grep -v '^libclash/src/port/'; then
  echo "check-source-rules: the lines above read the system clock outside libclash/src/port/ (inject clash::Clock)"
  fail=1
fi
if grep -rnE '#include\s*[<"](sqlite3|libpq-fe|Poco/)' libclash/include; then
  echo "check-source-rules: a public header includes a backend type"
  fail=1
fi
if grep -rnE '#include\s*"(storage|common|judge|catalogue|engine|port)/' libclash/include; then
  echo "check-source-rules: a public header includes a private src/ header"
  fail=1
fi
# 4. Module boundaries.
module_violations=$(
  find libclash/src \( -name '*.cpp' -o -name '*.h' \) | sort | while read -r f; do
    rel=${f#libclash/src/}
    mod=${rel%%/*}
    if [ "$mod" = storage ]; then
      sub=${rel#storage/}; sub=${sub%%/*}
      case "$sub" in sql|sqlite|postgres) mod="storage/$sub" ;; *) mod="storage" ;; esac
    fi
    grep -oE '^#include +"[a-z_]+/[^"]+"' "$f" | sed -E 's/^#include +"//; s/"$//' | while read -r inc; do
      top=${inc%%/*}
      case "$top" in clash|common) continue ;; esac
      target=$top
      if [ "$top" = storage ]; then t2=${inc#storage/}; target="storage/${t2%%/*}"; fi
      [ "$target" = "$mod" ] && continue
      case "$mod" in
        engine|storage) continue ;;
        storage/sqlite|storage/postgres) [ "$target" = storage/sql ] && continue ;;
      esac
      echo "$f: includes \"$inc\", another module's src/ header (use its public header or src/common/)"
    done
  done
)
if [ -n "$module_violations" ]; then
  echo "$module_violations"
  echo "check-source-rules: a module reaches into another module's src/ folder"
  fail=1
fi
if [ $fail -ne 0 ]; then exit 1; fi
echo "check-source-rules: ok"
