#!/usr/bin/env bash
# The fuzz stage: build the `fuzz` preset (clang, libFuzzer, ASan+UBSan),
# then for every fuzz target run its corpus as a regression test and fuzz it
# for FUZZ_SECONDS (default 60) from its seed corpus, with the dictionary
# and -max_len of its fuzz/<name>.options (else fuzz/<name>.dict). New
# corpus entries go to a scratch directory, never into the repository.
# Findings (crash-*, leak-*, timeout-*) are kept in build/fuzz/findings/.
#
# fuzz_diff_lwip's new differ violations are reported for triage and
# counted, not failed on. Any other finding fails the stage unless its
# signature is listed as known for a third-party stack in
# fuzz/known/<stack>.tsv: lines of
#   SIGNATURE<TAB>ID-IN-docs/findings/<stack>.md
# where SIGNATURE is the assertion / invariant text or the sanitizer report
# kind followed by the top frames, as this script prints it ("signature:"
# line), or its kind alone for the lwIP assertions and differ violations
# that fuzz_lwip / fuzz_diff_lwip recognise in-process (those report a known
# one once and go on: lwip_common.h). The reference and tcpcheck's own code
# have no known findings. The reproducer is printed: for fuzz_ref the script
# of tcpcheck fuzz-to-script, for fuzz_lwip lwIP's transcript of the input,
# for fuzz_diff_lwip the input's script and its `tcpcheck diff --target lwip`.
# The lwIP targets fuzz for FUZZ_SECONDS_LWIP (default 45) each.
#   FUZZ_SECONDS=600 ci/fuzz.sh ref   # one target, 10 minutes
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. ci/fuzz-flags.sh
seconds=${FUZZ_SECONDS:-60}
# lwIP's two fuzzers are slower per input and share the stage's budget.
seconds_lwip=${FUZZ_SECONDS_LWIP:-45}
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

# signature, stack_of, known, known_id
. ci/fuzz-signature.sh

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
  secs=$seconds
  case $t in lwip|diff_lwip) secs=$seconds_lwip ;; esac
  echo "== fuzz $t: ${secs}s"
  before=$(ls "$findings" | grep -c "^$t-" || true)
  # fuzz_diff_lwip's new differ violations are semantic divergences that
  # need triage (finding, or profile gap): the stage reports them with
  # their inputs and goes on (FZ_CONTINUE); a crash or sanitizer report of
  # that target still fails it. fuzz_lwip stays strict.
  run_env=()
  if [ "$t" = diff_lwip ]; then
    run_env=(FZ_CONTINUE=1 FZ_SAVE_DIR="$findings/diff_lwip-untriaged")
    mkdir -p "$findings/diff_lwip-untriaged"
  fi
  if ! env "${run_env[@]}" "$exe" -max_total_time="$secs" -print_final_stats=1 -artifact_prefix="$findings/$t-" \
       -rss_limit_mb=2048 -timeout=10 "${flags[@]}" "$scratch" "$corpus" >"$scratch/fuzz.log" 2>&1; then
    sig=$(signature "$scratch/fuzz.log")
    stack=$(stack_of "$scratch/fuzz.log")
    artifact=$(ls -t "$findings"/"$t"-* 2>/dev/null | head -1)
    echo "signature: $sig"
    echo "stack: $stack   input: ${artifact:-none}"
    if known "$stack" "$sig"; then
      echo "known finding $(known_id "$stack" "$sig") of $stack (fuzz/known/$stack.tsv): not a failure"
    else
      tail -40 "$scratch/fuzz.log"
      if [ "$t" = ref ] && [ -n "$artifact" ] && [ -x "$tcpcheck" ]; then
        echo "== reproducer (tcpcheck fuzz-to-script $artifact):"
        "$tcpcheck" fuzz-to-script "$artifact" -o "$artifact.pkt" && cat "$artifact.pkt"
      elif [ "$t" = lwip ] && [ -n "$artifact" ]; then
        echo "== what lwIP did (FZ_SCRIPT transcript of $artifact):"
        FZ_SCRIPT="$artifact.pkt" "$exe" "$artifact" >/dev/null 2>&1 || true
        cat "$artifact.pkt" 2>/dev/null || true
      elif [ "$t" = diff_lwip ] && [ -n "$artifact" ] && [ -x "$tcpcheck" ]; then
        echo "== reproducer (tcpcheck diff --target lwip on the script of $artifact):"
        FZ_SCRIPT="$artifact.pkt" "$exe" "$artifact" >/dev/null 2>&1 || true
        cat "$artifact.pkt" 2>/dev/null && "$tcpcheck" diff --target lwip "$artifact.pkt" || true
      fi
      status=1
    fi
  fi
  if [ "$t" = diff_lwip ]; then
    untriaged=$(grep -E '^fuzz_diff_lwip: differ violation: ' "$scratch/fuzz.log" |
                sed 's/^fuzz_diff_lwip: //' | sort -u || true)
    echo "== diff_lwip: $(grep -c . <<<"$untriaged" || true) untriaged violation kinds this run (report-only; inputs in $findings/diff_lwip-untriaged/)"
    [ -z "$untriaged" ] || sed 's/^/   /' <<<"$untriaged"
  fi
  grep -E '^(stat::|#[0-9]+.*DONE)' "$scratch/fuzz.log" || tail -5 "$scratch/fuzz.log"
  rm -rf "$scratch"
done
exit $status
