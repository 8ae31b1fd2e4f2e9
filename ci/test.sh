#!/usr/bin/env bash
# README's second command: run the tests of the build that ci/setup.sh made
# (build/default). Extra arguments go to ctest, e.g. `ci/test.sh -L codec`.
# Without arguments every test runs except those labelled `slow` (run them
# with `ci/test.sh -L slow`).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

if [ ! -f build/default/CTestTestfile.cmake ]; then
  echo "test: build/default is missing; run ci/setup.sh first" >&2
  exit 2
fi
cmake --build --preset default -j "$(nproc)" >/dev/null
if [ $# -eq 0 ]; then
  set -- -LE slow
fi
ctest --preset default -j "$(nproc)" "$@"
