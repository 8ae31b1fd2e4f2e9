#!/usr/bin/env bash
# CI stage `diff`: oracle mode over the suite (tcpcheck diff, harness/diff.h).
#   1. the self-check: the reference against itself, zero findings;
#   2. lwip (and linux, when its target is ready here): the findings summary,
#      and every violation looked up in docs/findings/<stack>-diff.tsv —
#      a real finding (documented in docs/findings/<stack>.md, with its
#      reproducer) or a profile gap. The counts of each are printed; an
#      untriaged violation fails the stage.
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

triage() { # STACK JSON
	python3 - "$1" "$2" <<'PY'
import json, sys
stack, path = sys.argv[1], sys.argv[2]
tsv = "docs/findings/%s-diff.tsv" % stack
known = {}
for line in open(tsv):
    if line.startswith("#") or not line.strip():
        continue
    f = line.rstrip("\n").split("\t")
    known[(f[0], f[1])] = f[2]
real = gap = 0
untriaged = []
for x in json.load(open(path))["findings"]:
    if x["class"] != "violation":
        continue
    t = known.get((x["script"], x["rule"]), "untriaged")
    if t.startswith("finding:"):
        real += 1
    elif t.startswith("profile-gap:"):
        gap += 1
    else:
        untriaged.append("%s:%d %s" % (x["script"], x["line"], x["rule"]))
print("%s violations: %d real findings (docs/findings/%s.md), %d profile gaps, %d untriaged"
      % (stack, real, stack, gap, len(untriaged)))
for u in untriaged:
    print("  untriaged: " + u)
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
	"$tc" diff --target "$stack" --format json -o "$out/$stack.json" specs/ || true
	triage "$stack" "$out/$stack.json"
done
