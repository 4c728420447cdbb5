// CLI11 definitions of `tt-grade run`, `batch` and `package gradescope`, and their dispatch.
// Not the grading steps: they live in grade.cpp, batch.cpp and package.cpp.
#include "tt/grade/cli.hpp"

#include <iostream>

#include <CLI/CLI.hpp>

#include "tt/grade/batch.hpp"
#include "tt/grade/bench.hpp"
#include "tt/grade/grade.hpp"
#include "tt/grade/package.hpp"
#include "tt/grade/report.hpp"

namespace tt::grade {
namespace fs = std::filesystem;

namespace {

#ifndef TT_GRADE_DEFAULT_COURSE_ROOT
#define TT_GRADE_DEFAULT_COURSE_ROOT "."
#endif
#ifndef TT_GRADE_DEFAULT_BUILD_ROOT
#define TT_GRADE_DEFAULT_BUILD_ROOT "build/grader-work"
#endif

void add_common(CLI::App* c, CliOptions& o) {
  c->add_option("--module,-m", o.modules, "grade only these module ids (repeatable), e.g. --module 15");
  c->add_flag("--integrated", o.integrated, "link the student's own earlier modules instead of the reference ones");
  c->add_option("--course", o.course_root, "the pristine course tree (default: the tree tt-grade was built from)");
  c->add_option("--work", o.build_root, "where the grader keeps its build slots");
  c->add_option("--format", o.formats, "report formats: json, gradescope, md")->delimiter(',')->capture_default_str();
  c->add_option("--timeout", o.test_timeout, "wall-clock seconds per test case")->capture_default_str();
  c->add_option("--perf-runs", o.perf_runs, "timed runs of each program for performance points")->capture_default_str();
  c->add_flag("--no-perf", o.no_perf, "skip performance points");
  c->add_flag("--no-hidden", o.no_hidden, "leave hidden tests out (a student's view)");
  c->add_flag("--no-sandbox", o.sandbox_off, "run tests without bubblewrap (rlimits and timeout only)");
  c->add_option("--capstone-timeout", o.capstone_timeout,
                "wall-clock seconds for measuring module 20's entry with its m20_submit")
      ->capture_default_str();
  c->add_flag("--no-capstone", o.no_capstone, "do not measure module 20's entry (no capstone leaderboard)");
  c->add_option("--test-jobs", o.test_jobs,
                "test cases run in parallel within one submission (default: 2, or 1 in batch with --jobs > 1)");
  c->add_option("--build-jobs", o.build_jobs, "compiler jobs")->capture_default_str();
}

GradeOptions grade_options(const CliOptions& o) {
  GradeOptions g;
  g.course_root = fs::absolute(o.course_root.empty() ? TT_GRADE_DEFAULT_COURSE_ROOT : o.course_root).lexically_normal();
  g.work_root = fs::absolute(o.build_root.empty() ? TT_GRADE_DEFAULT_BUILD_ROOT : o.build_root).lexically_normal();
  g.modules = o.modules;
  g.integrated = o.integrated;
  g.sandbox = !o.sandbox_off;
  g.include_hidden = !o.no_hidden;
  g.perf = !o.no_perf;
  g.test_timeout = o.test_timeout;
  g.perf_runs = o.perf_runs;
  g.capstone = !o.no_capstone;
  g.capstone_timeout = o.capstone_timeout;
  g.test_jobs = o.test_jobs > 0 ? o.test_jobs : 2;
  g.build_jobs = o.build_jobs;
  g.slot = o.slot;
  g.progress = !o.quiet;
  return g;
}

int run_one(const CliOptions& o) {
  GradeOptions g = grade_options(o);
  g.submission = fs::absolute(o.submission).lexically_normal();
  g.label = o.label.empty() ? g.submission.filename().string() : o.label;
  if (g.label.empty() || g.label == ".") g.label = g.submission.parent_path().filename().string();
  const GradeRecord rec = grade_submission(g);
  const fs::path out = o.out_dir.empty() ? fs::path("reports") : fs::path(o.out_dir);
  const auto written = write_reports(rec, out, o.formats);
  if (!o.quiet) {
    std::cout << markdown_summary(rec);
    for (const auto& p : written) std::cout << "wrote " << p.string() << "\n";
  }
  return rec.status == "graded" ? 0 : 1;
}

}  // namespace

void add_grading_subcommands(CLI::App& app, CliOptions& o) {
  auto* run = app.add_subcommand("run", "grade one submission (a directory or a .zip/.tar.gz)");
  run->add_option("submission", o.submission, "a student's modules/ tree, a whole checkout, solutions/, or an archive")
      ->required();
  run->add_option("--out,-o", o.out_dir, "directory for the reports (default: reports)");
  run->add_option("--label", o.label, "name of the submission in the reports");
  run->add_option("--slot", o.slot, "use this build slot (batch workers pass their index)");
  run->add_flag("--quiet,-q", o.quiet, "no progress and no summary on the terminal");
  add_common(run, o);

  auto* batch = app.add_subcommand("batch", "grade every submission (subfolder or archive) of a folder");
  batch->add_option("dir", o.batch_dir, "one submission per subfolder or archive")
      ->required()
      ->check(CLI::ExistingDirectory);
  batch->add_option("--out,-o", o.out_dir, "reports go to OUT/<submission>/, plus gradebook.csv and the leaderboard")
      ->required();
  batch->add_option("--jobs,-j", o.jobs, "submissions graded in parallel")->capture_default_str();
  batch->add_flag("--force", o.force, "regrade submissions that already have a report");
  batch->add_option("--budget", o.submission_budget, "seconds allowed per submission")->capture_default_str();
  add_common(batch, o);

  auto* package = app.add_subcommand("package", "build a platform package");
  auto* gradescope = package->add_subcommand("gradescope", "a Gradescope autograder zip (setup.sh + run_autograder)");
  gradescope->add_option("--out,-o", o.package_out, "the zip to write")->required();
  gradescope->add_option("--course", o.course_root,
                         "the course tree to package (default: the tree tt-grade was built from)");
  package->require_subcommand(1);

  auto* bench = app.add_subcommand("bench", "the grader's benchmark (./scripts/bench grader): tt-bench/1 JSON");
  bench->add_option("--json", o.bench_json, "write the tt-bench/1 report here");
  bench->add_flag("--quick", o.bench_quick, "one module, no performance points, no batch (a smoke test)");
  add_common(bench, o);
}

int run_grading_subcommand(CLI::App& app, const CliOptions& o) {
  if (auto* run = app.get_subcommand("run"); *run) return run_one(o);
  if (auto* batch = app.get_subcommand("batch"); *batch) {
    BatchOptions b;
    b.grade = grade_options(o);
    if (o.test_jobs <= 0) b.grade.test_jobs = o.jobs > 1 ? 1 : 2;
    b.dir = o.batch_dir;
    b.out = o.out_dir;
    b.jobs = o.jobs;
    b.force = o.force;
    b.budget_seconds = o.submission_budget;
    b.formats = o.formats;
    b.self_exe = fs::read_symlink("/proc/self/exe");
    return run_batch(b);
  }
  if (auto* bench = app.get_subcommand("bench"); *bench) {
    BenchOptions b;
    b.grade = grade_options(o);
    b.self_exe = fs::read_symlink("/proc/self/exe");
    b.json_out = o.bench_json;
    b.quick = o.bench_quick;
    return run_grader_bench(b);
  }
  if (auto* package = app.get_subcommand("package"); *package) {
    const fs::path course = fs::absolute(o.course_root.empty() ? TT_GRADE_DEFAULT_COURSE_ROOT : o.course_root);
    return package_gradescope(course, o.package_out);
  }
  return 2;
}

}  // namespace tt::grade
