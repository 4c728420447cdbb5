// End-to-end tests of the performance step (perf.hpp, symbols.hpp) on the fixture course: a check
// declared only in the fixture's module.json is run and scored; a slow but correct kernel gets
// part of the points, a forbidden call none, a crash during the timing costs the performance points
// only, a wrong result in the timed runs earns nothing, and a missing program is reported.
// Not unit tests: the formula and the nm parsing are in score_test.cpp.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "e2e_fixture.hpp"
#include "tt/grade/file_io.hpp"
#include "tt/grade/temp_dir.hpp"

using namespace tt::grade;
using namespace e2e;

namespace {

// Module 99 graded with `arith` as the student's file.
GradeRecord grade_arith(const fs::path& dir, const std::string& arith) {
  write(dir / "modules/99_arith/src/arith.cpp", arith);
  auto o = options_for(dir);
  o.modules = {"99"};
  return grade_submission(o);
}

const PerfResult& add_loop(const GradeRecord& g) {
  const auto& m = module_of(g, "99");
  REQUIRE(m.perf.size() == 1);
  return m.perf.front();
}

const std::string kHeader = "#include \"arith.hpp\"\n#include \"base.hpp\"\n#include <cstdlib>\n";
const std::string kMul = "int mul(int a, int b) { return b % 2 == 0 ? base::twice(a * (b / 2)) : a * b; }\n";

}  // namespace

TEST_CASE("a slow but correct kernel gets part of the performance points, the tests all of theirs", "[e2e][perf]") {
  TempDir tmp("tt-perf-e2e");
  // Several times the reference's work per call.
  const auto g =
      grade_arith(tmp.path() / "slow", kHeader +
                                           "namespace fixture {\nint add(int a, int b) {\n"
                                           "  volatile int s = a;\n  for (int i = 0; i < 20; ++i) s = s + 0;\n"
                                           "  return s + b;\n}\n" +
                                           kMul + "}\n");
  REQUIRE(g.status == GradeStatus::graded);
  const auto& p = add_loop(g);
  INFO(p.reason);
  CHECK(p.status == PerfStatus::scored);
  CHECK(p.ratio > 1.3);
  CHECK(p.score < 2);
  CHECK(module_of(g, "99").score >= 6);  // every test passed
}

TEST_CASE("a kernel that calls a forbidden symbol gets no performance points and says which", "[e2e][perf][hostile]") {
  TempDir tmp("tt-perf-e2e");
  const auto g = grade_arith(tmp.path() / "caller", kHeader +
                                                        "namespace fixture {\nint add(int a, int b) {\n"
                                                        "  static const char* e = std::getenv(\"TT_NOTHING\");\n"
                                                        "  return a + b + (e ? 1 : 0);\n}\n" +
                                                        kMul + "}\n");
  REQUIRE(g.status == GradeStatus::graded);
  const auto& p = add_loop(g);
  CHECK(p.status == PerfStatus::withheld);
  CHECK(p.score == 0);
  CHECK_THAT(p.reason, Catch::Contains("src/arith.cpp → getenv"));
}

TEST_CASE("a crash during the timed runs costs the performance points only", "[e2e][perf]") {
  TempDir tmp("tt-perf-e2e");
  const auto g =
      grade_arith(tmp.path() / "crash", kHeader +
                                            "namespace fixture {\nint add(int a, int b) {\n"
                                            "  static long calls = 0;\n  if (++calls > 100000) std::abort();\n"
                                            "  return a + b;\n}\n" +
                                            kMul + "}\n");
  REQUIRE(g.status == GradeStatus::graded);
  const auto& p = add_loop(g);
  CHECK(p.status == PerfStatus::failed);
  CHECK_THAT(p.reason, Catch::Contains("SIGABRT"));
  CHECK(module_of(g, "99").score == 6);
}

