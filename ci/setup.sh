#!/usr/bin/env bash
# README's first command: set everything up on a fresh Debian 12 machine and
# run the main job.
#   1. install the dependencies (ci/install-deps.sh; needs root or sudo),
#   2. configure and build the `default` preset into build/default,
#   3. run the bundled suite (specs/) against the embedded reference target.
# It also fetches the kernel's packetdrill selftests (optional, for
# ctest -L kselftest).
# -Werror is on when CI is set (as in .ci/run) or TCPCHECK_WERROR=ON.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

werror=${TCPCHECK_WERROR:-$([ -n "${CI:-}" ] && echo ON || echo OFF)}

bash ci/install-deps.sh
# The kernel's packetdrill selftests, for the compatibility test (ctest -L
# kselftest). Optional: without them that test reports SKIP.
bash ci/fetch-kselftest-pkt.sh ||
  echo "setup: the kernel's packetdrill selftests were not fetched; ctest -L kselftest will skip"
cmake --preset default -DTCPCHECK_WERROR="$werror" >/dev/null
cmake --build --preset default -j "$(nproc)"

build/default/harness/tcpcheck run --target ref specs/
