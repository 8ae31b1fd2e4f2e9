#!/bin/bash -eu
# OSS-Fuzz / ClusterFuzzLite build script: every fuzz target of fuzz/ into
# $OUT, with its seed corpus ($OUT/fuzz_NAME_seed_corpus.zip), dictionary
# and .options, the way those engines expect them.
#
# It honours what the engines set: CC, CXX, CFLAGS (sanitizer and coverage
# flags included), LIB_FUZZING_ENGINE (the engine to link, e.g.
# -fsanitize=fuzzer), OUT (where the targets go), WORK (scratch; the build
# tree goes to $WORK/tcpcheck-build), SANITIZER (address, undefined, ...).
# Outside an engine it works too, with defaults for a local libFuzzer build:
#   ./build.sh                       # clang, ASan + libFuzzer, into build/oss-fuzz/out
# How OSS-Fuzz runs it (and ctest -R oss-fuzz.build_sh does, here):
#   CC=clang CXX=clang++ SANITIZER=address LIB_FUZZING_ENGINE=-fsanitize=fuzzer \
#   CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address \
#           -fsanitize-address-use-after-scope -fsanitize=fuzzer-no-link" \
#   OUT=/out WORK=/work ./build.sh
# Dependencies (Debian/Ubuntu packages): cmake pkg-config libnl-3-dev
# libnl-route-3-dev libnl-idiag-3-dev libcjson-dev libpcap-dev libcmocka-dev,
# and lwIP 2.1.3's source in third_party/lwip (ci/install-deps.sh fetches it)
# or TCPCHECK_LWIP_DIR. .clusterfuzzlite/ has the container that sets this up.
src=$(cd "$(dirname "$0")" && pwd)
: "${CC:=clang}"
: "${CXX:=clang++}"
: "${SANITIZER:=address}"
: "${CFLAGS:=-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=$SANITIZER -fsanitize=fuzzer-no-link}"
: "${LIB_FUZZING_ENGINE:=-fsanitize=fuzzer}"
: "${WORK:=$src/build/oss-fuzz}"
: "${OUT:=$WORK/out}"
export CC CXX CFLAGS LIB_FUZZING_ENGINE SANITIZER
build=$WORK/tcpcheck-build
mkdir -p "$OUT" "$build"

# The sanitizer flags come in CFLAGS: TCPCHECK_SANITIZE stays empty so they
# are not added twice; TCPCHECK_FUZZ=ON links $LIB_FUZZING_ENGINE and turns on
# the fuzz-only settings (lwIP's known UBSan findings, fuzz/known/).
cmake -S "$src" -B "$build" -DCMAKE_C_COMPILER="$CC" -DCMAKE_C_FLAGS="$CFLAGS" \
  -DCMAKE_BUILD_TYPE=None -DTCPCHECK_FUZZ=ON -DTCPCHECK_SANITIZE= \
  ${TCPCHECK_LWIP_DIR:+-DTCPCHECK_LWIP_DIR="$TCPCHECK_LWIP_DIR"}
names=()
for f in "$src"/fuzz/fuzz_*.c; do
  n=$(basename "$f" .c)
  names+=("$n")
done
cmake --build "$build" -j "$(nproc)" --target "${names[@]}"

# zip -j, or Python's zipfile where zip is missing.
zipdir() {
  if command -v zip >/dev/null; then
    (cd "$2" && zip -q -r "$1" .)
  else
    python3 -c 'import sys, os, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    for f in sorted(os.listdir(sys.argv[2])):
        z.write(os.path.join(sys.argv[2], f), f)' "$1" "$2"
  fi
}

for n in "${names[@]}"; do
  t=${n#fuzz_}
  cp "$build/fuzz/$n" "$OUT/"
  if [ -d "$src/fuzz/corpus/$t" ]; then
    rm -f "$OUT/${n}_seed_corpus.zip"
    zipdir "$OUT/${n}_seed_corpus.zip" "$src/fuzz/corpus/$t"
  fi
  if [ -f "$src/fuzz/$n.options" ]; then
    cp "$src/fuzz/$n.options" "$OUT/"
    d=$(sed -nE 's/^ *dict *= *([^ ]+).*/\1/p' "$src/fuzz/$n.options")
    [ -z "$d" ] || cp "$src/fuzz/$d" "$OUT/"
  elif [ -f "$src/fuzz/$t.dict" ]; then
    cp "$src/fuzz/$t.dict" "$OUT/$n.dict"
  fi
done
echo "build.sh: ${#names[@]} fuzz targets in $OUT: ${names[*]}"
