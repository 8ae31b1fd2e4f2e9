#!/usr/bin/env bash
# CI: the traceability matrix with the results of this run. Runs the suite
# on `ref` (and on `linux` when this machine can run it: root, the target
# built), writes their JSON reports and `tcpcheck requirements --format json`
# into build/default/trace/, prints the matrix's JSON and summary, and fails
# if a script names an id the catalogue lacks or a checkable MUST has no
# script.
#   ci/requirements.sh [BUILD_DIR]      (default build/default)
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
build=${1:-build/default}
tc=$build/harness/tcpcheck
out=$build/trace
mkdir -p "$out"
[ -x "$tc" ] || { echo "requirements: $tc is missing; run ci/setup.sh first" >&2; exit 2; }

results=()
"$tc" run --target ref --ip-version both --no-timings --format json -o "$out/ref.json" specs/
echo "ref: exit $? (report $out/ref.json)"
results+=("$out/ref.json")
if "$tc" targets | grep -q '^linux  *ready'; then
  # real time: scripts longer than the run's --max-span are SKIP "slow"
  "$tc" run --target linux -j "$(nproc)" --ip-version both --no-timings --format json \
    -o "$out/linux.json" specs/
  echo "linux: exit $? (report $out/linux.json)"
  results+=("$out/linux.json")
else
  echo "linux: target not available here; the matrix has ref results only"
fi

"$tc" requirements --format json --results "${results[@]}" -o "$out/requirements.json" || exit $?
echo "=== traceability matrix (JSON, $out/requirements.json)"
cat "$out/requirements.json"
echo "=== traceability summary"
"$tc" requirements --results "${results[@]}" | sed -n '/^Checkable requirements no script/,$p'
"$tc" requirements --strict --must-covered >/dev/null
