#!/usr/bin/env bash
# Tests of the lwip target, run by ctest (label lwip):
#   lwip_test.sh determinism TCPCHECK TOP   the suite run twice, in two seeded
#       random orders and on two threads, gives byte-identical per-script
#       results (each script gets a pristine lwIP, whatever ran before it);
#   lwip_test.sh assertion TCPCHECK TOP     an lwIP assertion tripped on purpose
#       is reported (stderr: lwIP's message and location; the script: a
#       target error) and the run goes on: the next script still passes.
set -uo pipefail
case_=$1 tc=$2 top=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$top" || exit 1

# The text report with each script's block on one line, sorted: the same
# set of results whatever order the scripts ran in.
blocks() {
  awk 'NR == 1 { next }                      # header
       /^[0-9]+ passed/ { next }             # summary
       /^[^ ]/ { if (b != "") print b; b = $0; next }
       { b = b "\x1f" $0 }
       END { if (b != "") print b }' "$1" | LC_ALL=C sort
}

case $case_ in
determinism)
  "$tc" run --target lwip --no-timings --ip-version both --shuffle 1 -j 2 specs/ >"$tmp/a" 2>"$tmp/a.err"
  "$tc" run --target lwip --no-timings --ip-version both --shuffle 2 -j 2 specs/ >"$tmp/b" 2>"$tmp/b.err"
  blocks "$tmp/a" >"$tmp/a.sorted"
  blocks "$tmp/b" >"$tmp/b.sorted"
  n=$(wc -l <"$tmp/a.sorted")
  if [ "$n" -lt 50 ]; then
    echo "only $n results: the suite did not run"; cat "$tmp/a" "$tmp/a.err"; exit 1
  fi
  if ! cmp -s "$tmp/a.sorted" "$tmp/b.sorted"; then
    echo "results differ between the two orders:"
    diff "$tmp/a.sorted" "$tmp/b.sorted" | tr '\037' '\n' | head -60
    exit 1
  fi
  echo "$n results, identical in both orders"
  ;;
assertion)
  "$tc" run --target lwip --no-timings targets/lwip/tests/scripts/ >"$tmp/out" 2>"$tmp/err"
  rc=$?
  cat "$tmp/out" "$tmp/err"
  [ "$rc" -eq 1 ] || { echo "exit code $rc, expected 1 (a failure)"; exit 1; }
  grep -q "^FAIL  targets/lwip/tests/scripts/a-assert.pkt" "$tmp/out" || { echo "no FAIL for a-assert.pkt"; exit 1; }
  grep -q "a-assert.pkt:9:.*State not recoverable" "$tmp/out" || { echo "no target error on line 9"; exit 1; }
  grep -q "lwIP assertion \"don't call tcp_recved for listen-pcbs\" failed at src/core/tcp.c:[0-9]" "$tmp/err" \
    || { echo "lwIP's message and location missing"; exit 1; }
  grep -q "^PASS  targets/lwip/tests/scripts/b-after.pkt" "$tmp/out" || { echo "the run did not go on"; exit 1; }
  ;;
*) echo "unknown case $case_"; exit 2 ;;
esac
