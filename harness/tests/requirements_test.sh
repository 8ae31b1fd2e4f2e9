#!/usr/bin/env bash
# End-to-end tests of `tcpcheck requirements` (ctest label `requirements`),
# one case per ctest test:  requirements_test.sh CASE TCPCHECK [SOURCE_DIR]
# Fixtures come from harness/tests/requirements/.
set -uo pipefail
case_name=$1
tcpcheck=$2
src=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/requirements" || exit 1
fail() { echo "FAIL: $*"; exit 1; }
cat=catalogue.tsv
# Each case writes its outputs into its own scratch directory: ctest runs
# the cases in parallel in this same fixture directory.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

case $case_name in
matrix_text)
  out=$("$tcpcheck" requirements -c $cat scripts/a.pkt scripts/b.pkt) || fail "exit $?"
  echo "$out"
  echo "$out" | grep -qE '^MUST-1 +3.1 +wire +2 scripts' || fail "MUST-1 row"
  echo "$out" | grep -q 'not checkable: not observable' || fail "reason of MUST-3"
  echo "$out" | sed -n '/no script checks yet/,/^$/p' | grep -q 'MUST-2' || fail "MUST-2 uncovered"
  echo "$out" | sed -n '/no script checks yet/,/^$/p' | grep -q 'MUST-3' && fail "MUST-3 is not checkable"
  echo "$out" | grep -qE 'MUST +1 / 2 +covered, 1 not checkable' || fail "summary" ;;
matrix_json)
  "$tcpcheck" requirements -c $cat --format json --results ref.json linux.json \
    -- scripts/a.pkt scripts/b.pkt >"$tmp/out.json" || fail "exit $?"
  python3 - "$tmp/out.json" <<'PY' || fail "JSON"
import json, sys
d = json.load(open(sys.argv[1]))
r = {x["id"]: x for x in d["requirements"]}
assert set(r["MUST-1"]) >= {"id", "section", "check", "reason", "scripts", "passed_on"}, r["MUST-1"]
assert r["MUST-1"]["scripts"] == ["scripts/a.pkt", "scripts/b.pkt"], r["MUST-1"]
# a.pkt passed in both families on ref; b.pkt in the one it ran
assert r["MUST-1"]["passed_on"]["ref"] == ["scripts/a.pkt", "scripts/b.pkt"], r["MUST-1"]
# on linux a.pkt failed on IPv6 and b.pkt was an xfail: neither passed
assert r["MUST-1"]["passed_on"]["linux"] == [], r["MUST-1"]
assert r["§3.10.7.4-x"]["scripts"] == ["scripts/a.pkt"]
assert r["MUST-3"]["check"] == "none" and r["MUST-3"]["reason"] == "not observable"
assert d["uncovered"] == ["MUST-2"], d["uncovered"]
assert d["summary"]["MUST"] == {"total": 3, "checkable": 2, "covered": 1, "none": 1}, d["summary"]
PY
  rm -f "$tmp/out.json" ;;
strict_unknown)
  "$tcpcheck" requirements -c $cat scripts/ >/dev/null 2>"$tmp/err.txt"
  [ $? -eq 0 ] || fail "without --strict an unknown id is only listed"
  "$tcpcheck" requirements -c $cat --strict scripts/ >"$tmp/out.txt" 2>"$tmp/err.txt"
  rc=$?; cat "$tmp/out.txt" "$tmp/err.txt"
  [ $rc -eq 1 ] || fail "--strict with an unknown id must exit 1, got $rc"
  grep -q 'MUST-999 .*unknown.pkt' "$tmp/out.txt" || fail "the unknown id is listed"
  "$tcpcheck" requirements -c $cat --strict scripts/a.pkt >/dev/null || fail "known ids: exit 0"
  rm -f "$tmp/out.txt" "$tmp/err.txt" ;;
must_covered)
  "$tcpcheck" requirements -c $cat --must-covered scripts/a.pkt >/dev/null 2>"$tmp/err.txt"
  rc=$?; cat "$tmp/err.txt"
  [ $rc -eq 1 ] || fail "an uncovered checkable MUST must exit 1, got $rc"
  grep -q 'MUST-2 has no script' "$tmp/err.txt" || fail "names MUST-2"
  rm -f "$tmp/err.txt" ;;
bad_catalogue)
  "$tcpcheck" requirements -c bad-none.tsv scripts/a.pkt >/dev/null 2>"$tmp/err.txt"
  rc=$?; cat "$tmp/err.txt"
  [ $rc -eq 2 ] || fail "a none without reason must exit 2, got $rc"
  grep -qE '^bad-none.tsv:3:[0-9]+: .*reason' "$tmp/err.txt" || fail "file:line:col message"
  "$tcpcheck" requirements -c bad-dup.tsv scripts/a.pkt >/dev/null 2>"$tmp/err.txt"
  [ $? -eq 2 ] && grep -q 'bad-dup.tsv:3:1: duplicate id' "$tmp/err.txt" || fail "duplicate id"
  "$tcpcheck" requirements --format xml >/dev/null 2>&1
  [ $? -eq 2 ] || fail "bad format: exit 2"
  "$tcpcheck" requirements --help | grep -q 'usage: tcpcheck requirements' || fail "--help"
  rm -f "$tmp/err.txt" ;;
suite_strict)
  # The repository's own suite: every id a script names is in the catalogue.
  cd "$src" && "$tcpcheck" requirements --strict >/dev/null || fail "specs/ names unknown ids" ;;
*) fail "unknown case $case_name" ;;
esac
echo "ok $case_name"
