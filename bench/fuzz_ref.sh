#!/usr/bin/env bash
# Benchmark of fuzz_ref (issue 11): executions per second and the distinct
# (state, event, rule) transitions of the reference reached in SECONDS (60).
# Built with the fuzz-perf preset (clang, libFuzzer, no sanitizers), run on
# one core from the seed corpus with the -max_len and dictionary of
# fuzz/fuzz_ref.options. The libFuzzer final statistics and the figures go
# to bench/results/fuzz_ref.txt.
#
# The denominator: the transitions "reachable" are those the seed corpus
# reaches (every spec script: socket verbs and a scripted peer) together
# with every transition any recorded run reached, kept in
# bench/results/fuzz_ref_transitions.txt (a union that only grows). The
# table's full size (states x states x kinds x rules) is printed too, as an
# upper bound, though most of it cannot happen.
# Open findings of the reference (specs/findings/ref/) are ignored through
# FZ_IGNORE, so that the run lasts its full time; list them in FZ_IGNORE below.
#   bench/fuzz_ref.sh [SECONDS] [CPU]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
seconds=${1:-60}
cpu=${2:-0}
build=${FUZZ_PERF_BUILD:-build/fuzz-perf}
if [ ! -x "$build/fuzz/fuzz_ref" ]; then
  cmake --preset fuzz-perf >/dev/null && cmake --build --preset fuzz-perf -j "$(nproc)" --target fuzz_ref >/dev/null
fi
exe=$build/fuzz/fuzz_ref
results=bench/results
known=$results/fuzz_ref_transitions.txt
export FZ_IGNORE=${FZ_IGNORE:-timer-in-the-past,snd-una-below-iss,snd-una-above-snd-nxt}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$results" "$tmp/new"
touch "$known" "$tmp/seeds.txt" "$tmp/run.txt"

FZ_TRANSITIONS=$tmp/seeds.txt "$exe" -runs=0 fuzz/corpus/ref >/dev/null 2>&1
FZ_TRANSITIONS=$tmp/run.txt taskset -c "$cpu" "$exe" -max_total_time="$seconds" \
  -max_len=512 -dict=fuzz/ref.dict -print_final_stats=1 "$tmp/new" fuzz/corpus/ref \
  >"$tmp/log" 2>&1 || true
sort -u "$known" "$tmp/seeds.txt" "$tmp/run.txt" -o "$known"

execs=$(grep -oE 'stat::average_exec_per_sec: +[0-9]+' "$tmp/log" | grep -oE '[0-9]+$')
reached=$(wc -l <"$tmp/run.txt")
seeds=$(wc -l <"$tmp/seeds.txt")
total=$(wc -l <"$known")
{
  echo "fuzz_ref benchmark, $(date -u +%Y-%m-%dT%H:%MZ), ${seconds}s on cpu $cpu, $(nproc) cpus"
  echo "exec/s: $execs"
  echo "transitions reached in ${seconds}s: $reached"
  echo "transitions the seed corpus reaches: $seeds"
  echo "transitions reachable (seeds + every run so far): $total"
  echo "share reached: $(awk -v a="$reached" -v b="$total" 'BEGIN { printf "%.1f%%", 100 * a / b }')"
  echo "--- libFuzzer:"
  grep -E '^(stat::|#[0-9]+.*(INITED|DONE))|invariant violated|SUMMARY' "$tmp/log"
} | tee "$results/fuzz_ref.txt"
