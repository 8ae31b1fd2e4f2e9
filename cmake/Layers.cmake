# tc_layer(NAME lib SOURCES ... DEPS ...): one layer's static library.
# DEPS is the whole list of what the layer may use (lower layers and
# packages). tc_layer_checks() then links every layer, whole-archive, into a
# program with only those DEPS: a call from a layer into one above it (or
# into a package it may not use) is an undefined symbol there, and the build
# fails. Headers are checked by ci/check-layers.sh (the `layering` test).
set_property(GLOBAL PROPERTY TC_LAYERS "")

function(tc_layer)
  cmake_parse_arguments(L "CONVERSION" "NAME" "SOURCES;DEPS" ${ARGN})
  add_library(${L_NAME} STATIC ${L_SOURCES})
  target_link_libraries(${L_NAME} PUBLIC ${L_DEPS})
  if(L_CONVERSION)
    tc_warnings(${L_NAME} CONVERSION)
  else()
    tc_warnings(${L_NAME})
  endif()
  set_property(GLOBAL APPEND PROPERTY TC_LAYERS ${L_NAME})
  set_property(TARGET ${L_NAME} PROPERTY TC_LAYER_DEPS "${L_DEPS}")
endfunction()

function(tc_layer_checks)
  get_property(layers GLOBAL PROPERTY TC_LAYERS)
  foreach(lib IN LISTS layers)
    get_property(deps TARGET ${lib} PROPERTY TC_LAYER_DEPS)
    set(exe layer_check_${lib})
    add_executable(${exe} "${CMAKE_SOURCE_DIR}/cmake/layer_check.c")
    target_link_libraries(${exe} PRIVATE
      -Wl,--whole-archive $<TARGET_FILE:${lib}> -Wl,--no-whole-archive ${deps})
    add_dependencies(${exe} ${lib})
  endforeach()
endfunction()
