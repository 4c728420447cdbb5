// Tests of package.hpp (the Gradescope package's scripts, module closure and input checks) and
// classroom.hpp (the Classroom reporter's results). Not end to end: platform/ simulates both.
#include <catch2/catch.hpp>

#include <fstream>

#include "tt/grade/classroom.hpp"
#include "tt/grade/file_io.hpp"
#include "tt/grade/package.hpp"
#include "tt/grade/temp_dir.hpp"
#include "tt/grade/workspace.hpp"

using namespace tt::grade;
using nlohmann::json;

namespace {

GradescopePackage package_of(const std::string& module, bool allow_unsandboxed) {
  GradescopePackage p;
  p.course_root = TT_COURSE_ROOT;
  p.module = module;
  p.allow_unsandboxed = allow_unsandboxed;
  return p;
}

bool has(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }

// The tt-grade command of a run_autograder script (its comments name the flags too).
std::string grade_command_of(const std::string& script) {
  const auto start = script.find("tt-grade run");
  REQUIRE(start != std::string::npos);
  return script.substr(start, script.find("|| status", start) - start);
}

}  // namespace

TEST_CASE("the Gradescope scripts grade one module at the package's ISA and require a sandbox unless allowed") {
  const auto p = package_of("16", false);
  const std::string setup = gradescope_setup_sh(p), run = gradescope_run_autograder(p);
  CHECK(has(setup, "-DTT_ISA=x86-64-v3"));
  CHECK(has(setup, "TT_SKIP_APT"));
  CHECK(has(setup, "--module 16"));
  CHECK(has(run, "--module 16"));
  CHECK_FALSE(has(grade_command_of(run), "--allow-unsandboxed"));
  CHECK(has(run, "exit $status"));
  CHECK(has(grade_command_of(gradescope_run_autograder(package_of("16", true))), "--allow-unsandboxed"));
}

TEST_CASE("a package holds its module and the modules it depends on, and names the known ones when asked for another") {
  CHECK(package_modules(TT_COURSE_ROOT, "18") == std::vector<std::string>{"15", "17", "18"});
  CHECK(package_modules(TT_COURSE_ROOT, "16") == std::vector<std::string>{"16"});
  CHECK_THROWS_WITH(package_modules(TT_COURSE_ROOT, "42"), Catch::Contains("no such module") && Catch::Contains("15"));
}

TEST_CASE("a package refuses a machine-specific ISA level and a tree without the reference") {
  auto p = package_of("16", false);
  p.isa = "native";
  CHECK_THROWS_WITH(package_gradescope(p), Catch::Contains("x86-64-v3") && Catch::Contains("not native"));
  TempDir t("tt-package-test");
  std::filesystem::create_directories(t.path() / "grader");
  std::filesystem::create_directories(t.path() / "modules");
  p = package_of("16", false);
  p.course_root = t.path();
  CHECK_THROWS_WITH(package_gradescope(p), Catch::Contains("no solutions/"));
}

TEST_CASE("a module's reference is there as source or as a prebuilt library with its reference.json") {
  TempDir t("tt-package-test");
  Manifest m;
  m.name = "99_fixture";
  m.targets.library = "tt_m99_{kind}";
  CHECK_FALSE(has_solution(t.path(), m));
  const auto lib = t.path() / kReferenceLibDir;
  std::filesystem::create_directories(lib);
  write_file_atomically(lib / "libtt_m99_solution.a", "!<arch>\n");
  CHECK_FALSE(has_solution(t.path(), m));  // no reference.json: not a package's libraries
  write_file_atomically(lib / "reference.json", "{}");
  CHECK(has_solution(t.path(), m));
}

namespace {

json report_with(const std::string& status, const json& tests, const std::string& build = "ok") {
  return {{"status", status},
          {"error", status == "graded" ? json(nullptr) : json("bubblewrap cannot run")},
          {"modules",
           json::array({{{"id", "16"},
                         {"build", {{"status", build}, {"errors", build == "ok" ? "" : "error: x"}, {"seconds", 2}}},
                         {"tests", tests}}})}};
}

Manifest module16() {
  Manifest m;
  m.id = "16";
  m.title = "Memory";
  m.points = 44;
  return m;
}

}  // namespace

TEST_CASE("Classroom results: one test entry per module, its points from the tests that ran") {
  const json passed = json::array({{{"score", 2}, {"max_score", 2}, {"status", "passed"}, {"duration_seconds", 0.25}},
                                   {{"score", 3}, {"max_score", 3}, {"status", "passed"}, {"duration_seconds", 0.25}}});
  auto r = classroom_result(report_with("graded", passed), module16());
  CHECK(r["version"] == 1);
  CHECK(r["status"] == "pass");
  CHECK(r["max_score"] == 5);  // hidden tests left out of the grade: not in the denominator
  REQUIRE(r["tests"].size() == 1);
  CHECK(r["tests"][0]["score"] == 5);
  CHECK(r["tests"][0]["status"] == "pass");
  CHECK(r["tests"][0]["duration"] == 2500);  // milliseconds: the build's and the tests' seconds

  const json half = json::array({{{"score", 2}, {"max_score", 2}, {"status", "passed"}},
                                 {{"score", 0}, {"max_score", 3}, {"status", "missing"}}});
  r = classroom_result(report_with("graded", half, "failed"), module16());
  CHECK(r["status"] == "fail");
  CHECK(r["tests"][0]["score"] == 2);
  CHECK(has(r["tests"][0]["message"], "build failed"));
}

TEST_CASE("Classroom results: a grade that stopped or a module not graded is an error worth 0 of its points") {
  auto r = classroom_result(report_with("error", json::array()), module16());
  CHECK(r["status"] == "error");
  CHECK(r["max_score"] == 44);
  CHECK(r["tests"][0]["score"] == 0);
  CHECK(has(r["tests"][0]["message"], "bubblewrap"));
  r = classroom_result(json{{"status", "graded"}, {"modules", json::array()}}, module16());
  CHECK(r["status"] == "error");
  CHECK(has(r["tests"][0]["message"], "not graded"));
  // What the reporter decodes: base64 of the same JSON.
  const std::string b64 = classroom_result_base64(json::object(), module16());
  CHECK(b64.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") ==
        std::string::npos);
  CHECK(b64.size() % 4 == 0);
}
