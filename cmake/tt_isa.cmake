# TT_ISA: the instruction set the course is compiled for (the SIMD width of every kernel follows it).
#   native      -march=native (default: the code is built where it runs)
#   x86-64-v2   SSE4.2 (any x86-64 since 2009)      x86-64-v3  AVX2 + FMA (most laptops since 2015)
#   x86-64-v4   AVX-512                               armv8-a    64-bit ARM (Raspberry Pi 4/5, Apple silicon via Linux)
# Not a run-time dispatcher: kernels that need more (VNNI) check the CPU at run time and fall back.
set(TT_ISA "native" CACHE STRING "Instruction set: native, x86-64-v2, x86-64-v3, x86-64-v4 or armv8-a")
set_property(CACHE TT_ISA PROPERTY STRINGS native x86-64-v2 x86-64-v3 x86-64-v4 armv8-a)
set(tt_isa_levels native x86-64-v2 x86-64-v3 x86-64-v4 armv8-a)
if(NOT TT_ISA IN_LIST tt_isa_levels)
  message(FATAL_ERROR "TT_ISA=${TT_ISA} is not a level this course knows: use native, x86-64-v2, x86-64-v3, "
                      "x86-64-v4 or armv8-a (e.g. cmake --preset ci -DTT_ISA=x86-64-v3)")
endif()
set(TT_ISA_FLAG "-march=${TT_ISA}")

include(CheckCXXCompilerFlag)
check_cxx_compiler_flag("${TT_ISA_FLAG}" tt_isa_flag_ok_${TT_ISA})
if(NOT tt_isa_flag_ok_${TT_ISA})
  message(FATAL_ERROR "TT_ISA=${TT_ISA}: the compiler ${CMAKE_CXX_COMPILER} does not accept ${TT_ISA_FLAG}. "
                      "Choose another level (native, x86-64-v2, x86-64-v3, x86-64-v4, armv8-a) or a compiler "
                      "for that target (armv8-a: the aarch64 cross compiler, cmake --preset arm64).")
endif()

# The machine must run what it builds (unless cross-compiling): a small program compiled for the
# level is run once, so a v4 build on an AVX2 laptop stops here instead of at the first SIGILL.
if(NOT CMAKE_CROSSCOMPILING AND NOT TT_ISA STREQUAL "native")
  set(tt_isa_probe "${CMAKE_BINARY_DIR}/CMakeFiles/tt_isa_probe.cpp")
  file(WRITE "${tt_isa_probe}" "#include <cstdio>\nint main() {\n  volatile float x[64];\n  for (int i = 0; i < 64; ++i) x[i] = i * 0.5f;\n  float s = 0;\n  for (int i = 0; i < 64; ++i) s += x[i] * x[i];\n  std::printf(\"%g\", s);\n  return 0;\n}\n")
  try_run(tt_isa_runs tt_isa_compiles "${CMAKE_BINARY_DIR}/CMakeFiles/tt_isa_probe" "${tt_isa_probe}"
          COMPILE_DEFINITIONS "${TT_ISA_FLAG} -O3")
  if(NOT tt_isa_compiles OR NOT tt_isa_runs EQUAL 0)
    message(FATAL_ERROR "TT_ISA=${TT_ISA}: this machine cannot run code built with ${TT_ISA_FLAG} (the probe "
                        "program failed). Choose a level it supports: native, or a lower x86-64-vN.")
  endif()
endif()
message(STATUS "TT_ISA=${TT_ISA} (${TT_ISA_FLAG})")
