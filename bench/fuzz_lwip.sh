#!/usr/bin/env bash
# Benchmark of lwIP's fuzz targets (issue 12): executions per second of
#   fuzz_lwip       with ASan + UBSan (the `fuzz` preset: build/fuzz), and
#   fuzz_diff_lwip  without sanitizers (the `fuzz-perf` preset: build/fuzz-perf),
# each on one core (taskset) for SECONDS (60) from its seed corpus, with the
# flags of its .options file. Known findings of lwIP are passed over
# in-process, as in CI, and a new one is printed and passed over too
# (FZ_CONTINUE=1: a benchmark measures speed; ci/fuzz.sh is where a new
# finding fails). Open it with FZ_SAVE_DIR. The figures and libFuzzer's final statistics go to
# bench/results/fuzz_lwip.txt and bench/results/fuzz_diff_lwip.txt. Goals:
# fuzz_lwip >= 30,000 exec/s, fuzz_diff_lwip >= 15,000 exec/s.
# Exec per CPU second is printed too: it stays meaningful on a shared machine.
#   bench/fuzz_lwip.sh [SECONDS] [CPU] [lwip|diff_lwip ...]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
seconds=${1:-60}
cpu=${2:-0}
shift $(( $# > 2 ? 2 : $# ))
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(lwip diff_lwip)
. ci/fuzz-flags.sh
export FZ_CONTINUE=1
scratch_root=/tmp
[ -d /dev/shm ] && [ -w /dev/shm ] && scratch_root=/dev/shm

for t in "${names[@]}"; do
  case $t in
    lwip) preset=fuzz build=${FUZZ_BUILD:-build/fuzz} what="fuzz preset: ASan + UBSan" ;;
    diff_lwip) preset=fuzz-perf build=${FUZZ_PERF_BUILD:-build/fuzz-perf} what="fuzz-perf preset: no sanitizers" ;;
    *) echo "unknown target $t" >&2; exit 2 ;;
  esac
  exe=$build/fuzz/fuzz_$t
  if [ ! -x "$exe" ]; then
    cmake --preset "$preset" >/dev/null && cmake --build --preset "$preset" -j "$(nproc)" --target "fuzz_$t" >/dev/null
  fi
  fuzz_flags "$t"
  tmp=$(mktemp -d "$scratch_root/fuzz_${t}_bench.XXXXXX")
  load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  start=$(date +%s.%N)
  ( taskset -c "$cpu" "$exe" -max_total_time="$seconds" "${FUZZ_FLAGS[@]}" -print_final_stats=1 \
      "$tmp" "fuzz/corpus/$t" >"$tmp.log" 2>&1 || true
    times >"$tmp.times" )
  load_after=$(cut -d' ' -f1-3 /proc/loadavg)
  cpu_s=$(tail -1 "$tmp.times" | awk '{ n = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); n += a[1] * 60 + a[2] } print n }')
  execs=$(grep -oE 'stat::average_exec_per_sec: +[0-9]+' "$tmp.log" | grep -oE '[0-9]+$' || echo 0)
  units=$(grep -oE 'stat::number_of_executed_units: +[0-9]+' "$tmp.log" | grep -oE '[0-9]+$' || echo 0)
  {
    echo "fuzz_$t benchmark ($what), $(date -u +%Y-%m-%dT%H:%MZ), ${seconds}s on cpu $cpu of $(nproc)," \
         "load average $load_before before, $load_after after (other engineers share the machine)"
    echo "exec/s: $execs"
    echo "exec per CPU second: $(awk -v u="$units" -v c="$cpu_s" 'BEGIN { printf "%.0f", (c > 0 ? u / c : 0) }')" \
         "($units executions in ${cpu_s}s of CPU)"
    echo "known findings passed over:" $(grep -oE 'known finding [^:]+' "$tmp.log" | sed 's/known finding //' | sort -u)
    echo "new findings printed: $(grep -cE '^fuzz_[a-z_]+: (differ violation|lwIP assertion|invariant)' "$tmp.log" || true)"
    echo "--- libFuzzer:"
    grep -E '^(stat::|#[0-9]+.*(INITED|DONE))|SUMMARY|deviations/timings' "$tmp.log" || true
  } | tee "bench/results/fuzz_$t.txt"
  rm -rf "$tmp" "$tmp.log" "$tmp.times"
done
