// Tests of measure.hpp and board.hpp: field scoring and the gate, Gradescope's leaderboard[] from a
// measured step, and (end to end on the fixture course's module 20) an entry measured from outside
// its process, hostile and endless entries, the integrated build's fallback and the class board.
// Not tests of module 20's real harness: its programs are exercised by the grader bench.
#include <catch2/catch.hpp>

#include <cstdlib>

#include <nlohmann/json.hpp>

#include "e2e_fixture.hpp"
#include "tt/grade/board.hpp"
#include "tt/grade/file_io.hpp"
#include "tt/grade/process.hpp"
#include "tt/grade/report.hpp"
#include "tt/grade/temp_dir.hpp"

using namespace tt::grade;
using namespace e2e;
using nlohmann::json;

namespace {

Measure spec() { return load_manifest(kCourse / "modules/20_capstone/module.json").measure.value(); }

MeasureRecord measured(double speedup, double accuracy_ratio) {
  MeasureRecord r;
  r.spec = spec();
  r.status = MeasureStatus::measured;
  r.result = {{"fields", {{"latency_speedup", speedup}, {"accuracy_ratio", accuracy_ratio}}},
              {"submission", {{"results", {{"latency_p50_ms", 0.25}, {"accuracy", 0.9}}}}}};
  score_measure(r);
  return r;
}

GradeRecord record_with(const MeasureRecord& r, double score) {
  GradeRecord g;
  ModuleRecord m;
  m.manifest = load_manifest(kCourse / "modules/20_capstone/module.json");
  m.measure = r;
  g.modules.push_back(m);
  g.score = score;
  return g;
}

std::vector<std::pair<std::string, std::string>> names_and_orders(const json& board) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& e : board) out.emplace_back(e.at("name"), e.at("order"));
  return out;
}

const std::string kEntryHead = "#include \"entry.hpp\"\n#include \"base.hpp\"\n";
std::string entry(const std::string& classify_body, long work = 50000) {
  return kEntryHead + "namespace capstone {\nlong work_per_query() { return " + std::to_string(work) +
         "; }\nint classify(int x) {\n  volatile long s = 0;\n  for (long i = 0; i < work_per_query(); ++i) s = s + "
         "i;\n" +
         classify_body +
         "\n}\nconst char* entry_description() { return \"fixture entry\"; }\n}  // namespace capstone\n";
}
const std::string kHonest = "  return base::twice(x) / 2 % 10;";

GradeRecord grade_module20(const fs::path& dir, const std::string& entry_cpp, double timeout = 30) {
  write(dir / "modules/20_capstone/src/entry.cpp", entry_cpp);
  auto o = options_for(dir);
  o.modules = {"20"};
  o.measure_timeout = timeout;
  return grade_submission(o);
}

}  // namespace

TEST_CASE("measured fields score on their curves, and below the gate only the gate's field counts", "[measure]") {
  const auto full = measured(8, 1.01);
  CHECK(full.gate_passed);
  CHECK(full.score == 3);
  const auto half = measured(2.5, 1.0);
  CHECK(half.scores[0].score == Approx(1.0));  // (2.5 - 1) / (4 - 1) of 2 points
  const auto gated = measured(8, 0.9);
  CHECK_FALSE(gated.gate_passed);
  CHECK(gated.scores[0].score == 0);
  CHECK_THAT(gated.scores[0].note, Catch::Contains("below the gate"));
  CHECK(gated.scores[1].score == Approx((0.9 - 0.5) / (0.99 - 0.5)));
  MeasureField lower{"x", "", 1.0, 4.0, 2};  // lower is better: full at 1, none at 4
  CHECK(lower.score(0.5) == 2);
  CHECK(lower.score(2.5) == Approx(1.0));
  CHECK(lower.score(9) == 0);
  CHECK(result_at(json{{"a", {{"b", 3}}}}, "a.b")->get<int>() == 3);
  CHECK(result_at(json{{"a", 1}}, "a.b") == nullptr);
}

TEST_CASE("Gradescope's leaderboard has the measured columns with their orders, gated ones only past the gate",
          "[measure]") {
  using P = std::pair<std::string, std::string>;
  const json board = gradescope_leaderboard(record_with(measured(8, 1.01), 31.5));
  CHECK(names_and_orders(board) ==
        std::vector<P>{{"p50 latency (ms)", "asc"}, {"accuracy", "desc"}, {"total score", "desc"}});
  CHECK(board[0]["value"] == 0.25);
  CHECK(board[2]["value"] == 31.5);
  CHECK(names_and_orders(gradescope_leaderboard(record_with(measured(8, 0.5), 3))) ==
        std::vector<P>{{"accuracy", "desc"}, {"total score", "desc"}});
  GradeRecord none;
  none.score = 12;
  CHECK(names_and_orders(gradescope_leaderboard(none)) == std::vector<P>{{"total score", "desc"}});
}

