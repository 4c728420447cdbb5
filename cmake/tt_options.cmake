# Compile options shared by our own targets: warnings (errors with TT_WERROR), the instruction set
# (TT_ISA), sanitizers.
# Not global flags: every target opts in by linking tt::options.
add_library(tt_options INTERFACE)
add_library(tt::options ALIAS tt_options)
target_compile_options(tt_options INTERFACE -Wall -Wextra -Wpedantic -Wno-unused-parameter)
# GCC 12 reports a false -Wuse-after-free inside xtensor's xstorage.hpp on every moved tensor.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_GREATER_EQUAL 12)
  target_compile_options(tt_options INTERFACE -Wno-use-after-free)
endif()
if(TT_WERROR)
  target_compile_options(tt_options INTERFACE -Werror)
endif()
# GCC 12 reports impossible sizes and bounds inside std::string's own code (bugs 105651, 105329,
# 105545) for ordinary concatenation; the tools' many string builders trip them, so there they
# stay warnings (the tools' CMakeLists add these flags).
set(TT_GCC12_STRING_FALSE_POSITIVES "")
if(TT_WERROR AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  set(TT_GCC12_STRING_FALSE_POSITIVES -Wno-error=stringop-overflow -Wno-error=restrict -Wno-error=array-bounds)
endif()
include(tt_isa)
target_compile_options(tt_options INTERFACE ${TT_ISA_FLAG})
if(TT_SANITIZE)
  target_compile_options(tt_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
                                              -fno-sanitize-recover=undefined)
  target_link_options(tt_options INTERFACE -fsanitize=address,undefined)
endif()
# The tools (tt-grade, tt-arena, tt-portfolio) wait on processes, files and sockets, not on
# arithmetic: in a Release build they are optimised at -O1, which compiles their JSON- and
# CLI11-heavy files in about half the time of -O3 (the course's code keeps the build type's -O3).
# Their CMakeLists add it after CMAKE_CXX_FLAGS_RELEASE, so this -O is the one that counts.
set(TT_TOOLS_OPTIMIZE "-O1" CACHE STRING "Optimisation flag of tt-grade, tt-arena and tt-portfolio in Release builds (empty: -O3)")
# Test code (the Catch2 test cases, not the code they test) at -O1 in Release: it calls the
# kernels, which keep -O3, and spends its own time in assertions. Its precompiled header
# (tt_pch_tests) takes the same flag, as GCC requires.
set(TT_TESTS_OPTIMIZE "-O1" CACHE STRING "Optimisation flag of test code in Release builds (empty: -O3)")
function(tt_test_code_optimize)
  foreach(t IN LISTS ARGN)
    target_compile_options(${t} PRIVATE $<$<CONFIG:Release>:${TT_TESTS_OPTIMIZE}>)
  endforeach()
endfunction()
# The tools' sources compiled in unity batches of 8 files: each batch instantiates nlohmann_json and
# CLI11 once instead of eight times (tt_grade_lib: 123 CPU-s instead of 271). OFF where each file
# needs its own compile command: the lint preset (clang-tidy reads compile_commands.json).
option(TT_TOOLS_UNITY "Compile tt-grade, tt-arena and tt-portfolio (and their tests) in unity batches" ON)
function(tt_tool_unity)
  if(TT_TOOLS_UNITY)
    set_target_properties(${ARGN} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 8)
  endif()
endfunction()
# A benchmark given an argument it does not know says so in one line and exits 2 (tt::bench::main_of),
# instead of aborting. Not where the executables only run under an emulator.
function(tt_add_bench_args_test name exe)
  if(CMAKE_CROSSCOMPILING)
    return()
  endif()
  add_test(NAME bench-args:${name}
           COMMAND sh -c "out=$(\"$0\" --no-such-option 2>&1); rc=$?; echo \"$out\"; [ $rc -eq 2 ] && echo \"$out\" | grep -q 'error: unknown benchmark argument'"
                   $<TARGET_FILE:${exe}>)
  set_tests_properties(bench-args:${name} PROPERTIES LABELS "bench" TIMEOUT 30)
endfunction()
