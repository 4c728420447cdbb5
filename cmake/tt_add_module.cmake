# tt_add_module(): the one CMake call every module makes. Reads module.json (tt-module/2,
# docs/module-json.md) beside the caller. Not a place for module-specific logic: a module that
# needs more adds it after the call.
#
# module.json's "targets" and each program's "target" name the targets, "{kind}" standing for:
#   student     the stubs (modules/NN/src)
#   solution    the reference (solutions/NN/src, when present)
#   submission  the grader's build of a student's files (TT_SUBMISSION_ROOT/NN/src, when set)
#   integrated  the grader only: the submission's objects linked with the student's own earlier
#               modules (the reference's objects for a module listed in TT_SUBMISSION_FALLBACK)
# A module that depends on others links the same kind, except that a submission links the
# reference (solution) dependencies unless TT_SUBMISSION_INTEGRATED is ON or its module.json says
# "submission_links": "integrated" (module 20: the capstone runs on the student's own kernels).
# build/tt-targets/<name>.json lists every target and the file it builds, for the grader.
# Without solutions/NN, the solution kind is the prebuilt archive in reference-lib/ when there is
# one (tt_reference_lib.cmake): an imported library, with no sources.
include("${CMAKE_CURRENT_LIST_DIR}/tt_reference_lib.cmake")  # also from courses that include this file by path

set(TT_SUBMISSION_ROOT "" CACHE PATH "Grader only: a modules/ tree whose student files are built as kind 'submission'")
option(TT_SUBMISSION_INTEGRATED "Grader only: every submission links its own earlier modules, not the reference" OFF)
set(TT_SUBMISSION_FALLBACK "" CACHE STRING "Grader only: module ids whose 'integrated' library uses the reference (the student's did not build)")
# The grader's sandbox for the submission's compiles and links (`tt-grade build-step …`): every
# command of a submission target runs through it. The submission's libraries and programs go to
# build/submission/<module>/, the one folder its links may write.
set(TT_SUBMISSION_LAUNCHER "" CACHE STRING "Grader only: the command prefix that runs a submission's compiles and links in the sandbox")
# The stub check without tt-grade (cross builds, preset arm64, where the grader is not built): each
# student test case passes in ctest only if its output carries module.json's "stub_marker", i.e.
# it failed on a stub that threw not_implemented.
option(TT_STUB_TESTS_EXPECT_MARKER "Register student tests as passing when they report the stub marker (stub check without tt-grade)" OFF)

function(tt_json_list out json)
  set(result "")
  string(JSON kind ERROR_VARIABLE err TYPE "${json}" ${ARGN})
  if(NOT err AND kind STREQUAL "ARRAY")
    string(JSON n LENGTH "${json}" ${ARGN})
    if(n GREATER 0)
      math(EXPR last "${n} - 1")
      foreach(i RANGE ${last})
        string(JSON item GET "${json}" ${ARGN} ${i})
        list(APPEND result "${item}")
      endforeach()
    endif()
  endif()
  set(${out} "${result}" PARENT_SCOPE)
endfunction()

# A target name from a module.json template: "tt_m15_{kind}" → "tt_m15_solution".
function(tt_target_name out template kind)
  string(REPLACE "{kind}" "${kind}" name "${template}")
  set(${out} "${name}" PARENT_SCOPE)
endfunction()

# A course target (module library, benchmark, program) compiled with the heavy headers
# precompiled once (tt_pch_modules, common/CMakeLists.txt); same flags as its users, or GCC
# ignores it. The grader's fixture course has no such target.
function(tt_reuse_module_pch target)
  if(TARGET tt_pch_modules)
    target_precompile_headers(${target} REUSE_FROM tt_pch_modules)
  endif()
endfunction()

# The library target of module `id` (added earlier) for `kind`, from that module's own module.json.
function(tt_module_library out id kind)
  get_property(template GLOBAL PROPERTY TT_MODULE_${id}_LIBRARY)
  if(NOT template)
    set(${out} "" PARENT_SCOPE)
    return()
  endif()
  tt_target_name(name "${template}" "${kind}")
  set(${out} "${name}" PARENT_SCOPE)
