#!/usr/bin/env bash
# Benchmark of fuzz_ref (issue 11): executions per second and the distinct
# (state, event, rule) transitions of the reference reached in SECONDS (60).
# Built with the fuzz-perf preset (clang, libFuzzer, no sanitizers), run on
# one core from the seed corpus with the -max_len and dictionary of
# fuzz/fuzz_ref.options. The libFuzzer final statistics and the figures go
# to bench/results/fuzz_ref.txt.
#
# A transition is (state before, state after, kind, rule): a logged event
# (drop, state change, error, soft error, urgent, note) or a segment sent
# (kind "sent", in the state of its socket), under the rule of the
# reference's rule table that decided it. Two denominators:
#  - rules, derived from the reference's own table (FZ_RULES): every rule
#    id, less those the fuzz executor cannot reach by construction, listed
#    with the reason in bench/fuzz_ref_unreachable.tsv (IPv6, other
#    profiles, packets the executor never builds). The share of those
#    reachable rules that the run reached is the honest measure: a rule
#    nobody listed and nothing reached counts against the fuzzer.
#  - transitions: the reference has no table of which rule may fire in
#    which state, so this one is empirical: every transition that the
#    seed corpus, any recorded run, or the spec suite's scripts (converted
#    to action sequences, which is the seed corpus) reached, kept in
#    bench/results/fuzz_ref_transitions.txt (a union that only grows). It
#    can only understate what is reachable.
# The scratch corpus (new inputs libFuzzer writes) goes to /dev/shm when
# there is one: file creation on the disk cost a tenth of the run.
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
unreachable=bench/fuzz_ref_unreachable.tsv
# Open findings of the reference to look past (none today); CI never sets it.
export FZ_IGNORE=${FZ_IGNORE:-}
. ci/fuzz-flags.sh
fuzz_flags ref
scratch_root=/tmp
[ -d /dev/shm ] && [ -w /dev/shm ] && scratch_root=/dev/shm
tmp=$(mktemp -d "$scratch_root/fuzz_ref_bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$results" "$tmp/new"
touch "$known" "$tmp/seeds.txt" "$tmp/run.txt"

FZ_TRANSITIONS=$tmp/seeds.txt FZ_RULES=$tmp/rules.txt "$exe" -runs=0 fuzz/corpus/ref >/dev/null 2>&1
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
FZ_TRANSITIONS=$tmp/run.txt taskset -c "$cpu" "$exe" -max_total_time="$seconds" \
  "${FUZZ_FLAGS[@]}" -print_final_stats=1 "$tmp/new" fuzz/corpus/ref >"$tmp/log" 2>&1 || true
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
# CPU seconds the children used (the seed replay and the run): exec/s per
# CPU second stays meaningful when other work shares the core.
times >"$tmp/times" # a builtin: no subshell, so it sees this shell's children
cpu_s=$(tail -1 "$tmp/times" | awk '{ n = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); n += a[1] * 60 + a[2] } print n }')
sort -u "$known" "$tmp/seeds.txt" "$tmp/run.txt" -o "$known"

execs=$(grep -oE 'stat::average_exec_per_sec: +[0-9]+' "$tmp/log" | grep -oE '[0-9]+$' || echo 0)
reached=$(wc -l <"$tmp/run.txt")
seeds=$(wc -l <"$tmp/seeds.txt")
total=$(wc -l <"$known")
# Rules: the table, less the unreachable ones; reached = any transition under the rule.
{ grep -v '^#' "$unreachable" || true; } | cut -f1 | sort -u >"$tmp/unreach.txt"
sort -u "$tmp/rules.txt" >"$tmp/all.txt"
comm -23 "$tmp/all.txt" "$tmp/unreach.txt" >"$tmp/reachable.txt"
awk '{print $4}' "$tmp/run.txt" | sort -u >"$tmp/run_rules.txt"
rules_all=$(wc -l <"$tmp/all.txt")
rules_reachable=$(wc -l <"$tmp/reachable.txt")
rules_reached=$(comm -12 "$tmp/reachable.txt" "$tmp/run_rules.txt" | wc -l)
pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f%%", (b ? 100 * a / b : 0) }'; }
{
  echo "fuzz_ref benchmark, $(date -u +%Y-%m-%dT%H:%MZ), ${seconds}s on cpu $cpu of $(nproc)," \
       "load average $load_before before, $load_after after (other engineers share the machine)"
  echo "exec/s: $execs"
  units=$(grep -oE 'stat::number_of_executed_units: +[0-9]+' "$tmp/log" | grep -oE '[0-9]+$' || echo 0)
  echo "exec per CPU second: $(awk -v u="$units" -v c="$cpu_s" 'BEGIN { printf "%.0f", (c > 0 ? u / c : 0) }')" \
       "($units executions in ${cpu_s}s of CPU)"
  echo "transitions reached in ${seconds}s: $reached"
  echo "transitions the seed corpus reaches: $seeds"
  echo "transitions known reachable (seeds + every run so far): $total"
  echo "share of known transitions reached: $(pct "$reached" "$total")"
  echo "rules in the reference's table: $rules_all; reachable by the executor: $rules_reachable" \
       "(the rest listed in $unreachable)"
  echo "reachable rules reached in ${seconds}s: $rules_reached ($(pct "$rules_reached" "$rules_reachable"))"
  echo "reachable rules not reached:" $(comm -23 "$tmp/reachable.txt" "$tmp/run_rules.txt")
  echo "--- libFuzzer:"
  grep -E '^(stat::|#[0-9]+.*(INITED|DONE))|invariant violated|SUMMARY' "$tmp/log"
} | tee "$results/fuzz_ref.txt"
