# tt_add_module(): the one CMake call every module makes. Reads module.json beside the caller.
# Not a place for module-specific logic: a module that needs more adds it after the call.
#
# For each "kind" of implementation it defines:
#   tt_mNN_<kind>          library built from the kind's copy of module.json's student_files
#                          (plus module.json's provided_files, the same for every kind)
#   mNN_tests_<kind>       Catch2 test executable (the module's tests, compiled once as objects)
#   mNN_bench_<kind>       the module's benchmark executable (when module.json lists "bench")
#   <program>_<kind>       each of module.json's "programs"
# Kinds: student (modules/NN/src), solution (solutions/NN/src, when present) and, for the
# grader, submission (TT_SUBMISSION_ROOT/NN/src, when that variable is set).
# A module that depends on others links the same kind, except that a submission links the
# reference (solution) dependencies unless TT_SUBMISSION_INTEGRATED is ON.

set(TT_SUBMISSION_ROOT "" CACHE PATH "Grader only: a modules/ tree whose student files are built as kind 'submission'")
option(TT_SUBMISSION_INTEGRATED "Grader only: a submission links its own earlier modules, not the reference" OFF)
# The grader's sandbox for the submission's compiles and links (`tt-grade build-step …`): every
# command of a submission target runs through it. The submission's libraries and programs go to
# build/submission/<module>/, the one folder its links may write.
set(TT_SUBMISSION_LAUNCHER "" CACHE STRING "Grader only: the command prefix that runs a submission's compiles and links in the sandbox")

function(tt_json_list out json key)
  set(result "")
  string(JSON kind ERROR_VARIABLE err TYPE "${json}" ${key})
  if(NOT err AND kind STREQUAL "ARRAY")
    string(JSON n LENGTH "${json}" ${key})
    if(n GREATER 0)
      math(EXPR last "${n} - 1")
      foreach(i RANGE ${last})
        string(JSON item GET "${json}" ${key} ${i})
        list(APPEND result "${item}")
      endforeach()
    endif()
  endif()
  set(${out} "${result}" PARENT_SCOPE)
endfunction()

