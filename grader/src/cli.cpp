// CLI11 definitions of `tt-grade run`, `batch`, `package gradescope`, `classroom`, `bench` and `mutants`,
// and their dispatch (`similarity` is defined in similarity_cli.cpp).
// Not the grading steps: they live in grade.cpp, batch.cpp and package.cpp.
#include "tt/grade/cli.hpp"

#include <iostream>

#include <CLI/CLI.hpp>

#include "tt/grade/batch.hpp"
#include "tt/grade/batch_slurm.hpp"
#include "tt/grade/bench.hpp"
#include "tt/grade/classroom.hpp"
#include "tt/grade/file_io.hpp"
#include "tt/grade/mutant_check.hpp"
#include "tt/grade/package.hpp"
#include "tt/grade/report.hpp"
#include "tt/grade/submit.hpp"
#include "tt/grade/workspace.hpp"

namespace tt::grade {
namespace fs = std::filesystem;

namespace {

#ifndef TT_GRADE_DEFAULT_COURSE_ROOT
#define TT_GRADE_DEFAULT_COURSE_ROOT "."
#endif
#ifndef TT_GRADE_DEFAULT_BUILD_ROOT
#define TT_GRADE_DEFAULT_BUILD_ROOT "build/grader-work"
#endif

// The grading options every grading subcommand takes, bound to GradeOptions' own fields.
void add_common(CLI::App* c, CliOptions& o) {
  GradeOptions& g = o.grade;
  c->add_option("--module,-m", g.modules, "grade only these module ids (repeatable), e.g. --module 15");
  c->add_flag("--integrated", g.integrated, "link the student's own earlier modules instead of the reference ones");
  c->add_option("--course", o.course, "the pristine course tree (default: the tree tt-grade was built from)");
  c->add_option("--work", o.work, "where the grader keeps its build slots");
  c->add_option("--format", o.formats, "report formats: json, gradescope, md")->delimiter(',')->capture_default_str();
  c->add_option("--timeout", g.test_timeout, "wall-clock seconds per test case")->capture_default_str();
  c->add_option("--build-timeout", g.build_timeout, "wall-clock seconds for one module's build of the student's files")
      ->capture_default_str();
  c->add_option("--build-memory-mib", g.build_memory_mib, "address space of one compiler or linker process (MiB)")
      ->capture_default_str();
  c->add_option("--build-cpu", g.build_cpu_seconds, "CPU seconds of one compiler or linker process")
      ->capture_default_str();
  c->add_option("--perf-runs", g.perf_runs, "timed runs of each program for performance points")->capture_default_str();
  c->add_flag_callback(
      "--no-perf", [&g] { g.perf = false; }, "skip performance points");
  c->add_flag_callback(
      "--no-hidden", [&g] { g.include_hidden = false; }, "leave hidden tests out (a student's view)");
  c->add_flag_callback(
      "--allow-unsandboxed", [&g] { g.sandbox = SandboxPolicy::prefer; },
      "grade even where bubblewrap cannot run (rlimits and timeouts only; every report says so)");
  c->add_flag_callback(
      "--no-sandbox", [&g] { g.sandbox = SandboxPolicy::off; },
      "run student code without bubblewrap on purpose (every report says so)");
  c->add_flag_callback(
      "--no-capstone", [&g] { g.capstone = false; },
      "skip the measured steps (module 20's capstone; no capstone leaderboard)");
  c->add_option("--measure-timeout", g.measure_timeout,
                "seconds for a measured step such as module 20's capstone (0: its module.json's)")
      ->capture_default_str();
  c->add_option("--test-jobs", g.test_jobs, "test cases run in parallel within one submission")->capture_default_str();
  c->add_option("--build-jobs", g.build_jobs, "compiler jobs")->capture_default_str();
  c->add_option("--isa", g.isa,
                "build at this TT_ISA level instead of the grader's own (" TT_GRADE_ISA
                "), e.g. x86-64-v3 to grade as an AVX2 machine would; its slots are kept apart")
      ->check(CLI::IsMember(isa_levels()));
}

void finish_options(CliOptions& o) {
  GradeOptions& g = o.grade;
  g.course_root = fs::absolute(o.course.empty() ? TT_GRADE_DEFAULT_COURSE_ROOT : o.course).lexically_normal();
  g.work_root = fs::absolute(o.work.empty() ? TT_GRADE_DEFAULT_BUILD_ROOT : o.work).lexically_normal();
  // Another level's builds live beside the default's (a slot reconfigured for another level would
  // rebuild everything, twice per alternation).
  if (grading_isa(g) != TT_GRADE_ISA) g.work_root /= "isa-" + g.isa;
  g.grader_exe = fs::read_symlink("/proc/self/exe");
}

int run_one(CliOptions& o) {
  GradeOptions g = o.grade;
  if (!o.options_json.empty()) {
    g = grade_options_from_json(nlohmann::json::parse(read_file(o.options_json)));
  } else {
    g.submission = fs::absolute(g.submission).lexically_normal();
    if (g.label.empty()) g.label = g.submission.filename().string();
    if (g.label.empty() || g.label == ".") g.label = g.submission.parent_path().filename().string();
  }
  const fs::path out = o.out_dir.empty() ? fs::path("reports") : fs::path(o.out_dir);
  // One grade of a submission at a time: a second one for the same report folder waits.
  const SubmissionLock lock(out, g.progress);
  const GradeRecord rec = grade_submission(g);
  const auto written = write_reports(rec, out, o.formats);
  if (!o.quiet) {
    std::cout << markdown_summary(rec);
    for (const auto& p : written) std::cout << "wrote " << p.string() << "\n";
  }
  if (rec.status != GradeStatus::graded)
    std::cerr << "tt-grade: error: " << rec.error.substr(0, rec.error.find('\n')) << "\n";
  return rec.status == GradeStatus::graded ? 0 : 1;
}

int print_classroom_result(const CliOptions& o) {
  const auto report = nlohmann::json::parse(read_file(o.classroom_report));
  for (const auto& m : discover_modules(o.grade.course_root))
    if (m.id == o.classroom_module) {
      std::cout << (o.classroom_json ? classroom_result(report, m).dump(2) : classroom_result_base64(report, m))
                << "\n";
      return 0;
    }
  throw std::runtime_error("--module " + o.classroom_module + ": no such module in the course " +
                           o.grade.course_root.string() + " (modules/*/module.json)");
}

}  // namespace

void add_grading_subcommands(CLI::App& app, CliOptions& o) {
  auto* run = app.add_subcommand("run", "grade one submission (a directory or a .zip/.tar.gz)");
  run->add_option("submission", o.grade.submission,
                  "a student's modules/ tree, a whole checkout, solutions/, or an archive");
  run->add_option("--options-json", o.options_json, "read every grading option from this file (batch uses it)");
  run->add_option("--out,-o", o.out_dir, "directory for the reports (default: reports)");
  run->add_option("--label", o.grade.label, "name of the submission in the reports");
  run->add_option("--slot", o.grade.slot, "use this build slot (batch workers pass their index)");
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
  batch->add_flag("--similarity", o.similarity,
                  "also compare the submissions with each other, the reference and --against (similarity.html)");
  add_similarity_settings(batch, o);
  add_common(batch, o);
  add_slurm_batch_options(batch, o.slurm);  // tt-arena (issue 14): the class as a Slurm job array

  add_similarity_subcommand(app, o);

  auto* package = app.add_subcommand("package", "build a platform package");
  auto* gradescope = package->add_subcommand(
      "gradescope", "a Gradescope autograder zip for one assignment (setup.sh, run_autograder, compiled reference)");
  GradescopePackage& p = o.package;
  gradescope->add_option("--out,-o", p.out_zip, "the zip to write")->required();
  gradescope->add_option("--module,-m", p.module, "the assignment: one module id, e.g. --module 16")->required();
  gradescope->add_option("--isa", p.isa, "TT_ISA of the image's build and of the reference libraries")
      ->check(CLI::IsMember(std::vector<std::string>(std::begin(kPackageIsaLevels), std::end(kPackageIsaLevels))))
      ->capture_default_str();
  gradescope->add_flag("--allow-unsandboxed", p.allow_unsandboxed,
                       "run_autograder grades even where bubblewrap cannot run (every report says so)");
  gradescope->add_option("--course", o.course,
                         "the instructor's course tree to package (default: the tree tt-grade was built from)");
  gradescope->add_option("--work", o.work, "where the reference libraries are built (<work>/package-<isa>)");
  gradescope->add_option("--build-jobs", p.jobs, "compiler jobs for the reference build")->capture_default_str();
  package->require_subcommand(1);

  auto* classroom = app.add_subcommand(
      "classroom", "GitHub Classroom: one module of a report.json as the autograding reporter's <ID>_RESULTS (base64)");
  classroom->add_option("report", o.classroom_report, "the report.json of `tt-grade run`")
      ->required()
      ->check(CLI::ExistingFile);
  classroom->add_option("--module,-m", o.classroom_module, "the module id, e.g. 16")->required();
  classroom->add_option("--course", o.course, "the course tree whose module.json gives the points");
  classroom->add_flag("--json", o.classroom_json, "print the JSON itself, not base64");

  auto* bench = app.add_subcommand("bench", "the grader's benchmark (./scripts/bench grader): tt-bench/1 JSON");
  bench->add_option("--json", o.bench_json, "write the tt-bench/1 report here");
  bench->add_option("--hostile-tests", o.bench_hostile_tests,
                    "the grader's own test executable: its [hostile] cases give hostile_fixture_cases_held");
  bench->add_flag("--quick", o.bench_quick, "one module, no performance points, no batch (a smoke test)");
  bench->add_option("--only", o.bench_only,
                    "measure one metric alone: similarity_200_seconds or grade_full_submission_seconds");
  add_common(bench, o);

  auto* mutants = app.add_subcommand(
      "mutants",
      "the bug zoo: plant each of a module's catalogued bugs into the reference, report which tests catch it");
  mutants->add_option("module", o.mutants_module, "the module id, e.g. 16")->required();
  mutants->add_option("--only", o.mutants_only, "check only these mutant ids (repeatable)");
  mutants->add_option("--json", o.mutants_json, "write the tt-mutants-report/1 JSON here");
  mutants->add_flag("--all-tests", o.mutants_all_tests,
                    "run every test of the module on each mutant (default: the tests of the mutant's task)");
  mutants->add_option("--slot", o.grade.slot, "use this build slot (CI pins one so every module reuses it)");
  add_common(mutants, o);

  add_submit_subcommand(app, o.submit);  // tt-arena (issue 14): upload to a competition server
}

int run_grading_subcommand(CLI::App& app, CliOptions& o) {
  finish_options(o);
  if (auto* run = app.get_subcommand("run"); *run) {
    if (o.options_json.empty() && o.grade.submission.empty()) throw CLI::RequiredError("submission");
    o.grade.progress = !o.quiet;
    return run_one(o);
  }
  if (auto* batch = app.get_subcommand("batch"); *batch) {
    BatchOptions b;
    b.grade = o.grade;
    if (app.get_subcommand("batch")->count("--test-jobs") == 0) b.grade.test_jobs = o.jobs > 1 ? 1 : 2;
    b.dir = o.batch_dir;
    b.out = o.out_dir;
    b.jobs = o.jobs;
    b.force = o.force;
    b.budget_seconds = o.submission_budget;
    b.formats = o.formats;
    if (o.similarity) b.similarity = similarity_options(o, o.batch_dir).settings;
    return o.slurm.enabled ? run_batch_slurm(b, o.slurm) : run_batch(b);
  }
  if (auto* similarity = app.get_subcommand("similarity"); *similarity)
    return run_similarity(similarity_options(o, o.batch_dir));
  if (auto* bench = app.get_subcommand("bench"); *bench) {
    BenchOptions b;
    b.grade = o.grade;
    b.json_out = o.bench_json;
    b.hostile_tests = o.bench_hostile_tests;
    b.quick = o.bench_quick;
    b.only = o.bench_only;
    return run_grader_bench(b);
  }
  if (auto* mutants = app.get_subcommand("mutants"); *mutants)
    return run_mutant_check({o.grade, o.mutants_module, o.mutants_only, o.mutants_json, o.mutants_all_tests});
  if (auto* submit = app.get_subcommand("submit"); *submit) {
    if (o.submit.course_root.empty()) o.submit.course_root = o.grade.course_root;
    return run_submit(o.submit);
  }
  if (auto* package = app.get_subcommand("package"); *package) {
    o.package.course_root = o.grade.course_root;
    o.package.work_root = o.grade.work_root;
    o.package.out_zip = fs::absolute(o.package.out_zip);
    return package_gradescope(o.package);
  }
  if (auto* classroom = app.get_subcommand("classroom"); *classroom) return print_classroom_result(o);
  return 2;
}

}  // namespace tt::grade
