#!/usr/bin/env bash
# The fuzz stage: build the `fuzz` preset (clang, libFuzzer, ASan+UBSan),
# then for every fuzz target run its corpus as a regression test and fuzz it
# for FUZZ_SECONDS (default 60) from its seed corpus, with the dictionary
# and -max_len of its fuzz/<name>.options (else fuzz/<name>.dict). New
# corpus entries go to a scratch directory, never into the repository.
# Findings (crash-*, leak-*, timeout-*) are kept in build/fuzz/findings/.
#
# A finding fails the stage unless its signature is listed as known for a
# third-party stack in fuzz/known/<stack>.tsv: lines of
#   SIGNATURE<TAB>ID-IN-docs/findings/<stack>.md
# where SIGNATURE is the assertion / invariant text or the sanitizer report
# kind followed by the top frames, as this script prints it ("signature:"
# line). The reference and tcpcheck's own code have no known findings.
# For fuzz_ref, the reproducer script (tcpcheck fuzz-to-script) is printed.
#   FUZZ_SECONDS=600 ci/fuzz.sh ref   # one target, 10 minutes
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. ci/fuzz-flags.sh
seconds=${FUZZ_SECONDS:-60}
preset=${FUZZ_PRESET:-fuzz}

werror=${TCPCHECK_WERROR:-$([ -n "${CI:-}" ] && echo ON || echo OFF)}
log=$(mktemp)
if ! { cmake --preset "$preset" -DTCPCHECK_WERROR="$werror" &&
       cmake --build --preset "$preset" -j "$(nproc)"; } >"$log" 2>&1; then
  tail -60 "$log"; exit 1
fi
rm -f "$log"

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for src in fuzz/fuzz_*.c; do
    name=$(basename "$src" .c)
    targets+=("${name#fuzz_}")
  done
fi

# The signature of a finding from its log: our invariant text, an abort
# message, or the sanitizer report kind, plus the top three frames of ours.
signature() {
  local logf=$1 kind frames
  kind=$(grep -m1 -oE 'invariant violated: [a-z0-9-]+|ERROR: AddressSanitizer: [a-zA-Z-]+|runtime error: [^:]*|Assertion `[^'"'"']*'"'"' failed|ERROR: libFuzzer: [a-z-]+' "$logf" || true)
  frames=$(grep -E '^ +#[0-9]+ 0x[0-9a-f]+ in ' "$logf" |
           grep -vE ' in (__|abort|raise|fuzzer::|LLVMFuzzerTestOneInput|main|_start|gsignal)' |
           head -3 | sed -E 's/.* in ([^ ]+).*/\1/' | paste -sd' ' || true)
  printf '%s | %s' "${kind:-unknown}" "$frames"
}

# The stack a finding belongs to: the first frame's source folder.
stack_of() {
  local logf=$1 path
  path=$(grep -m1 -oE '/(targets|third_party)/[a-z0-9_]+' "$logf" || true)
  case "$path" in
    /targets/ref|'') echo ref ;;
    */lwip) echo lwip ;;
    *) basename "$path" ;;
  esac
}

known() {
  local stack=$1 sig=$2 file=fuzz/known/$stack.tsv
  [ "$stack" != ref ] && [ -f "$file" ] || return 1
  grep -v '^#' "$file" | cut -f1 | grep -qxF -- "$sig"
}

findings=build/$preset/findings
mkdir -p "$findings"
tcpcheck=build/$preset/harness/tcpcheck
status=0
for t in "${targets[@]}"; do
  exe=build/$preset/fuzz/fuzz_$t
  corpus=fuzz/corpus/$t
  fuzz_flags "$t"
  flags=("${FUZZ_FLAGS[@]}")
  scratch=$(mktemp -d)
  echo "== fuzz $t: replay $(ls "$corpus" | wc -l) corpus inputs"
  if ! "$exe" -runs=0 "$corpus" >"$scratch/replay.log" 2>&1; then
    tail -30 "$scratch/replay.log"; status=1
  fi
  echo "== fuzz $t: ${seconds}s"
  before=$(ls "$findings" | grep -c "^$t-" || true)
  if ! "$exe" -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$findings/$t-" \
       -rss_limit_mb=2048 -timeout=10 "${flags[@]}" "$scratch" "$corpus" >"$scratch/fuzz.log" 2>&1; then
    sig=$(signature "$scratch/fuzz.log")
    stack=$(stack_of "$scratch/fuzz.log")
    artifact=$(ls -t "$findings"/"$t"-* 2>/dev/null | head -1)
    echo "signature: $sig"
    echo "stack: $stack   input: ${artifact:-none}"
    if known "$stack" "$sig"; then
      echo "known finding of $stack (fuzz/known/$stack.tsv): not a failure"
    else
      tail -40 "$scratch/fuzz.log"
      if [ "$t" = ref ] && [ -n "$artifact" ] && [ -x "$tcpcheck" ]; then
        echo "== reproducer (tcpcheck fuzz-to-script $artifact):"
        "$tcpcheck" fuzz-to-script "$artifact" -o "$artifact.pkt" && cat "$artifact.pkt"
      fi
      status=1
    fi
  fi
  grep -E '^(stat::|#[0-9]+.*DONE)' "$scratch/fuzz.log" || tail -5 "$scratch/fuzz.log"
  rm -rf "$scratch"
done
exit $status
