// Tests of capstone.hpp and capstone_board.hpp: the capstone object, Gradescope's leaderboard[] from
// it, and (end to end on the fixture course's module 20) measured, missing and rejected entries and
// the batch leaderboard. Not tests of module 20's harness: module 20's own tests cover that.
#include <catch2/catch.hpp>

#include <cstdlib>

#include <nlohmann/json.hpp>

#include "e2e_fixture.hpp"
#include "tt/grade/capstone.hpp"
#include "tt/grade/capstone_board.hpp"
#include "tt/grade/file_io.hpp"
#include "tt/grade/process.hpp"
#include "tt/grade/report.hpp"
#include "tt/grade/temp_dir.hpp"

using namespace tt::grade;
using namespace e2e;
using nlohmann::json;

namespace {

GradeRecord measured_record(bool gate_passed) {
  GradeRecord g;
  g.score = 31.5;
  g.capstone.status = "measured";
  g.capstone.missing.clear();
  g.capstone.gate_passed = gate_passed;
  g.capstone.accuracy_size_score = 5.3846;
  g.capstone.results = {{"latency_p50_ms", 0.0039},
                        {"accuracy", 0.882},
                        {"model_bytes", 174688},
                        {"generation_tokens_per_s", 10185.4},
                        {"generation_peak_bytes", 310000}};
  return g;
}

std::vector<std::pair<std::string, std::string>> names_and_orders(const json& board) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& e : board) out.emplace_back(e.at("name"), e.at("order"));
  return out;
}

// A copy of the fixture's reference module 20 whose entry source is replaced by `entry_cpp`.
fs::path submission_with_entry(const fs::path& dir, const std::string& entry_cpp) {
  write(dir / "20_capstone/src/entry.cpp", entry_cpp);
  return dir;
}

std::string reference_entry_with(const std::string& replace, const std::string& by) {
  std::string s = read_file(kCourse / "solutions/20_capstone/src/entry.cpp");
  const auto pos = s.find(replace);
  REQUIRE(pos != std::string::npos);
  return s.replace(pos, replace.size(), by);
}

GradeRecord grade_capstone(const fs::path& submission) {
  auto o = options_for(submission);
  o.modules = {"20"};
  o.capstone_timeout = 3;
  return grade_submission(o);
}

}  // namespace

TEST_CASE("Gradescope's leaderboard has module 20's categories with their sort orders, then the total score",
          "[capstone]") {
  const json board = gradescope_leaderboard(measured_record(true));
  using P = std::pair<std::string, std::string>;
  CHECK(names_and_orders(board) == std::vector<P>{{"p50 latency (ms)", "asc"},
                                                  {"accuracy", "desc"},
                                                  {"model bytes", "asc"},
                                                  {"generation tokens/s", "desc"},
                                                  {"generation peak bytes", "asc"},
                                                  {"accuracy/size score", "desc"},
                                                  {"total score", "desc"}});
  CHECK(board[0]["value"] == 0.0039);
  CHECK(board[2]["value"] == 174688);
  CHECK(board[5]["value"] == 5.385);
  CHECK(board[6]["value"] == 31.5);
}

TEST_CASE("an entry below the accuracy gate shows its accuracy but is not ranked in the categories", "[capstone]") {
  using P = std::pair<std::string, std::string>;
  CHECK(names_and_orders(gradescope_leaderboard(measured_record(false))) ==
        std::vector<P>{{"accuracy", "desc"}, {"total score", "desc"}});
}

TEST_CASE("without a capstone measurement the leaderboard falls back to the total score", "[capstone]") {
  GradeRecord g;
  g.score = 12;
  const json board = gradescope_leaderboard(g);
  REQUIRE(board.size() == 1);
  CHECK(board[0]["name"] == "total score");
  CHECK(board[0]["value"] == 12);
  const json c = native_report(g)["capstone"];
  CHECK(c["status"] == "missing");
  CHECK(c["missing"] == "not_graded");
  CHECK(c["results"].is_null());
}

TEST_CASE("entry names are made acceptable to module 20 from any submission label", "[capstone]") {
  CHECK(capstone_entry_name("alice.smith_2") == "alice.smith_2");
  CHECK(capstone_entry_name("bob jones/é") == "bob-jones---");
  CHECK(capstone_entry_name("") == "entry");
  CHECK(capstone_entry_name(std::string(100, 'x')).size() == 64);
}

TEST_CASE("a course without solutions skips the capstone leaderboard with a note, not an error", "[capstone]") {
  TempDir tmp("tt-grade-capstone");
  const fs::path course = tmp.path() / "course";
  fs::create_directories(course / "modules/20_capstone");
  fs::copy_file(kCourse / "modules/20_capstone/module.json", course / "modules/20_capstone/module.json");
  GradeOptions g;
  g.course_root = course;
  g.work_root = tmp.path() / "work";
  const auto b = write_capstone_leaderboard(g, tmp.path() / "out", {"alice"});
  CHECK(b.status == "skipped");
  CHECK_THAT(b.note, Catch::Contains("without solutions"));
  CHECK_FALSE(fs::exists(tmp.path() / "out/leaderboard.json"));
}

