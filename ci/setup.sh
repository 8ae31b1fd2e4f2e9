#!/usr/bin/env bash
# README's first command: set everything up on a fresh Debian 12 machine and
# run the main job.
#   1. install the dependencies (ci/install-deps.sh; needs root or sudo),
#   2. configure and build the `default` preset into build/default,
#   3. run the bundled suite (specs/) against the embedded reference target.
# -Werror is on when CI is set (as in .ci/run) or TCPCHECK_WERROR=ON.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

werror=${TCPCHECK_WERROR:-$([ -n "${CI:-}" ] && echo ON || echo OFF)}

bash ci/install-deps.sh
cmake --preset default -DTCPCHECK_WERROR="$werror" >/dev/null
cmake --build --preset default -j "$(nproc)"

tcpcheck=build/default/harness/tcpcheck
if [ -x "$tcpcheck" ] && [ -n "$(find specs -name "*.pkt" -print -quit)" ]; then
  "$tcpcheck" run --target ref specs/
else
  echo "setup: built; the runner (tcpcheck run) is not part of this build yet"
fi
