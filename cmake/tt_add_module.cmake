# tt_add_module(): the one CMake call every module makes. Reads module.json beside the caller.
# Not a place for module-specific logic: a module that needs more adds it after the call.
#
# For each "kind" of implementation it defines:
#   tt_mNN_<kind>          library built from the kind's copy of module.json's student_files
#   mNN_tests_<kind>       Catch2 test executable (the module's tests, compiled once as objects)
#   mNN_bench_<kind>       the module's benchmark executable (when module.json lists "bench")
#   <program>_<kind>       each of module.json's "programs"
# Kinds: student (modules/NN/src), solution (solutions/NN/src, when present) and, for the
# grader, submission (TT_SUBMISSION_ROOT/NN/src, when that variable is set).
# A module that depends on others links the same kind, except that a submission links the
# reference (solution) dependencies unless TT_SUBMISSION_INTEGRATED is ON.

set(TT_SUBMISSION_ROOT "" CACHE PATH "Grader only: a modules/ tree whose student files are built as kind 'submission'")
option(TT_SUBMISSION_INTEGRATED "Grader only: a submission links its own earlier modules, not the reference" OFF)

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
  file(READ "${dir}/module.json" json)
  string(JSON id GET "${json}" id)
  string(JSON name GET "${json}" name)
  tt_json_list(files "${json}" student_files)
  tt_json_list(deps "${json}" depends_on)
  tt_json_list(tests "${json}" tests)
  tt_json_list(benches "${json}" bench)
  string(JSON nprog ERROR_VARIABLE no_programs LENGTH "${json}" programs)
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
    set(lib tt_m${id}_${kind})
    add_library(${lib} STATIC ${srcs})
    add_library(tt::m${id}_${kind} ALIAS ${lib})
    target_include_directories(${lib} PUBLIC "${dir}/include")
    target_link_libraries(${lib} PUBLIC tt::core PRIVATE tt::options)
    set(dep_kind ${kind})
    if(kind STREQUAL "submission" AND NOT TT_SUBMISSION_INTEGRATED)
      set(dep_kind solution)
    endif()
    foreach(dep IN LISTS deps)
      target_link_libraries(${lib} PUBLIC tt_m${dep}_${dep_kind})
    endforeach()

    add_executable(m${id}_tests_${kind} $<TARGET_OBJECTS:m${id}_test_objs>)
    target_link_libraries(m${id}_tests_${kind} PRIVATE ${lib} tt::catch_main)
    set(labels "${kind};m${id}")
    if(kind STREQUAL "solution" OR (kind STREQUAL "student" AND TT_REGISTER_STUDENT_TESTS))
      catch_discover_tests(m${id}_tests_${kind} TEST_PREFIX "${kind}:" PROPERTIES LABELS "${labels}")
    endif()

    if(benches)
      add_executable(m${id}_bench_${kind} ${benches})
      target_link_libraries(m${id}_bench_${kind} PRIVATE ${lib} tt::bench tt::options)
      target_include_directories(m${id}_bench_${kind} PRIVATE "${dir}/bench")
    endif()
    if(NOT no_programs AND nprog GREATER 0)
      math(EXPR last "${nprog} - 1")
      foreach(i RANGE ${last})
        string(JSON pname GET "${json}" programs ${i} name)
        string(JSON psrc GET "${json}" programs ${i} source)
        add_executable(${pname}_${kind} "${dir}/${psrc}")
        target_link_libraries(${pname}_${kind} PRIVATE ${lib} tt::options)
      endforeach()
    endif()
  endforeach()

  # The stub check: every test fails on the stubs, passes on the reference, points add up.
  if("solution" IN_LIST kinds AND TARGET tt-grade)
    add_test(NAME stubcheck:m${id}
             COMMAND tt-grade check-stubs --module-json "${dir}/module.json"
                     --student $<TARGET_FILE:m${id}_tests_student>
                     --solution $<TARGET_FILE:m${id}_tests_solution>)
    set_tests_properties(stubcheck:m${id} PROPERTIES LABELS "stubcheck;m${id}")
  endif()
endfunction()
