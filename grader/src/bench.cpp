// `tt-grade bench`: grade_full_submission_seconds and batch4_jobs2_seconds, tt-bench/1 JSON.
// Not run in CI with targets judged: `--quick` only checks that it works.
#include "tt/grade/bench.hpp"

#include <chrono>
#include <iostream>

#include <nlohmann/json.hpp>

#include "tt/grade/batch.hpp"
#include "tt/grade/catch_runner.hpp"
#include "tt/grade/file_io.hpp"
#include "tt/grade/report.hpp"
#include "tt/grade/score.hpp"
#include "tt/grade/temp_dir.hpp"

namespace tt::grade {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr double kFullGradeTarget = 90;  // seconds, issue 9

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// hostile_fixture_cases_held: the grader's own [hostile] test cases (a student trying to read the
// reference, a host file, to exhaust the compiler, to escape or outlive the grade), run now.
json hostile_cases_metric(const fs::path& tests_exe) {
  std::cerr << "grader bench: the hostile-submission cases of the grader's own tests…\n";
  TempDir tmp("tt-grader-bench-hostile");
  Limits limits;
  limits.wall_seconds = 1200;
  limits.output_kill = 0;
  const auto inv = run_catch(tests_exe.string(), {"[hostile]"}, (tmp.path() / "hostile.xml").string(), limits);
  int held = 0;
  json cases = json::array();
  for (const auto& c : inv.xml.cases) {
    held += c.success ? 1 : 0;
    cases.push_back({{"name", c.name}, {"held", c.success}, {"seconds", c.seconds}});
  }
  const int total = static_cast<int>(inv.xml.cases.size());
  std::cout << "hostile_fixture_cases_held     " << held << " / " << total << "\n";
  return {{"name", "hostile_fixture_cases_held"},
          {"value", held},
          {"unit", "cases"},
          {"target", "== " + std::to_string(total)},
          {"met", total > 0 && held == total},
          {"detail", {{"total", total}, {"cases", cases}}}};
}

}  // namespace

int run_grader_bench(const BenchOptions& b) {
  GradeOptions g = b.grade;
  g.submission = g.course_root / "solutions";
  g.label = "solutions";
  g.progress = false;
  if (b.quick) {
    g.perf = false;
    if (g.modules.empty()) {
      const auto all = discover_modules(g.course_root);
      if (!all.empty()) g.modules = {all.front().id};
    }
  }
  // The warm-up grades the stubs: it builds the course's own parts once, and leaves the slot
  // holding other sources than the timed submission, so the timed grade compiles every student
  // file, as it must for a new submission (re-grading identical sources would time no compile).
  GradeOptions stubs = g;
  stubs.submission = g.course_root / "modules";
  stubs.label = "stubs (warm-up)";
  std::cerr << "grader bench: warm-up grade of the stubs (builds the course's own parts once)…\n";
  const auto warm = grade_submission(stubs);
  if (warm.status != GradeStatus::graded) {
    std::cerr << "grader bench: the warm-up grade failed: " << warm.error << "\n";
    return 1;
  }
  std::cerr << "grader bench: timing one complete submission (solutions/, every student file compiled)…\n";
  const auto t0 = std::chrono::steady_clock::now();
  const auto full = grade_submission(g);
  const double full_seconds = seconds_since(t0);

  json metrics = json::array();
  metrics.push_back({{"name", "grade_full_submission_seconds"},
                     {"value", full_seconds},
                     {"unit", "s"},
                     {"target", "<= 90"},
                     {"met", full_seconds <= kFullGradeTarget},
                     {"detail",
                      {{"score", full.score},
                       {"max_score", full.max_score},
                       {"modules", full.modules.size()},
                       {"perf", g.perf},
                       {"quick", b.quick},
                       {"sandbox", full.sandbox},
                       {"measured", [&] {
                          nlohmann::json j = nlohmann::json::object();
                          for (const auto& m : full.modules)
                            if (m.measure) j[m.manifest.measure->name] = to_string(m.measure->status);
                          return j;
                        }()}}}});
  std::cout << "grade_full_submission_seconds  " << format_points(full_seconds) << " s  (target <= 90; score "
            << format_points(full.score) << " / " << format_points(full.max_score) << ")\n";

  if (!b.quick) {
    TempDir tmp("tt-grader-bench");
    const fs::path subs = tmp.path() / "subs";
    fs::create_directories(subs);
    for (const char* name : {"ref1", "ref2"})
      fs::copy(g.course_root / "solutions", subs / name, fs::copy_options::recursive);
    for (const char* name : {"stub1", "stub2"}) {
      fs::create_directories(subs / name);
      fs::copy(g.course_root / "modules", subs / name / "modules", fs::copy_options::recursive);
    }
    BatchOptions bo;
    bo.grade = g;
    bo.grade.test_jobs = 1;
    bo.dir = subs;
    bo.out = tmp.path() / "out";
    bo.jobs = 2;
    std::cerr << "grader bench: batch of 4 submissions with --jobs 2 (the second slot is built on first use)…\n";
    // The second slot's first build is set-up cost, not grading: warm it first.
    {
      GradeOptions w = g;
      w.slot = 1;
      w.perf = false;
      grade_submission(w);
    }
    const auto t1 = std::chrono::steady_clock::now();
    const int rc = run_batch(bo);
    const double batch_seconds = seconds_since(t1);
    metrics.push_back({{"name", "batch4_jobs2_seconds"},
                       {"value", batch_seconds},
                       {"unit", "s"},
                       {"target", "report"},
                       {"met", rc == 0},
                       {"detail", {{"submissions", 4}, {"jobs", 2}, {"all_reports_written", rc == 0}}}});
    std::cout << "batch4_jobs2_seconds           " << format_points(batch_seconds) << " s  (report)\n";
  }
  if (!b.hostile_tests.empty()) metrics.push_back(hostile_cases_metric(b.hostile_tests));
  if (!b.json_out.empty()) {
    json ctx = grading_context();
    ctx["date"] = full.started_at;
    ctx["flags"] = "Release -march=native";
    ctx["git"] = "unknown";
    json out{{"schema", "tt-bench/1"}, {"module", "grader"}, {"context", ctx}, {"metrics", metrics}};
    write_file_atomically(b.json_out, out.dump(2) + "\n");
    std::cout << "wrote " << b.json_out.string() << "\n";
  }
  return 0;
}

}  // namespace tt::grade
