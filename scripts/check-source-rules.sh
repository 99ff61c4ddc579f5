#!/usr/bin/env bash
# Architecture rules that a compiler cannot check (docs/architecture.md):
#  1. nothing in libclash/src/ reads the system clock except src/port/;
#  2. no SQLite, libpq or Poco header in the public headers;
#  3. no public header includes a src/ header.
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
if [ $fail -ne 0 ]; then exit 1; fi
echo "check-source-rules: ok"
