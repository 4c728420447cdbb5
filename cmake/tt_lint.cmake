# `lint`: clang-tidy 14 with the tree's .clang-tidy over every C++ source the build compiles (its
# compile_commands.json), failing on any finding; scripts/lint does the work (./scripts/lint --all is
# the same check; --changed, what CI runs, only the files changed since the last clean run). Not run
# by a normal build. It needs the lint preset, where the tools are not compiled in unity batches (a
# unity batch's compile command names a generated file, not the sources clang-tidy must read).
find_program(TT_CLANG_TIDY NAMES clang-tidy-14 clang-tidy)
if(TT_TOOLS_UNITY)
  add_custom_target(lint
    COMMAND ${CMAKE_COMMAND} -E echo "lint: this build compiles the tools in unity batches, so clang-tidy would not see their files; run: ./scripts/lint --all"
    COMMAND ${CMAKE_COMMAND} -E false VERBATIM)
elseif(TT_CLANG_TIDY)
  add_custom_target(lint
    COMMAND ${CMAKE_COMMAND} -E env TT_LINT_BUILD=${CMAKE_BINARY_DIR} ${CMAKE_SOURCE_DIR}/scripts/lint --all
    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
    COMMENT "clang-tidy over the sources (.clang-tidy)" VERBATIM)
endif()