TEST_CASE("a passing entry is measured in the sandbox and validated; reports carry it", "[e2e][capstone]") {
  TempDir tmp("tt-grade-e2e");
  const auto g = grade_capstone(
      submission_with_entry(tmp.path() / "alice", read_file(kCourse / "solutions/20_capstone/src/entry.cpp")));
  INFO(g.error << g.capstone.reason << g.capstone.output);
  REQUIRE(g.status == GradeStatus::graded);
  CHECK(module_of(g, "20").score == 2);
  REQUIRE(g.capstone.status == "measured");
  CHECK(g.capstone.name == "alice");
  CHECK(g.capstone.gate_passed);
  CHECK(g.capstone.results["latency_p50_ms"] == 0.004);
  CHECK(g.capstone.results["baseline_accuracy"] == 0.8668);  // the grader's cached baseline was used
  CHECK(g.capstone.accuracy_size_score > 5);
  CHECK(fs::exists(fs::path(g.capstone.baseline_dir) / "baseline.json"));

  const auto written = write_reports(g, tmp.path() / "out", {"json", "gradescope", "md"});
  const auto native = json::parse(read_file(tmp.path() / "out/report.json"));
  CHECK(native["capstone"]["status"] == "measured");
  CHECK(native["capstone"]["missing"].is_null());
  CHECK(native["capstone"]["gate_passed"] == true);
  CHECK(native["capstone"]["file"] == "capstone.json");
  CHECK(json::parse(read_file(tmp.path() / "out/capstone.json"))["name"] == "alice");
  const auto gs = json::parse(read_file(tmp.path() / "out/results.json"));
  REQUIRE(gs["leaderboard"].size() == 7);
  CHECK(gs["leaderboard"][0]["name"] == "p50 latency (ms)");
  CHECK(gs["leaderboard"][0]["value"] == 0.004);
  CHECK_THAT(read_file(tmp.path() / "out/summary.md"), Catch::Contains("## Capstone"));
}

TEST_CASE("failing, lying, impossible and endless entries get no capstone measurement, with the reason",
          "[e2e][capstone]") {
  TempDir tmp("tt-grade-e2e");
  SECTION("the stubs: the entry's tests fail, so nothing is measured") {
    const auto g = grade_capstone(kCourse / "modules");
    CHECK(g.capstone.status == "missing");
    CHECK(g.capstone.missing == "entry_failed");
    CHECK_THAT(g.capstone.reason, Catch::Contains("20.1"));
    CHECK(g.score == 0);
  }
  SECTION("fake submission JSON printed to stdout is never read") {
    const auto g = grade_capstone(submission_with_entry(
        tmp.path() / "mallory",
        reference_entry_with("const char* entry_description() { return \"Pruned, int8, KV cache.\"; }",
                             "const char* entry_description() {\n"
                             "  std::printf(\"{\\\"schema\\\": \\\"tt-capstone-submission/1\\\", \\\"name\\\": "
                             "\\\"mallory\\\"}\\n\");\n  std::exit(0);\n}")
            .insert(0, "#include <cstdio>\n#include <cstdlib>\n")));
    CHECK(module_of(g, "20").score == 2);  // the tests passed: the capstone never changes the score
    CHECK(g.capstone.missing == "no_file");
    CHECK(g.capstone.results.is_null());
  }
  SECTION("an impossible claim (p90 below p50) is rejected by the reference validator") {
    const auto g = grade_capstone(submission_with_entry(
        tmp.path() / "trudy", reference_entry_with("m.latency_p90_ms = 0.005;", "m.latency_p90_ms = 0.001;")));
    CHECK(module_of(g, "20").score == 2);
    CHECK(g.capstone.missing == "invalid");
    CHECK_THAT(g.capstone.reason, Catch::Contains("latency_p90_ms"));
  }
  SECTION("an entry that never finishes is stopped at the capstone budget") {
    const auto g = grade_capstone(submission_with_entry(
        tmp.path() / "zeno",
        reference_entry_with("{ return \"Pruned, int8, KV cache.\"; }",
                             "{\n  for (volatile int i = 0;; i = i + 1) {\n  }\n  return \"\";\n}")));
    CHECK(module_of(g, "20").score == 2);
    CHECK(g.capstone.missing == "timeout");
    CHECK_THAT(g.capstone.reason, Catch::Contains("timeout after 3 s"));
  }
}

TEST_CASE("batch ranks the measured entries with module 20's reference leaderboard, keeping the score table",
          "[e2e][capstone]") {
  TempDir tmp("tt-grade-e2e");
  const fs::path subs = tmp.path() / "subs", out = tmp.path() / "out";
  const std::string ref = read_file(kCourse / "solutions/20_capstone/src/entry.cpp");
  submission_with_entry(subs / "slow", ref);
  submission_with_entry(subs / "fast", reference_entry_with("m.latency_p50_ms = 0.004;", "m.latency_p50_ms = 0.002;"));
  write(subs / "stub/20_capstone/src/entry.cpp", read_file(kCourse / "modules/20_capstone/src/entry.cpp"));
  setenv("TT_FIXTURE_CATCH_MAIN_OBJ", TT_CATCH_MAIN_OBJ, 1);
  Limits l;
  l.wall_seconds = 300;
  const auto p = run_process({TT_GRADE_EXE, "batch", subs.string(), "--out", out.string(), "--jobs", "1", "--course",
                              kCourse.string(), "--work", TT_E2E_WORK_DIR, "--module", "20", "--no-perf"},
                             l);
  INFO(p.output);
  CHECK(p.exit_code == 0);
  CHECK(fs::exists(out / "gradebook.csv"));
  CHECK(fs::exists(out / "scores.html"));
  CHECK(json::parse(read_file(out / "scores.json"))["rows"].size() == 3);
  CHECK(fs::exists(out / "leaderboard/index.html"));
  const auto board = json::parse(read_file(out / "leaderboard.json"));
  CHECK(board["entries"].size() == 2);  // the stub's entry was never measured
  const auto& fastest = board["categories"][0];
  REQUIRE(fastest["id"] == "fastest_classifier");
  CHECK(fastest["standings"][0]["name"] == "fast");
  CHECK(fastest["standings"][0]["rank"] == 1);
  CHECK(fastest["standings"][1]["name"] == "slow");
  CHECK_THAT(p.output, Catch::Contains("2 of 3 submission(s) measured and ranked"));
}
