#!/bin/bash -eu
# ClusterFuzzLite calls $SRC/build.sh in its container; the build is the
# repository's OSS-Fuzz-style build.sh (CC, CFLAGS, LIB_FUZZING_ENGINE, OUT).
exec "$SRC/tcpcheck/build.sh"