TEST_CASE("entry names are made acceptable to a leaderboard from any submission label", "[measure]") {
  CHECK(entry_name("alice.smith_2") == "alice.smith_2");
  CHECK(entry_name("bob jones/é") == "bob-jones---");
  CHECK(entry_name("") == "entry");
  CHECK(entry_name(std::string(100, 'x')).size() == 64);
}

TEST_CASE("a course without solutions skips the class leaderboard with a note, not an error", "[measure]") {
  TempDir tmp("tt-grade-measure");
  const fs::path course = tmp.path() / "course";
  fs::create_directories(course / "modules/20_capstone");
  fs::copy_file(kCourse / "modules/20_capstone/module.json", course / "modules/20_capstone/module.json");
  GradeOptions g;
  g.course_root = course;
  g.work_root = tmp.path() / "work";
  g.sandbox = SandboxPolicy::prefer;
  const auto b = write_class_leaderboard(g, tmp.path() / "out", {"alice"});
  CHECK(b.status == BoardStatus::skipped);
  CHECK_THAT(b.note, Catch::Contains("without solutions"));
  CHECK_FALSE(fs::exists(tmp.path() / "out/leaderboard.json"));
}

TEST_CASE("an entry is measured from outside its process; the reports carry the result", "[e2e][measure]") {
  TempDir tmp("tt-grade-e2e");
  const auto g = grade_module20(tmp.path() / "alice", entry(kHonest));
  REQUIRE(g.status == GradeStatus::graded);
  const auto& m = module_of(g, "20");
  REQUIRE(m.measure);
  INFO(m.measure->reason << "\n" << m.measure->harness_output << m.measure->server_output);
  REQUIRE(m.measure->status == MeasureStatus::measured);
  CHECK(m.measure->name == "alice");
  CHECK(m.measure->gate_passed);
  CHECK(m.measure->result["fields"]["latency_speedup"].get<double>() > 2);  // 8x the work in the baseline
  CHECK(m.measure->result["submission"]["results"]["accuracy"] == 1.0);
  CHECK(m.score >= 2 + 1);
  CHECK(m.links == std::vector<std::pair<std::string, std::string>>{{"97", "the reference (not in the submission)"}});
  write_reports(g, tmp.path() / "out", {"json", "gradescope", "md"});
  const auto native = json::parse(read_file(tmp.path() / "out/report.json"));
  CHECK(native["modules"][0]["measure"]["status"] == "measured");
  CHECK(json::parse(read_file(tmp.path() / "out/capstone.json"))["name"] == "alice");
  const auto gs = json::parse(read_file(tmp.path() / "out/results.json"));
  CHECK(gs["leaderboard"][0]["name"] == "p50 latency (ms)");
  // Gradescope shows the tests, not the score: the measured points are entries too, adding up.
  double entries = 0;
  int measured_entries = 0;
  for (const auto& t : gs["tests"]) {
    entries += t["score"].get<double>();
    measured_entries += t["name"].get<std::string>().find("measured: ") != std::string::npos;
  }
  CHECK(measured_entries == static_cast<int>(m.measure->spec.fields.size()));
  CHECK(entries == Approx(gs["score"].get<double>()).margin(0.05));
  CHECK_THAT(read_file(tmp.path() / "out/summary.md"), Catch::Contains("## Module 20: capstone"));
}

TEST_CASE("an entry cannot write its own numbers: files, exit hooks and stdout never reach the result",
          "[e2e][measure][hostile]") {
  TempDir tmp("tt-grade-e2e");
  // Every place it can write: its own folder, /tmp, an exit hook that writes a "result" there,
  // and a fake result on stdout. And it answers wrongly a third of the time.
  const std::string forger = std::string("#include <cstdio>\n#include <cstdlib>\n#include <fstream>\n") +
                             entry(R"(  static bool hooked = false;
  if (!hooked) {
    hooked = true;
    std::atexit([] {
      for (const char* p : {"/tt/out/result.json", "result.json", "/tmp/result.json"})
        std::ofstream(p) << "{\"fields\": {\"latency_speedup\": 1000, \"accuracy_ratio\": 2}}";
    });
    std::printf("{\"fields\": {\"latency_speedup\": 1000}}\n");
  }
  return x % 3 == 0 ? 7 : base::twice(x) / 2 % 10;)");
  const auto g = grade_module20(tmp.path() / "mallory", forger);
  const auto& m = module_of(g, "20");
  REQUIRE(m.measure);
  INFO(m.measure->reason);
  REQUIRE(m.measure->status == MeasureStatus::measured);
  const double speedup = m.measure->result["fields"]["latency_speedup"].get<double>();
  CHECK(speedup < 100);
  CHECK(m.measure->result["submission"]["results"]["accuracy"].get<double>() < 0.8);  // its true accuracy
  CHECK_FALSE(m.measure->gate_passed);
}

