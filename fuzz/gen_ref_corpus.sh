#!/usr/bin/env bash
# The seed corpus of fuzz_ref: every script under specs/ converted to an
# action sequence by `tcpcheck fuzz-to-script --reverse` (inbound lines,
# socket calls and times; the reference makes the outbound ones), into
# fuzz/corpus/ref/, named after the script. Minimise afterwards with
#   fuzz_ref -merge=1 NEW_DIR fuzz/corpus/ref   (ci/fuzz.sh does not).
#   fuzz/gen_ref_corpus.sh build/default/harness/tcpcheck [OUT_DIR]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
tcpcheck=${1:?usage: gen_ref_corpus.sh TCPCHECK [OUT_DIR]}
out=${2:-$top/fuzz/corpus/ref}
mkdir -p "$out"
n=0
while IFS= read -r f; do
  rel=${f#"$top"/specs/}
  name=spec-$(echo "${rel%.pkt}" | tr '/' '-')
  if "$tcpcheck" fuzz-to-script --reverse "$f" -o "$out/$name" 2>/dev/null; then
    n=$((n + 1))
  else
    echo "skipped $rel" >&2
  fi
done < <(find "$top/specs" -name '*.pkt' | sort)
echo "$n seeds in $out"
