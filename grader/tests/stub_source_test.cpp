// Tests of stub_source.hpp: functions found by braces, stub task ids, and the source rules on a
// small module written to a temporary directory. Not tests of the course's own sources (the
// stubcheck:mNN ctest entries run the rules on them).
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>

#include "e2e_fixture.hpp"
#include "tt/grade/stub_source.hpp"
#include "tt/grade/temp_dir.hpp"

using namespace tt::grade;
using e2e::write;
namespace fs = std::filesystem;

namespace {

bool mentions(const std::vector<std::string>& problems, const std::string& text) {
  return std::any_of(problems.begin(), problems.end(),
                     [&](const std::string& p) { return p.find(text) != std::string::npos; });
}

const char* kModuleJson = R"({
  "schema": "tt-module/2", "id": "97", "name": "97_toy", "title": "toy",
  "targets": {"library": "tt_m97_{kind}", "tests": "m97_tests_{kind}"},
  "student_files": ["src/toy.cpp"], "tests": ["tests/toy_test.cpp"],
  "tasks": [{"id": "97.1", "title": "add", "points": 1, "part": 1},
            {"id": "97.2", "title": "mul", "points": 1, "part": 2}],
  "points": 2
})";

const char* kReference = R"(namespace toy {
int helper(int a) { return a + 1; }
int add(int a, int b) { return a + b; }
int mul(int a, int b) { return a * b; }
}  // namespace toy
)";

}  // namespace

TEST_CASE("top-level functions are found inside namespaces, comments and strings aside") {
  const auto fns = top_level_functions(R"(#include <string>
namespace a::b {
// ---- scaffolding (given) ----
struct S { int f() { return 1; } };
int one() { /* } */ return 1; }
// ---- 1.1: yours ----
// Given: a label.
std::string label() { return "{"; }
int two(int x) {
  if (x) { return 2; }
  return 0;
}
}  // namespace a::b
)");
  REQUIRE(fns.size() == 3);
  CHECK(fns[0].signature == "intone()");
  CHECK(fns[0].body == "{return1;}");
  CHECK(fns[0].given);
  CHECK(fns[1].signature == "std::stringlabel()");
  CHECK(fns[1].given);
  CHECK(fns[2].signature == "inttwo(intx)");
  CHECK(fns[2].line == 9);
  CHECK_FALSE(fns[2].given);
}

TEST_CASE("stub task ids come from TT_UNIMPLEMENTED calls, not from comments") {
  const auto ids = stub_task_ids(
      "// TT_UNIMPLEMENTED(\"1.9 x\")\nTT_UNIMPLEMENTED(\"16.2 KVCache::update\");\n"
      "TT_UNIMPLEMENTED(\"16.3\");");
  CHECK(ids == std::vector<std::string>{"16.2", "16.3"});
}

TEST_CASE("the source rules: a task without a stub, a stub that is the reference, README parts") {
  TempDir tmp("tt-stub-source-test");
  const fs::path mod = tmp.path() / "modules" / "97_toy";
  write(mod / "module.json", kModuleJson);
  write(tmp.path() / "solutions" / "97_toy" / "src" / "toy.cpp", kReference);
  write(mod / "README.md", "# toy\n## Part 1 — Adding (task 97.1)\n## Part 3 — Multiplying (task 97.2)\n");
  SECTION("a stub function equal to the reference's is flagged unless it says it is given") {
    write(mod / "src" / "toy.cpp", R"(namespace toy {
int helper(int a) { return a + 1; }
int add(int a, int b) { TT_UNIMPLEMENTED("97.1 add"); }
int mul(int a, int b) {
  // the product
  return a * b;
}
}  // namespace toy
)");
    const auto P = stub_source_problems(load_manifest(mod / "module.json"), tmp.path() / "solutions" / "97_toy");
    CHECK(mentions(P, "src/toy.cpp:2: this stub function is the reference's"));
    CHECK(mentions(P, "src/toy.cpp:4: this stub function is the reference's"));
    CHECK(mentions(P, "task 97.2: no stub throws TT_UNIMPLEMENTED(\"97.2"));
    CHECK(mentions(P, "task 97.2: the README lists it under Part 3, module.json says part 2"));
    CHECK_FALSE(mentions(P, "task 97.1"));
  }
  SECTION("given scaffolding and a stub per task pass") {
    write(mod / "README.md", "# toy\n## Part 1 — Adding (task 97.1)\n## Part 2 — Multiplying (tasks 97.2)\n");
    write(mod / "src" / "toy.cpp", R"(namespace toy {
// Given: bookkeeping.
int helper(int a) { return a + 1; }
int add(int a, int b) { TT_UNIMPLEMENTED("97.1 add"); }
int mul(int a, int b) { TT_UNIMPLEMENTED("97.2 mul"); }
}  // namespace toy
)");
    const auto P = stub_source_problems(load_manifest(mod / "module.json"), tmp.path() / "solutions" / "97_toy");
    CHECK(P.empty());
  }
  SECTION("a task marked TODO inside another task's stub is the student's") {
    write(mod / "README.md", "# toy\n## Part 1 — Adding (task 97.1)\n## Part 2 — Multiplying (tasks 97.2)\n");
    write(mod / "src" / "toy.cpp",
          "int add() {\n  // TODO(97.1): add. TODO(97.2): and multiply.\n"
          "  TT_UNIMPLEMENTED(\"97.1 add\");\n}\n");
    CHECK(stub_source_problems(load_manifest(mod / "module.json"), {}).empty());
    write(mod / "src" / "toy.cpp", "// TODO(97.2): nothing throws here\nint add() { return 0; }\n");
    CHECK(mentions(stub_source_problems(load_manifest(mod / "module.json"), {}), "task 97.2: no stub throws"));
  }
  SECTION("a stub naming a task the module does not have") {
    write(mod / "src" / "toy.cpp",
          "int add() { TT_UNIMPLEMENTED(\"97.1 add\"); }\nint mul() { TT_UNIMPLEMENTED(\"96.2 mul\"); }\n");
    const auto P = stub_source_problems(load_manifest(mod / "module.json"), {});
    CHECK(mentions(P, "TT_UNIMPLEMENTED(\"96.2 …\") names no task of module.json"));
  }
}
