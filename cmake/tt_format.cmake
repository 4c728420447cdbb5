# `check-format` (CI) and `format` targets over every tracked C++ file, with clang-format 14.
find_program(TT_CLANG_FORMAT NAMES clang-format-14 clang-format)
if(TT_CLANG_FORMAT)
  file(GLOB_RECURSE tt_format_files CONFIGURE_DEPENDS
       ${CMAKE_SOURCE_DIR}/common/*.hpp ${CMAKE_SOURCE_DIR}/common/*.cpp
       ${CMAKE_SOURCE_DIR}/modules/*.hpp ${CMAKE_SOURCE_DIR}/modules/*.cpp
       ${CMAKE_SOURCE_DIR}/solutions/*.cpp
       ${CMAKE_SOURCE_DIR}/grader/*.hpp ${CMAKE_SOURCE_DIR}/grader/*.cpp
       ${CMAKE_SOURCE_DIR}/arena/*.hpp ${CMAKE_SOURCE_DIR}/arena/*.cpp
       ${CMAKE_SOURCE_DIR}/portfolio/*.hpp ${CMAKE_SOURCE_DIR}/portfolio/*.cpp)
  add_custom_target(check-format
    COMMAND ${TT_CLANG_FORMAT} --dry-run --Werror ${tt_format_files}
    COMMENT "clang-format --dry-run over the sources" VERBATIM)
  add_custom_target(format COMMAND ${TT_CLANG_FORMAT} -i ${tt_format_files} VERBATIM)
endif()
