// Tests of manifest.hpp: module.json parsing and its internal consistency rules.
// Not tests of the CMake reading of the same file (cmake/tt_add_module.cmake).
#include <catch2/catch.hpp>

#include <fstream>

#include "tt/grade/manifest.hpp"
#include "tt/grade/temp_dir.hpp"

TEST_CASE("the fixture manifest loads with its tasks and points") {
  const auto m = tt::grade::load_manifest(TT_FIXTURE_DIR "/fixture_module.json");
  CHECK(m.id == "99");
  CHECK(m.name == "99_fixture");
  CHECK(m.student_files == std::vector<std::string>{"src/arith.cpp"});
  REQUIRE(m.tasks.size() == 2);
  CHECK(m.tasks[0].points == 3);
  CHECK(m.points == 5);
  CHECK(tt::grade::manifest_problems(m).empty());
}

TEST_CASE("perf entries are read and inconsistent points are reported") {
  tt::grade::TempDir tmp("tt-manifest-test");
  const auto path = tmp.path() / "module.json";
  std::ofstream(path) << R"({"schema":"tt-module/1","id":"15","name":"15_x","student_files":["src/a.cpp"],
    "tasks":[{"id":"15.1","points":2},{"id":"15.3","points":4}],"points":7,
    "perf":[{"task":"15.3","case":"matmul_blocked","program":"m15_perf","args":["--case","matmul_blocked"],"points":3},
            {"task":"15.9","case":"x","program":"p","points":1}]})";
  const auto m = tt::grade::load_manifest(path);
  REQUIRE(m.perf.size() == 2);
  CHECK(m.perf[0].name == "matmul_blocked");
  CHECK(m.perf[0].args == std::vector<std::string>{"--case", "matmul_blocked"});
  CHECK(m.perf_points() == 4);
  const auto problems = tt::grade::manifest_problems(m);
  CHECK(problems.size() == 2);  // 2 + 4 != 7, and task 15.9 is unknown
}

TEST_CASE("a broken manifest is an error naming the file") {
  tt::grade::TempDir tmp("tt-manifest-test");
  const auto path = tmp.path() / "module.json";
  std::ofstream(path) << R"({"id": "15"})";
  CHECK_THROWS_WITH(tt::grade::load_manifest(path), Catch::Contains("module.json"));
}
