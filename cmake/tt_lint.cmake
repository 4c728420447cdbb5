# `lint`: clang-tidy 14 with the tree's .clang-tidy over every C++ source the build compiles (its
# compile_commands.json), failing on any finding. Not run by a normal build: scripts/test runs it
# (TT_TEST_LINT=1) in the lint preset, where the tools are not compiled in unity batches (a unity
# batch's compile command names a generated file, not the sources clang-tidy must read).
find_program(TT_RUN_CLANG_TIDY NAMES run-clang-tidy-14 run-clang-tidy)
find_program(TT_CLANG_TIDY NAMES clang-tidy-14 clang-tidy)
if(TT_TOOLS_UNITY)
  add_custom_target(lint
    COMMAND ${CMAKE_COMMAND} -E echo "lint: this build compiles the tools in unity batches, so clang-tidy would not see their files; run: cmake --preset lint && cmake --build --preset lint --target lint"
    COMMAND ${CMAKE_COMMAND} -E false VERBATIM)
elseif(TT_RUN_CLANG_TIDY AND TT_CLANG_TIDY)
  include(ProcessorCount)
  ProcessorCount(tt_lint_jobs)
  add_custom_target(lint
    COMMAND ${TT_RUN_CLANG_TIDY} -clang-tidy-binary ${TT_CLANG_TIDY} -p ${CMAKE_BINARY_DIR} -quiet -j ${tt_lint_jobs}
            # GCC-only warning flags in the compile database are not clang's business.
            -extra-arg=-Wno-unknown-warning-option
            "${CMAKE_SOURCE_DIR}/(common|modules|solutions|grader|arena|portfolio)/.*\\.cpp$"
    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
    COMMENT "clang-tidy over the sources (.clang-tidy)" VERBATIM)
endif()