TEST_CASE("a kernel that is right in the tests and wrong when timed earns nothing", "[e2e][perf][hostile]") {
  TempDir tmp("tt-perf-e2e");
  const auto g =
      grade_arith(tmp.path() / "liar", kHeader +
                                           "namespace fixture {\nint add(int a, int b) {\n"
                                           "  static long calls = 0;\n  return ++calls > 1000 ? a : a + b;\n}\n" +
                                           kMul + "}\n");
  REQUIRE(g.status == GradeStatus::graded);
  const auto& p = add_loop(g);
  CHECK(p.status == PerfStatus::failed);
  CHECK_THAT(p.reason, Catch::Contains("differs from the reference"));
  CHECK(p.score == 0);
}

TEST_CASE("a kernel that hangs when timed, or forges the program's answers, costs the check only",
          "[e2e][perf][hostile]") {
  TempDir tmp("tt-perf-e2e");
  SECTION("hangs") {
    const auto g = grade_arith(tmp.path() / "hang", kHeader +
                                                        "namespace fixture {\nint add(int a, int b) {\n"
                                                        "  static long calls = 0;\n  if (++calls > 100000)\n    for "
                                                        "(volatile int spin = 0;; spin = spin + 1) {\n    }\n"
                                                        "  return a + b;\n}\n" +
                                                        kMul + "}\n");
    const auto& p = add_loop(g);
    CHECK(p.status == PerfStatus::failed);
    CHECK_THAT(p.reason, Catch::Contains("took longer than"));
    CHECK(module_of(g, "99").score == 6);
  }
  SECTION("forges") {
    // The program's answers go out on fd 6: a kernel that writes there itself desynchronizes the
    // protocol, and the check fails instead of timing nothing.
    const auto g =
        grade_arith(tmp.path() / "forger", kHeader +
                                               "#include <unistd.h>\nnamespace fixture {\n"
                                               "int add(int a, int b) {\n  static bool once = false;\n"
                                               "  if (!once) { once = true; (void)!write(6, \"done\\n\", 5); }\n"
                                               "  return a + b;\n}\n" +
                                               kMul + "}\n");
    const auto& p = add_loop(g);
    CHECK(p.status == PerfStatus::failed);
    CHECK(p.score == 0);
  }
}

TEST_CASE("a perf check naming a program the course does not build is reported, not fatal", "[e2e][perf]") {
  TempDir tmp("tt-perf-e2e");
  const fs::path course = tmp.path() / "course";
  fs::copy(kCourse, course, fs::copy_options::recursive);
  // The fixture includes the real tt_add_module.cmake by a path relative to itself.
  write(course / "cmake/tt_add_module.cmake",
        "include(\"" + (kCourse / "../../../../cmake/tt_add_module.cmake").lexically_normal().string() + "\")\n");
  write(course / "CMakeLists.txt", [&] {
    std::string cm = read_file(kCourse / "CMakeLists.txt");
    const std::string rel = "${CMAKE_CURRENT_LIST_DIR}/../../../../common";
    const std::string abs = (kCourse / "../../../../common").lexically_normal().string();
    for (std::size_t pos; (pos = cm.find(rel)) != std::string::npos;) cm.replace(pos, rel.size(), abs);
    return cm;
  }());
  auto mj = nlohmann::json::parse(read_file(course / "modules/99_arith/module.json"));
  mj["perf"][0]["program"] = "m99_nowhere";
  write(course / "modules/99_arith/module.json", mj.dump(2));
  auto o = options_for(course / "solutions");
  o.course_root = course;
  o.work_root = tmp.path() / "work";
  o.modules = {"99"};
  const auto g = grade_submission(o);
  INFO(g.error);
  REQUIRE(g.status == GradeStatus::graded);
  const auto& p = add_loop(g);
  CHECK(p.status == PerfStatus::failed);
  CHECK_THAT(p.reason, Catch::Contains("m99_nowhere"));
  CHECK(module_of(g, "99").score == 6);
}
