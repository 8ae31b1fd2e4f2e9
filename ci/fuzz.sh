#!/usr/bin/env bash
# The fuzz stage: build the `fuzz` preset (clang, libFuzzer, ASan+UBSan),
# then for every fuzz target run its corpus as a regression test and fuzz it
# for FUZZ_SECONDS (default 60) from its seed corpus and dictionary. New
# corpus entries go to a scratch directory, never into the repository.
# Findings (crash-*, leak-*, timeout-*) are kept in build/fuzz/findings/.
# Exits non-zero on any finding.
#   FUZZ_SECONDS=600 ci/fuzz.sh packet_decode   # one target, 10 minutes
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
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

findings=build/$preset/findings
mkdir -p "$findings"
status=0
for t in "${targets[@]}"; do
  exe=build/$preset/fuzz/fuzz_$t
  corpus=fuzz/corpus/$t
  dict=()
  [ -f "fuzz/$t.dict" ] && dict=(-dict="fuzz/$t.dict")
  scratch=$(mktemp -d)
  echo "== fuzz $t: replay $(ls "$corpus" | wc -l) corpus inputs"
  if ! "$exe" -runs=0 "$corpus" >"$scratch/replay.log" 2>&1; then
    tail -30 "$scratch/replay.log"; status=1
  fi
  echo "== fuzz $t: ${seconds}s"
  if ! "$exe" -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$findings/$t-" \
       -rss_limit_mb=2048 -timeout=10 "${dict[@]}" "$scratch" "$corpus" >"$scratch/fuzz.log" 2>&1; then
    tail -40 "$scratch/fuzz.log"; status=1
  fi
  grep -E '^(stat::|#[0-9]+.*DONE)' "$scratch/fuzz.log" || tail -5 "$scratch/fuzz.log"
  rm -rf "$scratch"
done
exit $status
