#!/usr/bin/env bash
# End to end: a planted defect's crash in fuzz_ref becomes a minimal,
# readable script that reproduces it (issue 11).
#   fuzz_to_script_test.sh TCPCHECK FUZZ_REF WORKDIR
# The planted defect (fz_exec_config.planted, FZ_PLANTED=1 / --planted): a
# 7-octet URG+FIN that takes an accepted connection to CLOSE-WAIT "breaks
# an invariant". The input buries that segment among unrelated actions.
set -euo pipefail
tcpcheck=$1 fuzz_ref=$2 dir=$3/fuzz_to_script
rm -rf "$dir" && mkdir -p "$dir"
fail() { echo "FAIL: $*" >&2; exit 1; }

cat >"$dir/noisy.pkt" <<'PKT'
   0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
  +0 bind(3, ..., ...) = 0
  +0 listen(3, 1) = 0
  +0 < S 0:0(0) win 8192 <mss 1460>
 +.1 < . 1:1(0) ack 1 win 8192
  +0 accept(3, ..., ...) = 4
  +0 setsockopt(4, IPPROTO_TCP, TCP_NODELAY, [1], 4) = 0
  +0 write(4, ..., 300) = 300
 +.1 < . 1:1(0) ack 301 win 8192
  +0 < P. 1:101(100) ack 301 win 8192
 +.3 read(4, ..., 100) = 100
  +0 < . 1:1(0) ack 301 win 8192 bad_csum
  +1 write(4, ..., 50) = 50
 +.2 < . 101:101(0) ack 351 win 4000
  +0 < . 5000:5000(0) ack 351 win 4000
PKT
"$tcpcheck" fuzz-to-script --reverse "$dir/noisy.pkt" -o "$dir/crash-input" ||
  fail "script -> actions"
# Then, in the action format itself: the URG+FIN (SEG, flags FIN|PSH|ACK|URG,
# seq RCV.NXT, ack SND.NXT, 7 octets, window 65535, no options, urg 1),
# a write of 10 octets, one second.
printf '\x00\x39\x10\x30\x07\xff\x00\x00\x01\x1d\x0a\x6c' >>"$dir/crash-input"

# The crash, as libFuzzer (or the replay runner) sees it.
if FZ_PLANTED=1 "$fuzz_ref" "$dir/crash-input" >"$dir/fuzz.log" 2>&1; then
  fail "fuzz_ref did not crash on the planted defect"
fi
grep -q 'invariant violated: planted-defect' "$dir/fuzz.log" || fail "no planted-defect report"
"$fuzz_ref" "$dir/crash-input" >/dev/null 2>&1 || fail "fuzz_ref crashed without the planted defect"

# The finding as a script.
"$tcpcheck" fuzz-to-script --planted "$dir/crash-input" -o "$dir/repro.pkt" 2>"$dir/f2s.log" ||
  { cat "$dir/f2s.log"; fail "fuzz-to-script"; }
cat "$dir/repro.pkt"
grep -q '^// Found by fuzz_ref: planted-defect' "$dir/repro.pkt" || fail "no comment naming the finding"
inbound=$(grep -c '^ *+*[0-9.]* < ' "$dir/repro.pkt" || true)
noisy=$(grep -c ' < ' "$dir/noisy.pkt")
[ "$inbound" -le 3 ] || fail "$inbound inbound lines: not minimal (the noisy input had $noisy)"
grep -q '< FPU\. 1:8(7) ack 1 win 65535 urg 1' "$dir/repro.pkt" || fail "the URG+FIN line is missing"
! grep -q 'write(' "$dir/repro.pkt" || fail "writes kept: not minimal"

# It reproduces: replayed as actions it shows the finding, and it is a
# valid script the reference passes (its outbound lines are the reference's).
if "$tcpcheck" fuzz-to-script --planted --check "$dir/repro.pkt" >"$dir/check.log"; then
  fail "--check does not reproduce the finding"
fi
grep -q planted-defect "$dir/check.log" || fail "--check names another finding"
"$tcpcheck" fuzz-to-script --check "$dir/repro.pkt" >/dev/null || fail "shows a finding without the defect"
"$tcpcheck" run --target ref "$dir/repro.pkt" >"$dir/run.log" || { cat "$dir/run.log"; fail "tcpcheck run"; }
echo "PASS"
