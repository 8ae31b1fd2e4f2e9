# Sanitizers and coverage for every target of the build.
#
# TCPCHECK_SANITIZE=address,undefined  -> the `asan` preset
# TCPCHECK_FUZZ=ON                     -> libraries get -fsanitize=fuzzer-no-link
#                                         (plus TCPCHECK_SANITIZE), fuzz targets
#                                         link $LIB_FUZZING_ENGINE
if(TCPCHECK_SANITIZE)
  add_compile_options(-fsanitize=${TCPCHECK_SANITIZE} -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${TCPCHECK_SANITIZE} -fno-sanitize-recover=all)
endif()

if(TCPCHECK_FUZZ)
  if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "TCPCHECK_FUZZ needs clang (libFuzzer); use the fuzz preset")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)
  add_compile_definitions(TCPCHECK_FUZZING_BUILD=1)
  # OSS-Fuzz / ClusterFuzzLite pass the engine in $LIB_FUZZING_ENGINE.
  if(DEFINED ENV{LIB_FUZZING_ENGINE})
    set(TC_FUZZ_ENGINE "$ENV{LIB_FUZZING_ENGINE}")
  else()
    set(TC_FUZZ_ENGINE "-fsanitize=fuzzer")
  endif()
endif()

if(TCPCHECK_COVERAGE)
  add_compile_options(--coverage -O0)
  add_link_options(--coverage)
endif()

# tc_fuzz_no_trace_cmp(SOURCES...): in fuzz builds, compile these sources
# without -fsanitize-coverage=trace-cmp (inline 8-bit counters, the PC table
# and indirect calls stay). For hot code whose comparisons are not between
# input bytes and constants, where the compare hooks cost time and give the
# mutator nothing: measured on fuzz_ref (bench/results/fuzz_ref.txt), the
# hooks took 30% of its time, and without them it reaches the same
# transitions and coverage after the same number of runs. Call it in the
# directory that builds the sources' target. TCPCHECK_FUZZ_TRACE_CMP_ALL=ON
# keeps trace-cmp everywhere.
option(TCPCHECK_FUZZ_TRACE_CMP_ALL "trace-cmp on every source in fuzz builds" OFF)
function(tc_fuzz_no_trace_cmp)
  if(TCPCHECK_FUZZ AND NOT TCPCHECK_FUZZ_TRACE_CMP_ALL)
    set_source_files_properties(${ARGN} PROPERTIES COMPILE_OPTIONS -fno-sanitize-coverage=trace-cmp)
  endif()
endfunction()
