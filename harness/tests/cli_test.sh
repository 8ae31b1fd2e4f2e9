#!/usr/bin/env bash
# End-to-end tests of the tcpcheck command line (ctest label `cli`), one
# case per ctest test:  cli_test.sh CASE TCPCHECK WORKDIR
# Scripts come from harness/tests/scripts/.
set -uo pipefail
case_name=$1
tcpcheck=$2
work=$3/cli-$case_name
here=$(cd "$(dirname "$0")" && pwd)
scripts=$here/scripts
rm -rf "$work" && mkdir -p "$work"
cd "$work" || exit 1

fail() { echo "FAIL: $*"; exit 1; }

case $case_name in
pass_exit0)
  "$tcpcheck" run --no-timings "$scripts/pass_handshake.pkt" >out.txt 2>&1 ||
    { cat out.txt; fail "a passing script must exit 0"; }
  grep -q '^1 passed, 0 failed' out.txt || { cat out.txt; fail "summary line"; } ;;
fail_exit1)
  "$tcpcheck" run --no-timings "$scripts/fail_ack.pkt" >out.txt 2>&1
  rc=$?; cat out.txt
  [ $rc -eq 1 ] || fail "a failing script must exit 1, got $rc"
  grep -q 'ack: expected 2, got 1' out.txt || fail "the message must name the field"
  grep -q 'fail_ack.pkt:8:' out.txt || fail "the message must name the line"
  grep -q -- '---->' out.txt || fail "the ladder diagram is missing"
  grep -q 'rule: *3.10.7.2-syn-ack (§3.10.7.2, MUST-14)' out.txt || fail "the reference rule is missing" ;;
malformed_exit2)
  "$tcpcheck" run "$scripts/malformed.pkt" >out.txt 2>err.txt
  rc=$?; cat out.txt err.txt
  [ $rc -eq 2 ] || fail "a malformed script must exit 2, got $rc"
  grep -qE 'malformed\.pkt:5:[0-9]+: ' err.txt || fail "no file:line:col message" ;;
xpass_fails)
  "$tcpcheck" run --no-timings "$scripts/xpass.pkt" >out.txt 2>&1
  rc=$?; cat out.txt
  [ $rc -eq 1 ] || fail "an XPASS must fail the run, got $rc"
  grep -q 'XPASS' out.txt || fail "the report must say XPASS" ;;
watchdog)
  timeout 60 "$tcpcheck" run --no-timings "$scripts/blocks_forever.pkt" >out.txt 2>&1
  rc=$?; cat out.txt
  [ $rc -eq 1 ] || fail "a script that blocks forever must fail (exit 1), got $rc"
  grep -q 'watchdog' out.txt || fail "the watchdog must say it stopped the script"
  grep -q 'line 12' out.txt || fail "the watchdog must name the blocked line" ;;
junit_validates)
  "$tcpcheck" run --format junit -o report.xml "$scripts/pass_handshake.pkt" \
    "$scripts/fail_ack.pkt" "$scripts/xpass.pkt" >/dev/null 2>&1
  [ $? -eq 1 ] || fail "exit code"
  xmllint --noout --schema "$here/junit.xsd" report.xml || fail "JUnit XML does not validate"
  grep -q '<failure' report.xml || fail "no <failure> element" ;;
json_report)
  "$tcpcheck" run --format json --no-timings -o report.json "$scripts/pass_handshake.pkt" \
    "$scripts/fail_ack.pkt" >/dev/null 2>&1
  python3 - report.json <<'PY' || fail "JSON report"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["target"] == "ref" and r["tcpcheck"] and "profile" in r, r
v = {s["path"].split("/")[-1]: s for s in r["scripts"]}
assert v["pass_handshake.pkt"]["verdict"] == "pass"
f = v["fail_ack.pkt"]
assert f["verdict"] == "fail" and f["family"] == "ipv4"
m = f["mismatches"][0]
assert m["field"] == "ack" and m["expected"] == "2" and m["actual"] == "1" and m["line"] == 8
assert m["rule"].startswith("3.10.7.2"), m
PY
  ;;
tap_report)
  "$tcpcheck" run --format tap "$scripts/pass_handshake.pkt" "$scripts/fail_ack.pkt" \
    >report.tap 2>/dev/null
  head -1 report.tap | grep -q '^TAP version 13' || fail "TAP header"
  grep -q '^1\.\.2' report.tap || fail "TAP plan"
  grep -q '^ok 1 ' report.tap && grep -q '^not ok 2 ' report.tap || fail "TAP lines" ;;
pcap_both_directions)
  "$tcpcheck" run --pcap-dir . "$scripts/pass_handshake.pkt" >/dev/null 2>&1 ||
    fail "run failed"
  f=$(ls ./*.pcap | head -1)
  [ -n "$f" ] || fail "no pcap written"
  tshark -r "$f" -n -o tcp.check_checksum:TRUE -T fields -e ip.src -e tcp.checksum.status \
    2>/dev/null >fields.txt || fail "tshark cannot read $f"
  cat fields.txt
  grep -q '^192.0.2.2' fields.txt || fail "no inbound packets"
  grep -q '^192.0.2.1' fields.txt || fail "no outbound packets"
  ! awk '{print $2}' fields.txt | grep -qv '^1$' || fail "a checksum is not valid" ;;
expect_roundtrip)
  "$tcpcheck" expect -o filled.pkt "$scripts/expect_input.pkt" || fail "expect failed"
  cat filled.pkt
  grep -q '> S\. 0:0(0) ack 1' filled.pkt || fail "no SYN-ACK line written"
  grep -q '> P\?\. 1:1001(1000) ack 1' filled.pkt || fail "no data line written"
  "$tcpcheck" run --no-timings filled.pkt || fail "the filled-in script does not pass" ;;
shuffle_repeatable)
  "$tcpcheck" run --no-timings --shuffle 7 "$scripts" >a.txt 2>&1
  "$tcpcheck" run --no-timings --shuffle 7 "$scripts" >b.txt 2>&1
  cmp a.txt b.txt || fail "two --shuffle 7 --no-timings runs differ" ;;
targets_list)
  "$tcpcheck" targets >targets.txt || fail "tcpcheck targets failed"
  grep -q '^ref .*ready' targets.txt || fail "ref is not listed as ready" ;;
*)
  fail "unknown case $case_name" ;;
esac
echo "PASS: $case_name"