function(tt_add_module)
  set(dir "${CMAKE_CURRENT_SOURCE_DIR}")
  if(NOT EXISTS "${dir}/module.json")
    message(WARNING "${dir}: no module.json; module skipped")
    return()
  endif()
  file(READ "${dir}/module.json" json)
  string(JSON id GET "${json}" id)
  string(JSON name GET "${json}" name)
  tt_json_list(files "${json}" student_files)
  tt_json_list(deps "${json}" depends_on)
  # Course code in the module that students do not edit (e.g. the capstone's harness): compiled
  # from the module directory into every kind's library.
  tt_json_list(provided "${json}" provided_files)
  tt_json_list(tests "${json}" tests)
  # Instructor-only tests (tests/hidden/…): built and graded when present, never shipped to
  # students (scripts/make-student-release drops them); reports mark them hidden.
  tt_json_list(hidden "${json}" hidden_tests)
  foreach(h IN LISTS hidden)
    if(EXISTS "${dir}/${h}")
      list(APPEND tests "${h}")
    endif()
  endforeach()
  tt_json_list(benches "${json}" bench)
  string(JSON nprog ERROR_VARIABLE no_programs LENGTH "${json}" programs)
  set(program_sources "")
  if(NOT no_programs AND nprog GREATER 0)
    math(EXPR last "${nprog} - 1")
    foreach(i RANGE ${last})
      string(JSON psrc GET "${json}" programs ${i} source)
      list(APPEND program_sources "${psrc}")
    endforeach()
  endif()

  # A module whose files or dependencies are not all there (a partial release, work in progress)
  # is skipped with a warning instead of breaking the whole configure.
  set(missing "")
  foreach(f IN LISTS files provided tests benches program_sources)
    if(NOT EXISTS "${dir}/${f}")
      list(APPEND missing "${f}")
    endif()
  endforeach()
  foreach(dep IN LISTS deps)
    if(NOT TARGET tt_m${dep}_student)
      list(APPEND missing "module ${dep} (a dependency)")
    endif()
  endforeach()
  if(missing)
    message(WARNING "module ${name} skipped: missing ${missing}")
    return()
  endif()
  set_property(DIRECTORY PROPERTY CMAKE_CONFIGURE_DEPENDS "${dir}/module.json")

  # Tests and benchmarks compile against the headers only, so they are built once and linked
  # into every kind.
  add_library(m${id}_test_objs OBJECT ${tests})
  target_link_libraries(m${id}_test_objs PUBLIC tt::core tt::catch tt::options)
  target_include_directories(m${id}_test_objs PUBLIC "${dir}/include" "${dir}/tests")
  foreach(dep IN LISTS deps)
    target_include_directories(m${id}_test_objs PUBLIC $<TARGET_PROPERTY:tt_m${dep}_headers,INTERFACE_INCLUDE_DIRECTORIES>)
  endforeach()
  add_library(tt_m${id}_headers INTERFACE)
  target_include_directories(tt_m${id}_headers INTERFACE "${dir}/include")

  set(kinds student)
  set(targets_json "")
  set(root_student "${dir}")
  if(TT_BUILD_SOLUTIONS AND EXISTS "${CMAKE_SOURCE_DIR}/solutions/${name}")
    list(APPEND kinds solution)
    set(root_solution "${CMAKE_SOURCE_DIR}/solutions/${name}")
  endif()
  if(TT_SUBMISSION_ROOT)
    list(APPEND kinds submission)
    set(root_submission "${TT_SUBMISSION_ROOT}/${name}")
  endif()

  foreach(kind IN LISTS kinds)
    set(srcs "")
    foreach(f IN LISTS files)
      list(APPEND srcs "${root_${kind}}/${f}")
    endforeach()
    foreach(f IN LISTS provided)
      list(APPEND srcs "${dir}/${f}")
    endforeach()
    set(dep_kind ${kind})
    if(kind STREQUAL "submission" AND NOT TT_SUBMISSION_INTEGRATED)
      set(dep_kind solution)
    endif()
    set(dep_libs "")
    foreach(dep IN LISTS deps)
      list(APPEND dep_libs tt_m${dep}_${dep_kind})
      if(NOT TARGET tt_m${dep}_${dep_kind})
        message(WARNING "module ${name}: dependency ${dep} has no ${dep_kind} build; ${kind} build skipped")
        list(REMOVE_ITEM kinds ${kind})
      endif()
    endforeach()
    foreach(src IN LISTS srcs)
      if(NOT EXISTS "${src}" AND NOT kind STREQUAL "submission")
        message(WARNING "module ${name}: ${src} is missing; ${kind} build skipped")
        list(REMOVE_ITEM kinds ${kind})
        break()
      endif()
    endforeach()
    if(NOT kind IN_LIST kinds)
      continue()
    endif()
    set(lib tt_m${id}_${kind})
    set(kind_targets ${lib} m${id}_tests_${kind})
    add_library(${lib} STATIC ${srcs})
    add_library(tt::m${id}_${kind} ALIAS ${lib})
    target_include_directories(${lib} PUBLIC "${dir}/include")
    target_link_libraries(${lib} PUBLIC tt::core ${dep_libs} PRIVATE tt::options)
    # The heavy headers every module source includes (xtensor pulls in xsimd: ~2.5 s of parsing a
    # file), compiled once per library instead of once per file: a grade recompiles every student file.
    target_precompile_headers(${lib} PRIVATE <algorithm> <string> <vector> <xtensor/xarray.hpp> <xtensor/xview.hpp>)

    add_executable(m${id}_tests_${kind} $<TARGET_OBJECTS:m${id}_test_objs>)
    target_link_libraries(m${id}_tests_${kind} PRIVATE ${lib} tt::catch_main)
    # One label, "m15-solution": catch_discover_tests flattens a list of labels into separate
    # property arguments. `ctest -L` takes a regex, so -L m15 and -L solution both still select.
    set(labels "m${id}-${kind}")
    if(kind STREQUAL "solution" OR (kind STREQUAL "student" AND TT_REGISTER_STUDENT_TESTS))
      catch_discover_tests(m${id}_tests_${kind} TEST_PREFIX "${kind}:" PROPERTIES LABELS "${labels}")
    endif()

    # Where the reference is built too (instructors, CI), the student's benchmark and programs
    # are built on demand only (./scripts/bench NN --impl student builds its target).
    set(on_demand "")
    if(kind STREQUAL "student" AND "solution" IN_LIST kinds)
      set(on_demand EXCLUDE_FROM_ALL)
    endif()
    set(programs_json "")
    if(benches)
      add_executable(m${id}_bench_${kind} ${on_demand} ${benches})
      target_link_libraries(m${id}_bench_${kind} PRIVATE ${lib} tt::bench tt::options)
      target_include_directories(m${id}_bench_${kind} PRIVATE "${dir}/bench")
      list(APPEND kind_targets m${id}_bench_${kind})
    endif()
    if(NOT no_programs AND nprog GREATER 0)
      math(EXPR last "${nprog} - 1")
      foreach(i RANGE ${last})
        string(JSON pname GET "${json}" programs ${i} name)
        string(JSON psrc GET "${json}" programs ${i} source)
        add_executable(${pname}_${kind} ${on_demand} "${dir}/${psrc}")
        target_link_libraries(${pname}_${kind} PRIVATE ${lib} tt::options)
        list(APPEND kind_targets ${pname}_${kind})
        if(programs_json)
          string(APPEND programs_json ", ")
        endif()
        string(APPEND programs_json "\"${pname}\": {\"target\": \"${pname}_${kind}\", \"file\": \"$<TARGET_FILE:${pname}_${kind}>\"}")
      endforeach()
    endif()
    if(kind STREQUAL "submission")
      # Neutral paths in what the student's code can see (__FILE__, debug information).
      target_compile_options(${lib} PRIVATE "-ffile-prefix-map=${TT_SUBMISSION_ROOT}=/submission"
                                            "-ffile-prefix-map=${CMAKE_SOURCE_DIR}=/course")
      set_target_properties(${kind_targets} PROPERTIES
        ARCHIVE_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/submission/${name}"
        RUNTIME_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/submission/${name}")
      if(TT_SUBMISSION_LAUNCHER)
        set_target_properties(${kind_targets} PROPERTIES
          RULE_LAUNCH_COMPILE "${TT_SUBMISSION_LAUNCHER} compile --"
          RULE_LAUNCH_LINK "${TT_SUBMISSION_LAUNCHER} link --")
      endif()
    endif()
    # What the grader reads instead of guessing names and paths (build/tt-targets/<name>.json).
    if(targets_json)
      string(APPEND targets_json ", ")
    endif()
    string(APPEND targets_json "\"${kind}\": {\"library\": {\"target\": \"${lib}\", \"file\": \"$<TARGET_FILE:${lib}>\"}, "
                               "\"tests\": {\"target\": \"m${id}_tests_${kind}\", \"file\": \"$<TARGET_FILE:m${id}_tests_${kind}>\"}, "
                               "\"programs\": {${programs_json}}}")
  endforeach()
  file(GENERATE OUTPUT "${CMAKE_BINARY_DIR}/tt-targets/${name}.json"
       CONTENT "{\"schema\": \"tt-targets/1\", \"module\": \"${id}\", \"kinds\": {${targets_json}}}\n")

  # The stub check: every test fails on the stubs, passes on the reference, points add up.
  if("solution" IN_LIST kinds AND TARGET tt-grade)
    add_test(NAME stubcheck:m${id}
             COMMAND tt-grade check-stubs --module-json "${dir}/module.json"
                     --student $<TARGET_FILE:m${id}_tests_student>
                     --solution $<TARGET_FILE:m${id}_tests_solution>)
    set_tests_properties(stubcheck:m${id} PROPERTIES LABELS "stubcheck;m${id}")
  endif()
endfunction()
