# Strict warnings, as STYLE.md asks; -Werror only when TCPCHECK_WERROR is on.
set(TC_WARNINGS
  -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes
  -Wformat=2 -Wcast-qual -Wpointer-arith -Wundef -Wvla)
if(TCPCHECK_WERROR)
  list(APPEND TC_WARNINGS -Werror)
endif()

# tc_warnings(target [CONVERSION]): strict warnings on one of our targets;
# CONVERSION adds -Wconversion (reference/, where sequence arithmetic lives).
function(tc_warnings target)
  target_compile_options(${target} PRIVATE ${TC_WARNINGS})
  if("CONVERSION" IN_LIST ARGN)
    target_compile_options(${target} PRIVATE -Wconversion -Wsign-conversion)
  endif()
endfunction()
