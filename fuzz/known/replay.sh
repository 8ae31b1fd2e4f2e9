#!/usr/bin/env bash
# Replays the regression input of a known finding (third column of
# fuzz/known/STACK.tsv) with its fuzz target and checks that the report
# still has the listed signature: a known memory bug or UB of a third-party
# stack must keep reproducing under the sanitizer build (ctest known.*; the
# asan preset, where the fuzz builds' filters and ignore lists are off).
#   fuzz/known/replay.sh FUZZ_EXE STACK ID
set -euo pipefail
exe=$1 stack=$2 id=$3
cd "$(dirname "$0")/../.."
. ci/fuzz-signature.sh
row=$(grep -v '^#' "fuzz/known/$stack.tsv" | awk -F'\t' -v id="$id" '$2 == id && $3 != "" { print; exit }')
[ -n "$row" ] || { echo "no row with id $id and an input in fuzz/known/$stack.tsv"; exit 2; }
want=$(cut -f1 <<<"$row")
input=fuzz/known/$(cut -f3 <<<"$row")
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# FZ_STRICT=1: the fuzz target's own filter of known triggers is off.
if FZ_STRICT=1 "$exe" "$input" >"$log" 2>&1; then
  echo "$id: $input ran clean: the finding no longer reproduces (fixed? then retire it)"
  exit 1
fi
got=$(signature "$log")
echo "$id: signature: $got"
if [ "$got" != "$want" ] && [ "${got%% | *}" != "$want" ]; then
  echo "$id: expected: $want"
  tail -30 "$log"
  exit 1
fi