endfunction()

# Settings of a submission target: neutral paths, its own output folder, the sandbox launcher.
function(tt_submission_target_settings module_name)
  set_target_properties(${ARGN} PROPERTIES
    ARCHIVE_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/submission/${module_name}"
    RUNTIME_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/submission/${module_name}")
  if(TT_SUBMISSION_LAUNCHER)
    set_target_properties(${ARGN} PROPERTIES
      RULE_LAUNCH_COMPILE "${TT_SUBMISSION_LAUNCHER} compile --"
      RULE_LAUNCH_LINK "${TT_SUBMISSION_LAUNCHER} link --")
  endif()
endfunction()

function(tt_add_module)
  set(dir "${CMAKE_CURRENT_SOURCE_DIR}")
  if(NOT EXISTS "${dir}/module.json")
    message(WARNING "${dir}: no module.json; module skipped")
    return()
  endif()
  file(READ "${dir}/module.json" json)
  string(JSON schema ERROR_VARIABLE err GET "${json}" schema)
  if(NOT schema STREQUAL "tt-module/2")
    message(FATAL_ERROR "${dir}/module.json: expected \"schema\": \"tt-module/2\", found \"${schema}\" (docs/module-json.md)")
  endif()
  string(JSON id GET "${json}" id)
  string(JSON name GET "${json}" name)
  string(JSON library_template GET "${json}" targets library)
  string(JSON tests_template GET "${json}" targets tests)
  string(JSON bench_template ERROR_VARIABLE no_bench_template GET "${json}" targets bench)
  string(JSON stub_marker ERROR_VARIABLE err GET "${json}" stub_marker)
  if(err)
    set(stub_marker "not implemented")
  endif()
  string(JSON submission_links ERROR_VARIABLE err GET "${json}" submission_links)
  if(err)
    set(submission_links "reference")
  endif()
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
  set(program_names "")
  if(NOT no_programs AND nprog GREATER 0)
    math(EXPR last "${nprog} - 1")
    foreach(i RANGE ${last})
      string(JSON pname GET "${json}" programs ${i} name)
      string(JSON psrc GET "${json}" programs ${i} source)
      string(JSON ptarget GET "${json}" programs ${i} target)
      list(APPEND program_names "${pname}")
      set(program_source_${pname} "${psrc}")
      set(program_target_${pname} "${ptarget}")
    endforeach()
  endif()

  # A module whose files or dependencies are not all there (a partial release, work in progress)
  # is skipped with a warning instead of breaking the whole configure.
  set(missing "")
  foreach(f IN LISTS files provided tests benches)
    if(NOT EXISTS "${dir}/${f}")
      list(APPEND missing "${f}")
    endif()
  endforeach()
  foreach(p IN LISTS program_names)
    if(NOT EXISTS "${dir}/${program_source_${p}}")
      list(APPEND missing "${program_source_${p}}")
    endif()
  endforeach()
  foreach(dep IN LISTS deps)
    tt_module_library(dep_student ${dep} student)
    if(NOT dep_student OR NOT TARGET ${dep_student})
      list(APPEND missing "module ${dep} (a dependency)")
    endif()
  endforeach()
  if(missing)
    message(WARNING "module ${name} skipped: missing ${missing}")
    return()
  endif()
  set_property(GLOBAL PROPERTY TT_MODULE_${id}_LIBRARY "${library_template}")
  set_property(DIRECTORY PROPERTY CMAKE_CONFIGURE_DEPENDS "${dir}/module.json")

  # Tests and benchmarks compile against the headers only, so they are built once and linked
  # into every kind.
  add_library(m${id}_test_objs OBJECT ${tests})
  target_link_libraries(m${id}_test_objs PUBLIC tt::core tt::catch tt::options PRIVATE nlohmann_json::nlohmann_json)
  if(TARGET tt_pch_tests)  # the course's (the grader's fixture course has none)
    target_precompile_headers(m${id}_test_objs REUSE_FROM tt_pch_tests)
    tt_test_code_optimize(m${id}_test_objs)  # cmake/tt_options.cmake
  endif()
  target_include_directories(m${id}_test_objs PUBLIC "${dir}/include" "${dir}/tests")
  foreach(dep IN LISTS deps)
    target_include_directories(m${id}_test_objs PUBLIC $<TARGET_PROPERTY:tt_m${dep}_headers,INTERFACE_INCLUDE_DIRECTORIES>)
  endforeach()
  add_library(tt_m${id}_headers INTERFACE)
  target_include_directories(tt_m${id}_headers INTERFACE "${dir}/include")
  foreach(dep IN LISTS deps)
    target_link_libraries(tt_m${id}_headers INTERFACE tt_m${dep}_headers)
  endforeach()
  # The provided files are the same for the stubs and the reference: compiled once (against the
  # headers only) into m<id>_provided_objs, whose objects go into both kinds' libraries and link
  # against that kind's student code. A graded submission compiles its own copy (a module may
  # define things for it differently: module 20 does not tell it the grader's paths).
  set(provided_srcs "")
  foreach(f IN LISTS provided)
    list(APPEND provided_srcs "${dir}/${f}")
  endforeach()
  if(provided_srcs)
    add_library(m${id}_provided_objs OBJECT ${provided_srcs})
    target_link_libraries(m${id}_provided_objs PUBLIC tt::core tt_m${id}_headers PRIVATE tt::options)
    tt_reuse_module_pch(m${id}_provided_objs)
  endif()

  set(kinds student)
  set(targets_json "")
  set(root_student "${dir}")
  set(prebuilt_solution "")
  if(TT_BUILD_SOLUTIONS AND EXISTS "${CMAKE_SOURCE_DIR}/solutions/${name}")
    list(APPEND kinds solution)
    set(root_solution "${CMAKE_SOURCE_DIR}/solutions/${name}")
  else()
    tt_target_name(solution_lib "${library_template}" solution)
    tt_reference_archive(prebuilt_solution ${solution_lib})
    if(prebuilt_solution)
      list(APPEND kinds solution)
    endif()
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
    set(dep_kind ${kind})
    if(kind STREQUAL "submission")
      if(TT_SUBMISSION_INTEGRATED OR submission_links STREQUAL "integrated")
        set(dep_kind integrated)
      else()
        set(dep_kind solution)
      endif()
    endif()
    set(dep_libs "")
    foreach(dep IN LISTS deps)
      tt_module_library(dep_lib ${dep} ${dep_kind})
      list(APPEND dep_libs ${dep_lib})
      if(NOT TARGET ${dep_lib})
        message(WARNING "module ${name}: dependency ${dep} has no ${dep_kind} build; ${kind} build skipped")
        list(REMOVE_ITEM kinds ${kind})
      endif()
    endforeach()
    foreach(src IN LISTS srcs)
      if(NOT EXISTS "${src}" AND NOT kind STREQUAL "submission" AND NOT (kind STREQUAL "solution" AND prebuilt_solution))
        message(WARNING "module ${name}: ${src} is missing; ${kind} build skipped")
        list(REMOVE_ITEM kinds ${kind})
        break()
      endif()
    endforeach()
    if(NOT kind IN_LIST kinds)
      continue()
    endif()
    tt_target_name(lib "${library_template}" ${kind})
    tt_target_name(tests_exe "${tests_template}" ${kind})
    set(kind_targets ${lib} ${tests_exe})
    if(kind STREQUAL "solution" AND prebuilt_solution)
      tt_add_prebuilt_library(${lib} "${prebuilt_solution}" "${dir}/include" ${dep_libs})
    else()
      if(provided_srcs AND kind STREQUAL "submission")
        list(APPEND srcs ${provided_srcs})
      elseif(provided_srcs)
        list(APPEND srcs $<TARGET_OBJECTS:m${id}_provided_objs>)
      endif()
      add_library(${lib} STATIC ${srcs})
      target_include_directories(${lib} PUBLIC "${dir}/include")
      target_link_libraries(${lib} PUBLIC tt::core ${dep_libs} PRIVATE tt::options)
      # The heavy headers, precompiled once for every library (common/CMakeLists.txt): a grade
      # recompiles every student file.
      tt_reuse_module_pch(${lib})
    endif()
    add_library(tt::m${id}_${kind} ALIAS ${lib})

    add_executable(${tests_exe} $<TARGET_OBJECTS:m${id}_test_objs>)
    target_link_libraries(${tests_exe} PRIVATE ${lib} tt::catch_main)
    if(NOT kind STREQUAL "submission" AND TARGET tt_tests)  # the grader's fixture course has none
      add_dependencies(tt_tests ${tests_exe})
    endif()
    # One label, "m15-solution": catch_discover_tests flattens a list of labels into separate
    # property arguments. `ctest -L` takes a regex, so -L m15 and -L solution both still select.
    # A student's ctest runs one entry per module, `tt-grade progress`: a row per task (README
    # part, points, state) and each unfinished task's first failure, once (docs/student-guide.md);
    # one ctest entry per test case would print ~4 lines of ctest's own per case on the stubs.
    if(kind STREQUAL "student" AND TT_STUB_TESTS_EXPECT_MARKER)
      string(REPLACE " " "." stub_regex "${stub_marker}")  # spaces would split the discovered properties
      catch_discover_tests(${tests_exe} TEST_PREFIX "stub:" PROPERTIES LABELS "m${id}-stub"
                           PASS_REGULAR_EXPRESSION "${stub_regex}")
    elseif(kind STREQUAL "solution" OR (kind STREQUAL "student" AND TT_REGISTER_STUDENT_TESTS AND NOT TARGET tt-grade))
      catch_discover_tests(${tests_exe} TEST_PREFIX "${kind}:" PROPERTIES LABELS "m${id}-${kind}")
    elseif(kind STREQUAL "student" AND TT_REGISTER_STUDENT_TESTS)
      add_test(NAME "student:m${id} tasks"
               COMMAND tt-grade progress --module-json "${dir}/module.json" --tests $<TARGET_FILE:${tests_exe}>)
      set_tests_properties("student:m${id} tasks" PROPERTIES LABELS "m${id}-student")
      add_dependencies(${tests_exe} tt-grade)  # building the tests builds what ctest runs
    endif()

    # Where the reference is built too (instructors, CI), the student's benchmark and programs
    # are built on demand only (./scripts/bench NN --impl student builds its target).
    set(on_demand "")
    if(kind STREQUAL "student" AND "solution" IN_LIST kinds)
      set(on_demand EXCLUDE_FROM_ALL)
    endif()
    set(programs_json "")
    if(benches AND NOT no_bench_template)
      tt_target_name(bench_exe "${bench_template}" ${kind})
      add_executable(${bench_exe} ${on_demand} ${benches})
      target_link_libraries(${bench_exe} PRIVATE ${lib} tt::bench tt::options)
      target_include_directories(${bench_exe} PRIVATE "${dir}/bench")
      list(APPEND kind_targets ${bench_exe})
      tt_reuse_module_pch(${bench_exe})
      if(kind STREQUAL "solution")
        tt_add_bench_args_test(m${id} ${bench_exe})
      endif()
    endif()
    foreach(p IN LISTS program_names)
      tt_target_name(ptarget "${program_target_${p}}" ${kind})
      add_executable(${ptarget} ${on_demand} "${dir}/${program_source_${p}}")
      target_link_libraries(${ptarget} PRIVATE ${lib} tt::perf tt::options)
      list(APPEND kind_targets ${ptarget})
      tt_reuse_module_pch(${ptarget})
      if(programs_json)
        string(APPEND programs_json ", ")
      endif()
      string(APPEND programs_json "\"${p}\": {\"target\": \"${ptarget}\", \"file\": \"$<TARGET_FILE:${ptarget}>\"}")
    endforeach()
    if(kind STREQUAL "submission")
      # Neutral paths in what the student's code can see (__FILE__, debug information).
      target_compile_options(${lib} PRIVATE "-ffile-prefix-map=${TT_SUBMISSION_ROOT}=/submission"
                                            "-ffile-prefix-map=${CMAKE_SOURCE_DIR}=/course")
      tt_submission_target_settings(${name} ${kind_targets})
    endif()
    # What the grader reads instead of guessing names and paths (build/tt-targets/<name>.json).
    if(targets_json)
      string(APPEND targets_json ", ")
    endif()
    string(APPEND targets_json "\"${kind}\": {\"library\": {\"target\": \"${lib}\", \"file\": \"$<TARGET_FILE:${lib}>\"}, "
                               "\"tests\": {\"target\": \"${tests_exe}\", \"file\": \"$<TARGET_FILE:${tests_exe}>\"}, "
                               "\"programs\": {${programs_json}}}")
  endforeach()

  # The integrated library: this module's submission objects (or the reference's, when the
  # student's did not build) over the integrated libraries of its dependencies. No compile of
  # its own: the objects are the submission's.
  if("submission" IN_LIST kinds)
    set(origin submission)
    if(id IN_LIST TT_SUBMISSION_FALLBACK AND "solution" IN_LIST kinds)
      set(origin solution)
    endif()
    tt_target_name(origin_lib "${library_template}" ${origin})
    tt_target_name(integrated_lib "${library_template}" integrated)
    set(dep_libs "")
    foreach(dep IN LISTS deps)
      tt_module_library(dep_lib ${dep} integrated)
      list(APPEND dep_libs ${dep_lib})
    endforeach()
    if(origin STREQUAL "solution" AND prebuilt_solution)
      # The prebuilt reference has no objects to take: its archive stands in, as it is.
      tt_add_prebuilt_library(${integrated_lib} "${prebuilt_solution}" "${dir}/include" ${dep_libs})
    else()
      add_library(${integrated_lib} STATIC $<TARGET_OBJECTS:${origin_lib}>)
      target_include_directories(${integrated_lib} PUBLIC "${dir}/include")
      target_link_libraries(${integrated_lib} PUBLIC tt::core ${dep_libs})
      tt_submission_target_settings(${name} ${integrated_lib})
    endif()
    string(APPEND targets_json ", \"integrated\": {\"library\": {\"target\": \"${integrated_lib}\", "
                               "\"file\": \"$<TARGET_FILE:${integrated_lib}>\", \"origin\": \"${origin}\"}}")
  endif()
  file(GENERATE OUTPUT "${CMAKE_BINARY_DIR}/tt-targets/${name}.json"
       CONTENT "{\"schema\": \"tt-targets/1\", \"module\": \"${id}\", \"kinds\": {${targets_json}}}\n")

  # The stub check: every test fails on the stubs, passes on the reference, points add up.
  tt_target_name(student_tests "${tests_template}" student)
  tt_target_name(solution_tests "${tests_template}" solution)
  if("solution" IN_LIST kinds AND TARGET reference-tests)
    add_dependencies(reference-tests ${solution_tests})
  endif()
  if("solution" IN_LIST kinds AND TARGET tt-grade)
    add_test(NAME stubcheck:m${id}
             COMMAND tt-grade check-stubs --module-json "${dir}/module.json"
                     --student $<TARGET_FILE:${student_tests}>
                     --solution $<TARGET_FILE:${solution_tests}>)
    set_tests_properties(stubcheck:m${id} PROPERTIES LABELS "stubcheck;m${id}")
  endif()

  # The bug zoo (mutants.json): each catalogued bug planted into a copy of the reference must make
  # one of the module's tests fail. Every module reuses build slot 0 of tt-grade's work root (the
  # course is built there once; a mutant recompiles one file), so the checks run one at a time.
  if("solution" IN_LIST kinds AND TARGET tt-grade AND TT_MUTANT_TESTS AND EXISTS "${dir}/mutants.json")
    add_test(NAME mutants:m${id}
             COMMAND tt-grade mutants ${id} --slot 0 --json "${CMAKE_BINARY_DIR}/mutants/m${id}.json")
    set_tests_properties(mutants:m${id} PROPERTIES LABELS "mutants;m${id}" RESOURCE_LOCK tt_grade_slot_0
                                                   TIMEOUT 3600)
  endif()
endfunction()
