// Tests of manifest.hpp: module.json (tt-module/2) parsing and its internal consistency rules.
// Not tests of the CMake reading of the same file (cmake/tt_add_module.cmake).
#include <catch2/catch.hpp>

#include <fstream>

#include "tt/grade/manifest.hpp"
#include "tt/grade/temp_dir.hpp"

using namespace tt::grade;

namespace {

Manifest from_text(const std::string& text) {
  static TempDir tmp("tt-manifest-test");
  const auto path = tmp.path() / "module.json";
  std::ofstream(path) << text;
  return load_manifest(path);
}

}  // namespace

TEST_CASE("the fixture manifest loads with its tasks and points") {
  const auto m = load_manifest(TT_FIXTURE_DIR "/fixture_module.json");
  CHECK(m.id == "99");
  CHECK(m.name == "99_fixture");
  CHECK(m.student_files == std::vector<std::string>{"src/arith.cpp"});
  REQUIRE(m.tasks.size() == 2);
  CHECK(m.tasks[0].points == 3);
  CHECK(m.points == 5);
  CHECK(m.targets.tests == "m99_tests_{kind}");
  CHECK(manifest_problems(m).empty());
}

TEST_CASE("perf entries are read with their defaults, and inconsistencies are reported") {
  const auto m = from_text(R"({"schema":"tt-module/2","id":"15","name":"15_x","student_files":["src/a.cpp"],
    "targets":{"library":"tt_m15_{kind}","tests":"m15_tests"},
    "programs":[{"name":"m15_perf","source":"bench/p.cpp","target":"m15_perf_{kind}"}],
    "tasks":[{"id":"15.1","points":2},{"id":"15.3","points":4}],"points":7,
    "perf":[{"task":"15.3","case":"matmul_blocked","program":"m15_perf","args":["--case","matmul_blocked"],"points":3,
             "forbidden":{"files":["src/a.cpp"],"symbols":["cblas_"]}},
            {"tasks":["15.1","15.9"],"case":"x","program":"p","points":1,"clock":"wall","curve":{"full":2,"zero":1},
             "forbidden":{"files":["src/b.cpp"],"symbols":["x"]}}]})");
  REQUIRE(m.perf.size() == 2);
  CHECK(m.perf[0].name == "matmul_blocked");
  CHECK(m.perf[0].tasks == std::vector<std::string>{"15.3"});
  CHECK(m.perf[0].args == std::vector<std::string>{"--case", "matmul_blocked"});
  CHECK(m.perf[0].clock == PerfClock::cpu);
  CHECK(m.perf[0].curve.full == 1.25);
  CHECK(m.perf[0].forbidden.symbols == std::vector<std::string>{"cblas_"});
  CHECK(m.perf[1].clock == PerfClock::wall);
  CHECK(m.perf_points() == 4);
  const auto problems = manifest_problems(m);
  // 2 + 4 != 7; tests target without {kind}; 15.9 unknown; program p unknown; curve backwards; src/b.cpp not a student
  // file
  CHECK(problems.size() == 6);
}

TEST_CASE("a measured step is read with its servers, gate, fields and leaderboard") {
  const auto m = load_manifest(TT_FIXTURE_DIR "/course/modules/20_capstone/module.json");
  REQUIRE(m.measure);
  CHECK(m.submission_links == "integrated");
  CHECK(m.measure->servers.size() == 2);
  CHECK(m.measure->servers[1].kind == "solution");
  CHECK(m.measure->gate_field == "accuracy_ratio");
  CHECK(m.measure->points() == 3);
  CHECK(m.perf_points() == 3);
  CHECK(m.measure->leaderboard.size() == 2);
  CHECK(manifest_problems(m).empty());
}

TEST_CASE("a broken or older manifest is an error naming the file and what to do") {
  CHECK_THROWS_WITH(from_text(R"({"id": "15"})"), Catch::Contains("module.json"));
  CHECK_THROWS_WITH(from_text(R"({"schema": "tt-module/1", "id": "15"})"), Catch::Contains("tt-module/2"));
  CHECK_THROWS_WITH(from_text(R"({"schema": "tt-module/2", "id": "15", "name": "x", "submission_links": "mine",
    "targets": {"library": "a{kind}", "tests": "b{kind}"}, "tasks": [], "points": 0})"),
                    Catch::Contains("submission_links"));
}
