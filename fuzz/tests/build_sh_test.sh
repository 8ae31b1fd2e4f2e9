#!/usr/bin/env bash
# ctest oss-fuzz.build_sh: runs ./build.sh the way OSS-Fuzz / ClusterFuzzLite
# do (CC, CXX, CFLAGS, LIB_FUZZING_ENGINE, OUT, WORK, SANITIZER from the
# environment, clang, ASan + libFuzzer) into a scratch directory, then checks
# that $OUT has every fuzz target of fuzz/ with its seed corpus zip and that
# each target starts and replays its seed corpus.
#   build_sh_test.sh SOURCE_DIR SCRATCH_DIR
set -euo pipefail
src=$1 scratch=$2
rm -rf "$scratch" && mkdir -p "$scratch/out" "$scratch/work"
export CC=clang CXX=clang++ SANITIZER=address LIB_FUZZING_ENGINE=-fsanitize=fuzzer
export CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION -fsanitize=address -fsanitize-address-use-after-scope -fsanitize=fuzzer-no-link"
export OUT=$scratch/out WORK=$scratch/work
"$src/build.sh" >"$scratch/build.log" 2>&1 || { tail -40 "$scratch/build.log"; exit 1; }
fail=0
for f in "$src"/fuzz/fuzz_*.c; do
  n=$(basename "$f" .c)
  [ -x "$OUT/$n" ] || { echo "missing $OUT/$n"; fail=1; continue; }
  [ -f "$OUT/${n}_seed_corpus.zip" ] || { echo "missing $OUT/${n}_seed_corpus.zip"; fail=1; }
  mkdir -p "$scratch/seed/$n"
  (cd "$scratch/seed/$n" && python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(".")' "$OUT/${n}_seed_corpus.zip")
  if ! "$OUT/$n" -runs=0 "$scratch/seed/$n" >"$scratch/$n.log" 2>&1; then
    echo "$n: seed corpus replay failed"; tail -20 "$scratch/$n.log"; fail=1
  else
    echo "$n: ok ($(ls "$scratch/seed/$n" | wc -l) seeds)"
  fi
done
exit $fail
