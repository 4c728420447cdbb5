// Shared pieces of the end-to-end tests: the fixture course, grade options for it, and lookups.
// Not a test: grade_test.cpp and capstone_test.cpp include it.
#pragma once

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "tt/grade/grade.hpp"

namespace e2e {

namespace fs = std::filesystem;

inline const fs::path kCourse = TT_FIXTURE_DIR "/course";

inline tt::grade::GradeOptions options_for(const fs::path& submission) {
  setenv("TT_FIXTURE_CATCH_MAIN_OBJ", TT_CATCH_MAIN_OBJ, 1);
  tt::grade::GradeOptions o;
  o.submission = submission;
  o.course_root = kCourse;
  o.work_root = TT_E2E_WORK_DIR;  // slots persist between test runs: only the first run builds
  o.grader_exe = TT_GRADE_EXE;    // the build's sandboxed compiles run `tt-grade build-step`
  o.test_timeout = 3;
  o.perf_runs = 3;
  o.measure_timeout = 30;
  o.progress = false;
  o.label = submission.filename().string();
  return o;
}

inline const tt::grade::TestRecord& test_named(const tt::grade::GradeRecord& g, const std::string& module,
                                               const std::string& name) {
  for (const auto& m : g.modules)
    if (m.manifest.id == module)
      for (const auto& t : m.tests)
        if (t.test.name == name) return t;
  FAIL("no test " << name << " in module " << module);
  throw std::logic_error("unreachable");
}

inline const tt::grade::ModuleRecord& module_of(const tt::grade::GradeRecord& g, const std::string& id) {
  for (const auto& m : g.modules)
    if (m.manifest.id == id) return m;
  throw std::logic_error("no module " + id);
}

inline void write(const fs::path& p, const std::string& s) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << s;
}

}  // namespace e2e
