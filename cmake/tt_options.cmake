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
include(tt_isa)
target_compile_options(tt_options INTERFACE ${TT_ISA_FLAG})
if(TT_SANITIZE)
  target_compile_options(tt_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
                                              -fno-sanitize-recover=undefined)
  target_link_options(tt_options INTERFACE -fsanitize=address,undefined)
endif()
