#!/bin/bash
# `tcpcheck diff` end to end: the self-check (the reference against itself
# over the whole suite: zero findings) and the mutants of the reference
# (targets/ref/ref_target.h), each of which must give exactly the expected
# finding. Usage: diff_test.sh CASE TCPCHECK SOURCE_DIR WORK_DIR
set -u
case_name=$1 tc=$2 src=$3 work=$4
mkdir -p "$work"
out="$work/diff_$case_name.json"

fail() { echo "FAIL: $*"; exit 1; }

# mutant NAME SCRIPT: diff the mutant on SCRIPT into $out (rc 1 expected)
mutant() {
	"$tc" diff --target ref --target-set "mutant=$1" --format json -o "$out" "$src/$2" 2>/dev/null
	[ $? -eq 1 ] || fail "mutant $1: expected exit 1"
}

# expect N CLASS FIELD=VALUE...: exactly N findings, the first of CLASS with
# the fields given (a value ending in * is a prefix)
expect() {
	python3 - "$out" "$@" <<'PY' || exit 1
import json, sys
doc = json.load(open(sys.argv[1]))
n, cls, checks = int(sys.argv[2]), sys.argv[3], sys.argv[4:]
f = doc["findings"]
if len(f) != n:
    sys.exit("FAIL: expected %d finding(s), got %d: %s" % (n, len(f), json.dumps(f, indent=1)))
x = f[0]
for k in ("script", "line", "time", "class", "rule", "fields"):
    if k not in x:
        sys.exit("FAIL: finding has no '%s'" % k)
if x["class"] != cls:
    sys.exit("FAIL: class %s, expected %s: %s" % (x["class"], cls, json.dumps(x, indent=1)))
for c in checks:
    k, v = c.split("=", 1)
    got = str(x.get(k, ""))
    if (v.endswith("*") and not got.startswith(v[:-1])) or (not v.endswith("*") and got != v):
        sys.exit("FAIL: %s = %r, expected %r: %s" % (k, got, v, json.dumps(x, indent=1)))
if not x["fields"] or "expected" not in x["fields"][0] or "actual" not in x["fields"][0]:
    sys.exit("FAIL: fields without expected / actual")
PY
}

case "$case_name" in
selfcheck)
	"$tc" diff --target ref -q "$src/specs" > "$work/selfcheck.txt" 2>&1
	rc=$?
	cat "$work/selfcheck.txt"
	[ $rc -eq 0 ] || fail "diff --target ref over specs/ exited $rc"
	grep -q "findings: 0 violation, 0 deviation, 0 timing" "$work/selfcheck.txt" || fail "findings"
	grep -q ", 0 skipped, 0 errors" "$work/selfcheck.txt" || fail "skips or errors"
	;;
mutant_bad_csum)   # a segment with a bad checksum accepted
	mutant bad-csum specs/checksum/bad-data.pkt
	expect 1 violation rule=3.1-bad-checksum rule_requirement=MUST-3 kind=unexpected line=20
	;;
mutant_rst_no_challenge)   # an in-window RST resets instead of drawing a challenge ACK
	mutant rst-no-challenge specs/rst/rst-challenge-in-window.pkt
	expect 1 deviation rule=3.10.7.4-rst-challenge-ack profile_key=rfc5961_rst \
		profile_value=off "rule_text=RST in the window*" "note=not resynchronised*"
	grep -q "RFC 5961" "$out" || fail "RFC 5961 not named"
	;;
mutant_iw)   # a changed initial window
	mutant iw harness/tests/scripts/diff/iw-burst.pkt
	expect 1 deviation profile_key=iw_segments profile_value=1 line=14
	# ... which the profile fixes
	"$tc" diff --target ref --target-set mutant=iw --set iw_segments=1 -q \
		"$src/harness/tests/scripts/diff/iw-burst.pkt" > /dev/null || fail "--set iw_segments=1 does not fix it"
	;;
mutant_late_delack)   # a delayed ACK sent late, within 0.5 s
	mutant late-delack specs/data/delayed-ack.pkt
	expect 1 timing rule=3.8.6.3-delayed-ack line=17
	;;
