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
