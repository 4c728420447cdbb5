# The reference as compiled libraries only (a Gradescope package, `tt-grade package gradescope`):
# where solutions/ is absent and reference-lib/ holds lib<target>.a, tt_add_module() makes the
# solution kind an imported library, so the grader's perf comparisons, integrated fallback and
# capstone still run against the reference. Not a way to ship sources: reference-lib/ has none.
#
# Every build also records what it was built with (tt-targets/build.json): the package copies it
# as reference-lib/reference.json, and a build that uses the libraries must match it.
set(TT_REFERENCE_LIB_DIR "${CMAKE_SOURCE_DIR}/reference-lib" CACHE PATH
    "Prebuilt reference libraries (lib<target>.a), used for modules whose solutions/ folder is absent")
set(tt_build_compiler "${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER_VERSION}")
file(WRITE "${CMAKE_BINARY_DIR}/tt-targets/build.json"
     "{\"schema\": \"tt-build/1\", \"isa\": \"${TT_ISA}\", \"compiler\": \"${tt_build_compiler}\", "
     "\"build_type\": \"${CMAKE_BUILD_TYPE}\"}\n")

set(tt_reference_lib_json "${TT_REFERENCE_LIB_DIR}/reference.json")
if(EXISTS "${tt_reference_lib_json}")
  file(READ "${tt_reference_lib_json}" tt_ref_json)
  string(JSON tt_ref_isa GET "${tt_ref_json}" isa)
  string(JSON tt_ref_compiler GET "${tt_ref_json}" compiler)
  if(NOT tt_ref_isa STREQUAL TT_ISA)
    message(FATAL_ERROR "${tt_reference_lib_json}: the reference libraries were built for TT_ISA=${tt_ref_isa}, "
                        "this build is TT_ISA=${TT_ISA}. Configure with -DTT_ISA=${tt_ref_isa}, or package again "
                        "with `tt-grade package gradescope --isa ${TT_ISA}`.")
  endif()
  if(NOT tt_ref_compiler STREQUAL tt_build_compiler)
    message(FATAL_ERROR "${tt_reference_lib_json}: the reference libraries were built with ${tt_ref_compiler}, "
                        "this build uses ${tt_build_compiler}; C++ libraries only link with the compiler (and "
                        "xtensor) they were built with. Use the base image the package names (docs/instructor-guide.md).")
  endif()
  message(STATUS "reference: prebuilt libraries in ${TT_REFERENCE_LIB_DIR} (${tt_ref_isa}, ${tt_ref_compiler})")
endif()

# The prebuilt archive of library target `lib` (e.g. tt_m15_solution), or "" when there is none.
function(tt_reference_archive out lib)
  set(file "${TT_REFERENCE_LIB_DIR}/lib${lib}.a")
  if(EXISTS "${tt_reference_lib_json}" AND EXISTS "${file}")
    set(${out} "${file}" PARENT_SCOPE)
  else()
    set(${out} "" PARENT_SCOPE)
  endif()
endfunction()

# Target `lib`: the prebuilt archive as an imported static library with the module's headers and
# its dependencies (ARGN) as interface, standing where the solution's (or its integrated) library is.
function(tt_add_prebuilt_library lib archive include_dir)
  add_library(${lib} STATIC IMPORTED GLOBAL)
  set_target_properties(${lib} PROPERTIES IMPORTED_LOCATION "${archive}")
  target_include_directories(${lib} INTERFACE "${include_dir}")
  target_link_libraries(${lib} INTERFACE tt::core ${ARGN})
endfunction()