mutant_tw_no_reack)   # no re-ACK of a retransmitted FIN in TIME-WAIT, twice: one cause
	mutant tw-no-reack specs/timewait/fin-reack.pkt
	expect 1 violation rule=3.10.7.4-time-wait-fin rule_requirement=MUST-13 kind=missing consequences=1
	;;
mutant_ooo_ack)   # a wrong ACK after out-of-order data; the comparison goes on
	mutant ooo-ack specs/reorder/out-of-order.pkt
	expect 1 violation rule=3.10.7.4-ack-out-of-order kind=fields line=19 consequences=0
	;;
mutant_ooo_ack_continues)   # the comparison resynchronises and finds the second
	mutant ooo-ack harness/tests/scripts/diff/ooo-twice.pkt
	expect 2 violation rule=3.10.7.4-ack-out-of-order line=15 consequences=0
	python3 -c "import json,sys; f=json.load(open('$out'))['findings'][1]; sys.exit(0 if f['line']==19 and f['fields'][0]['expected']=='21' else 'FAIL: %s' % f)" || exit 1
	;;
junit)
	"$tc" diff --target ref --target-set mutant=bad-csum --format junit -o "$work/diff.xml" \
		"$src/specs/checksum/" 2>/dev/null
	grep -q '<failure message="line' "$work/diff.xml" || fail "no failure"
	if command -v xmllint > /dev/null; then
		xmllint --noout --schema "$src/harness/tests/junit.xsd" "$work/diff.xml" || fail "junit schema"
	fi
	;;
profiles)
	"$tc" profiles > "$work/profiles.txt" || fail "profiles exit"
	grep -q "^# profile rfc" "$work/profiles.txt" || fail "rfc missing"
	grep -q "^# profile lwip" "$work/profiles.txt" || fail "lwip missing"
	grep -q "^rfc5961_rst = " "$work/profiles.txt" || fail "keys missing"
	"$tc" profiles "$src/reference/profiles/lwip.profile" > /dev/null || fail "file"
	"$tc" diff --set no_such_key=1 "$src/specs/checksum/bad-data.pkt" 2>/dev/null
	[ $? -eq 2 ] || fail "an unknown --set key must be a usage error"
	;;
pcap)
	rm -rf "$work/pcaps"
	"$tc" diff --target ref --pcap-dir "$work/pcaps" "$src/specs/checksum/bad-data.pkt" > /dev/null || fail "exit"
	ls "$work/pcaps"/*.pcap > /dev/null 2>&1 || fail "no pcap"
	;;
also_check)   # --also-check: the script's own `>` lines, reported apart
	"$tc" diff --target ref --also-check "$src/specs/checksum/bad-data.pkt" > "$work/ac.txt" \
		|| fail "a passing check must exit 0"
	grep -q "^also-check (the scripts' own \`>\` lines on ref): 1 passed, 0 failed" "$work/ac.txt" \
		|| fail "no also-check count: $(cat "$work/ac.txt")"
	mutant bad-csum specs/checksum/bad-data.pkt   # the oracle's finding, as before ...
	expect 1 violation rule=3.1-bad-checksum
	"$tc" diff --target ref --target-set mutant=bad-csum --also-check --format json -o "$out" \
		"$src/specs/checksum/bad-data.pkt" 2>/dev/null
	[ $? -eq 1 ] || fail "a failing check must exit 1"
	python3 - "$out" <<'PY' || exit 1
import json, sys
doc = json.load(open(sys.argv[1]))
assert len(doc["findings"]) == 1, doc["findings"]          # ... unchanged by the check
c = doc["also_check"]
assert len(c) == 1 and c[0]["verdict"] == "fail" and c[0]["mismatches"], c
assert c[0]["mismatches"][0]["line"] == 20, c
assert doc["summary"]["also_check"]["fail"] == 1, doc["summary"]
PY
	;;
*)
	fail "unknown case $case_name"
	;;
esac
echo "ok: $case_name"
