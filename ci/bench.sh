#!/usr/bin/env bash
# Runs every benchmark in bench/ on a release build and keeps each one's
# output in bench/results/NAME.txt (with the date, commit and CPU). The
# figures are name=value lines; nothing here asserts a time.
#   ci/bench.sh                 # all
#   ci/bench.sh bench_reference # one
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

cmake -S . -B build/bench -DCMAKE_C_COMPILER=gcc -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/bench -j "$(nproc)" >/dev/null
mkdir -p bench/results

names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for src in bench/bench_*.c; do names+=("$(basename "$src" .c)"); done
fi
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
for b in "${names[@]}"; do
  out=bench/results/$b.txt
  {
    echo "# $b $(date -u +%Y-%m-%dT%H:%M:%SZ) commit=$(git rev-parse --short HEAD 2>/dev/null || echo none)"
    echo "# cpu: $cpu, one core (taskset -c 0)"
    taskset -c 0 "build/bench/bench/$b"
  } | tee "$out"
done
