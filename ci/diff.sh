#!/usr/bin/env bash
# CI stage `diff`: oracle mode over the suite (tcpcheck diff, harness/diff.h).
#   1. the self-check: the reference against itself, zero findings;
#   2. lwip and linux (each when `tcpcheck targets` says it is ready here;
#      linux needs root): the findings summary, and every violation looked
#      up in docs/findings/<stack>-diff.tsv — a real finding (documented in
#      docs/findings/<stack>.md, with its reproducer) or a profile gap. The
#      counts of each are printed; an untriaged violation fails the stage
#      (on linux, only if a second run of its script shows it again: real
#      time). Deviations and timing findings are printed, never fail.
# Usage: ci/diff.sh [BUILD_DIR]   (default build/default)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/default}
tc="$build/harness/tcpcheck"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "--- diff --target ref (self-check)"
"$tc" diff --target ref -q specs/ | tee "$out/ref.txt"
grep -q "findings: 0 violation, 0 deviation, 0 timing" "$out/ref.txt"

# triage STACK JSON [UNTRIAGED_OUT]: print the counts; exit 1 if a violation
# is not in docs/findings/STACK-diff.tsv (its scripts go to UNTRIAGED_OUT).
triage() {
	python3 - "$@" <<'PY'
import json, sys
stack, path = sys.argv[1], sys.argv[2]
tsv = "docs/findings/%s-diff.tsv" % stack
known = {}
for line in open(tsv):
    if line.startswith("#") or not line.strip():
        continue
    f = line.rstrip("\n").split("\t")
    known[(f[0], f[1])] = f[2]
doc = json.load(open(path))
real = gap = 0
untriaged = []
for x in doc["findings"]:
    if x["class"] != "violation":
        continue
    t = known.get((x["script"], x["rule"]), "untriaged")
    if t.startswith("finding:"):
        real += 1
    elif t.startswith("profile-gap:"):
        gap += 1
    else:
        untriaged.append(x)
print("%s violations: %d real findings (docs/findings/%s.md), %d profile gaps, %d untriaged"
      % (stack, real, stack, gap, len(untriaged)))
for u in untriaged:
    print("  untriaged: %s:%d %s" % (u["script"], u["line"], u["rule"]))
if len(sys.argv) > 3:
    with open(sys.argv[3], "w") as out:
        for script in sorted({u["script"] for u in untriaged}):
            out.write(script + "\n")
sys.exit(1 if untriaged else 0)
PY
}

for stack in lwip linux; do
	if ! "$tc" targets | grep -q "^$stack .*ready"; then
		echo "--- diff --target $stack: not ready here (tcpcheck targets)"
		continue
	fi
	if [ ! -f "docs/findings/$stack-diff.tsv" ]; then
		echo "--- diff --target $stack: no triage file docs/findings/$stack-diff.tsv yet"
		continue
	fi
	echo "--- diff --target $stack"
	# -j2: the linux target runs in real time (about a minute for the suite);
	# the summary table goes to stderr, the findings to the JSON file.
	"$tc" diff --target "$stack" -j2 --format json -o "$out/$stack.json" specs/ || true
	if triage "$stack" "$out/$stack.json" "$out/$stack.untriaged"; then
		continue
	fi
	[ "$stack" = linux ] || exit 1
	# Real time on a shared machine: a late timer can move an ACK across a
	# script event. A violation counts only if a second run shows it again.
	echo "--- diff --target $stack: the untriaged scripts once more"
	mapfile -t again < "$out/$stack.untriaged"
	"$tc" diff --target "$stack" --format json -o "$out/$stack.again.json" "${again[@]}" 2>/dev/null || true
	triage "$stack" "$out/$stack.again.json" || exit 1
	echo "$stack: ${#again[@]} script(s) with violations that did not come back (timing), not counted"
done