TEST_CASE("the stubs are not measured, and an endless entry is stopped at the budget", "[e2e][measure]") {
  TempDir tmp("tt-grade-e2e");
  SECTION("stubs") {
    auto o = options_for(kCourse / "modules");
    o.modules = {"20"};
    // The shared data is the course's: made by any grade, the stubs' too (not timed in the first
    // submission that reaches the capstone).
    const fs::path setup = measure_setup_dir(o.work_root, load_manifest(kCourse / "modules/20_capstone/module.json"));
    fs::remove_all(setup);
    const auto g = grade_submission(o);
    CHECK(measure_setup_complete(setup));
    const auto& m = module_of(g, "20");
    REQUIRE(m.measure);
    CHECK(m.measure->status == MeasureStatus::skipped);
    CHECK_THAT(m.measure->reason, Catch::Contains("20.1"));
    CHECK(g.score == 0);
  }
  SECTION("endless") {
    const auto g = grade_module20(
        tmp.path() / "zeno", entry("  for (volatile int spin = 0; x > 20; spin = spin + 1) {\n  }\n" + kHonest), 3);
    const auto& m = module_of(g, "20");
    CHECK(m.score == 2);  // its tests passed; the measured points are lost
    REQUIRE(m.measure);
    CHECK(m.measure->status == MeasureStatus::failed);
    CHECK_THAT(m.measure->reason, Catch::Contains("timeout after 3 s"));
  }
}

TEST_CASE("the capstone links the student's own modules, and the reference for one that does not build",
          "[e2e][measure]") {
  TempDir tmp("tt-grade-e2e");
  write(tmp.path() / "bob/modules/97_base/src/base.cpp",
        "#include \"base.hpp\"\nnamespace base { int twice(int x) { return x +; } }\n");
  write(tmp.path() / "bob/modules/20_capstone/src/entry.cpp", entry(kHonest));
  auto o = options_for(tmp.path() / "bob");
  o.modules = {"97", "20"};
  const auto g = grade_submission(o);
  REQUIRE(g.status == GradeStatus::graded);
  CHECK(module_of(g, "97").build_status == BuildStatus::failed);
  const auto& m = module_of(g, "20");
  CHECK(m.build_status == BuildStatus::ok);
  CHECK(m.links == std::vector<std::pair<std::string, std::string>>{{"97", "the reference (yours did not build)"}});
  CHECK(m.score >= 2);
  write_reports(g, tmp.path() / "out", {"md"});
  CHECK_THAT(read_file(tmp.path() / "out/summary.md"), Catch::Contains("module 97 linked: the reference"));
}

TEST_CASE("batch ranks the measured entries with the module's reference board, keeping the score table",
          "[e2e][measure]") {
  TempDir tmp("tt-grade-e2e");
  const fs::path subs = tmp.path() / "subs", out = tmp.path() / "out";
  write(subs / "slow/modules/20_capstone/src/entry.cpp", entry(kHonest, 300000));
  write(subs / "fast/modules/20_capstone/src/entry.cpp", entry(kHonest, 20000));
  write(subs / "stub/modules/20_capstone/src/entry.cpp", read_file(kCourse / "modules/20_capstone/src/entry.cpp"));
  setenv("TT_FIXTURE_CATCH_MAIN_OBJ", TT_CATCH_MAIN_OBJ, 1);
  Limits l;
  l.wall_seconds = 300;
  const auto p = run_process({TT_GRADE_EXE, "batch", subs.string(), "--out", out.string(), "--jobs", "1", "--course",
                              kCourse.string(), "--work", TT_E2E_WORK_DIR, "--module", "20", "--no-perf"},
                             l);
  INFO(p.output);
  CHECK(p.exit_code == 0);
  CHECK(fs::exists(out / "gradebook.csv"));
  CHECK(json::parse(read_file(out / "scores.json"))["rows"].size() == 3);
  CHECK(fs::exists(out / "leaderboard/index.html"));
  const auto board = json::parse(read_file(out / "leaderboard.json"));
  CHECK(board["entries"].size() == 2);  // the stub's entry was never measured
  const auto& fastest = board["categories"][0];
  REQUIRE(fastest["id"] == "fastest_classifier");
  CHECK(fastest["standings"][0]["name"] == "fast");
  CHECK(fastest["standings"][1]["name"] == "slow");
  CHECK_THAT(p.output, Catch::Contains("2 of 3 submission(s) measured and ranked"));
}
