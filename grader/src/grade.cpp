// The grading pipeline for one submission; every failure is caught and recorded, so a report
// can always be written. Not the CLI (cli.cpp) and not the report formats (report.cpp).
#include "tt/grade/grade.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <ctime>
#include <iostream>
#include <mutex>
#include <set>
#include <thread>

#include "tt/grade/build.hpp"
#include "tt/grade/build_jail.hpp"
#include "tt/grade/capstone.hpp"
#include "tt/grade/score.hpp"
#include "tt/grade/temp_dir.hpp"

namespace tt::grade {
namespace fs = std::filesystem;

namespace {

std::string now_iso8601() {
  const std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

void progress(const GradeOptions& o, const std::string& line) {
  if (o.progress) std::cerr << "tt-grade: " << line << std::endl;
}

// Test records with status "missing" and a shared reason (module not built, setup failed).
void mark_all_missing(ModuleRecord& rec, const std::string& reason) {
  for (auto& t : rec.tests) {
    t.outcome = {};
    t.outcome.status = Status::missing;
    t.outcome.reason = reason;
  }
  for (const auto& p : rec.manifest.perf) {
    PerfResult r;
    r.check = p;
    r.reason = "not run: " + reason;
    rec.perf.push_back(r);
  }
}

void run_tests(ModuleRecord& rec, const fs::path& built, const Sandbox& sandbox, const GradeOptions& o,
               const fs::path& results_dir) {
  const fs::path exe = stage_program(built, results_dir / "bin");
  std::atomic<std::size_t> next{0};
  const Limits limits = test_limits(o.test_timeout);
  auto worker = [&](int w) {
    for (std::size_t i; (i = next++) < rec.tests.size();) {
      rec.tests[i].outcome = run_test_case(exe, rec.tests[i].test.name, sandbox, limits,
                                           results_dir / std::to_string(w) / std::to_string(i));
    }
  };
  const int jobs = std::max(1, std::min<int>(o.test_jobs, static_cast<int>(rec.tests.size())));
  std::vector<std::thread> threads;
  for (int w = 1; w < jobs; ++w) threads.emplace_back(worker, w);
  worker(0);
  for (auto& t : threads) t.join();
}

void run_perf_checks(ModuleRecord& rec, const BuildConfig& cfg, const Sandbox& sandbox, const GradeOptions& o,
                     const fs::path& work) {
  for (const auto& check : rec.manifest.perf) {
    PerfResult r;
    r.check = check;
    if (!o.perf) {
      r.reason = "not run: performance checks disabled (--no-perf)";
    } else if (!task_passed(rec, check.task)) {
      r.reason = "not run: the tests of task " + check.task + " did not all pass";
    } else {
      const auto sub = module_targets(cfg.build_dir, rec.manifest.name, Kind::submission);
      const auto ref = module_targets(cfg.build_dir, rec.manifest.name, Kind::solution);
      if (!sub || !ref)
        throw std::runtime_error("the grading build has no submission or reference kind of module " + rec.manifest.id);
      const TargetFile& sub_prog = sub->program(check.program);
      const TargetFile& ref_prog = ref->program(check.program);
      const auto b = build_targets(cfg, {sub_prog.target, ref_prog.target});
      if (!b.ok) {
        r.status = "failed";
        r.reason = "the program " + check.program + " did not build:\n" + b.errors;
      } else {
        progress(o,
                 "m" + rec.manifest.id + ": timing " + check.name + " (" + std::to_string(o.perf_runs) + " runs each)");
        const fs::path perf_dir = work / ("perf-" + check.name);
        r = run_perf(check, stage_program(sub_prog.file, perf_dir / "bin-submission"),
                     stage_program(ref_prog.file, perf_dir / "bin-reference"), sandbox, o.perf_runs,
                     std::max(60.0, o.test_timeout * 6), perf_dir);
      }
    }
    rec.perf.push_back(r);
  }
}

}  // namespace

std::string to_string(BuildStatus s) {
  switch (s) {
    case BuildStatus::ok:
      return "ok";
    case BuildStatus::failed:
      return "failed";
    case BuildStatus::stopped:
      return "stopped";
    case BuildStatus::not_built:
      return "not built";
  }
  return "not built";
}

std::string to_string(GradeStatus s) { return s == GradeStatus::graded ? "graded" : "error"; }

namespace {

// A word safe in a sh command line (ninja runs CMake's commands through /bin/sh).
std::string shell_word(const std::string& s) {
  if (!s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=+:,") ==
                        std::string::npos)
    return s;
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// What the sandboxed compiles and links of this slot may see (build_jail.hpp).
BuildPolicy build_policy(const GradeOptions& o, const std::vector<Manifest>& all, const Slot& slot,
                         const Sandbox& sandbox) {
  BuildPolicy p;
  p.bubblewrap = sandbox.bubblewrap;
  for (const char* d : {"modules", "common"}) p.public_dirs.push_back(o.course_root / d);
  for (const auto& m : all) {
    const fs::path folder = m.dir / "tests" / "hidden";
    if (fs::is_directory(folder)) p.hidden.push_back(folder);
    for (const auto& h : m.hidden_tests)
      if (!(m.dir / h).lexically_relative(folder).empty() && *(m.dir / h).lexically_relative(folder).begin() == "..")
        p.hidden.push_back(m.dir / h);  // a hidden test outside tests/hidden/ is covered on its own
  }
  p.student_root = slot.modules_dir();
  p.build_dir = slot.build_dir();
  p.output_dir = slot.build_dir() / "submission";
  p.limits.memory_bytes = o.build_memory_mib << 20;
  p.limits.cpu_seconds = o.build_cpu_seconds;
  p.limits.wall_seconds = o.build_timeout;
  return p;
}

}  // namespace

BuildConfig prepare_slot_build(const GradeOptions& o, const std::vector<Manifest>& all, const Slot& slot,
                               const Sandbox& sandbox, bool integrated) {
  const fs::path policy_file = slot.dir() / "build-policy.json";
  write_build_policy(policy_file, build_policy(o, all, slot, sandbox));
  const fs::path exe = o.grader_exe.empty() ? fs::read_symlink("/proc/self/exe") : o.grader_exe;
  return {o.course_root,
          slot.build_dir(),
          slot.modules_dir(),
          integrated,
          o.build_jobs,
          o.build_timeout,
          sandbox,
          shell_word(exe.string()) + " build-step --policy " + shell_word(policy_file.string())};
}

namespace {

Kind course_kind(const GradeOptions& o, const Manifest& m) {
  return has_solution(o.course_root, m) ? Kind::solution : Kind::student;
}

ModuleTargets targets_of(const fs::path& build_dir, const Manifest& m, Kind kind) {
  auto t = module_targets(build_dir, m.name, kind);
  if (!t)
    throw std::runtime_error("the grading build has no " + to_string(kind) + " targets for module " + m.id +
                             " (build/tt-targets/" + m.name + ".json)");
  return *t;
}

}  // namespace

GradeRecord grade_submission(const GradeOptions& o) {
  GradeRecord g;
  g.options = o;
  g.started_at = now_iso8601();
  const auto t0 = std::chrono::steady_clock::now();
  try {
    auto all = discover_modules(o.course_root);
    if (all.empty())
      throw std::runtime_error("no modules/*/module.json under the course root " + o.course_root.string());
    std::vector<Manifest> selected;
    for (const auto& m : all)
      if (o.modules.empty() || std::find(o.modules.begin(), o.modules.end(), m.id) != o.modules.end())
        selected.push_back(m);
    if (selected.empty()) throw std::runtime_error("none of the requested modules exists in the course");
    for (const auto& m : selected) {
      ModuleRecord rec;
      rec.manifest = m;
      g.modules.push_back(rec);
    }

    // No sandbox, no grade (unless the instructor allowed it): checked before anything is built.
    const Sandbox sandbox = make_sandbox(o.sandbox);
    g.sandbox = sandbox.description;
    g.unsandboxed = !sandbox.bubblewrap;

    TempDir scratch("tt-grade");
    g.intake = intake_submission(o.submission, all, o.course_root, scratch.path());

    // Without reference solutions a submission can only link its own earlier modules.
    bool integrated = o.integrated;
    for (const auto& m : all) integrated |= !has_solution(o.course_root, m);
    g.options.integrated = integrated;

    Slot slot(o.work_root, integrated, o.slot);
    const auto placed = place_files(slot, all, g.intake);
    // The student's files get the per-module budget; the course's own parts (built once per slot) get hours.
    const BuildConfig cfg = prepare_slot_build(o, all, slot, sandbox, integrated);
    BuildConfig setup_cfg = cfg;
    setup_cfg.timeout_seconds = 4 * 3600;
    progress(o, "configuring the grading build in " + slot.dir().string());
    const auto conf = configure_slot(setup_cfg);
    if (!conf.ok) throw std::runtime_error("the course build could not be configured:\n" + conf.errors);

    // One build of every graded module first, so both cores stay busy across module boundaries
    // (measured: 80 s of module-by-module builds for a complete submission, the compiler mostly
    // parsing headers). Its result is not used: each module's own build below is then nearly a
    // no-op when it compiles, and reports the errors of the one that does not.
    if (g.modules.size() > 1) {
      std::vector<std::string> course_targets, submission_targets;
      for (const auto& rec : g.modules) {
        course_targets.push_back(targets_of(slot.build_dir(), rec.manifest, course_kind(o, rec.manifest)).tests.target);
        submission_targets.push_back(targets_of(slot.build_dir(), rec.manifest, Kind::submission).tests.target);
      }
      progress(o, "building every module of the submission at once (" + std::to_string(g.modules.size()) +
                      " modules; errors are reported per module below)");
      build_targets(setup_cfg, course_targets, /*keep_going=*/true);  // the course's own: once per slot
      BuildConfig all_cfg = cfg;
      all_cfg.timeout_seconds = o.build_timeout * static_cast<double>(g.modules.size());
      build_targets(all_cfg, submission_targets, /*keep_going=*/true);
    }

    std::set<std::string> failed_ids;
    for (auto& rec : g.modules) {
      const auto& m = rec.manifest;
      rec.files = placed.count(m.name) ? placed.at(m.name) : std::vector<PlacedFile>{};
      // The catalog comes from the course's own binary (reference, else stubs): known even when
      // the submission does not compile.
      const TargetFile course_tests = targets_of(slot.build_dir(), m, course_kind(o, m)).tests;
      progress(o, "m" + m.id + ": building the course's own " + course_tests.target + " (only slow the first time)");
      const auto cb = build_targets(setup_cfg, {course_tests.target});
      if (!cb.ok)
        throw std::runtime_error("the course's own " + course_tests.target + " does not build:\n" + cb.errors);
      for (auto& e : catalog_tests(course_tests.file))
        if (o.include_hidden || !e.hidden) rec.tests.push_back({e, {}, 0});

      std::string blocked;
      if (integrated)
        for (const auto& d : m.depends_on)
          if (failed_ids.count(d)) blocked = d;
      if (!blocked.empty()) {
        rec.build_status = BuildStatus::not_built;
        rec.build_errors = "module " + blocked + " (a dependency) did not build";
        mark_all_missing(rec, "not built: module " + blocked + " did not build");
        failed_ids.insert(m.id);
      } else {
        progress(o, "m" + m.id + ": building the submission");
        const TargetFile tests = targets_of(slot.build_dir(), m, Kind::submission).tests;
        const auto b = build_targets(cfg, {tests.target});
        rec.build_seconds = b.seconds;
        if (!b.ok) {
          const bool stopped = b.timed_out || b.errors.find(kBuildStepStopped) != std::string::npos;
          rec.build_status = stopped ? BuildStatus::stopped : BuildStatus::failed;
          rec.build_errors = b.errors;
          failed_ids.insert(m.id);
          mark_all_missing(rec, stopped ? "not built: the build was stopped by a limit (see the module's build log)"
                                        : "not built: compile error (see the module's build log)");
        } else {
          rec.build_status = BuildStatus::ok;
          progress(o, "m" + m.id + ": running " + std::to_string(rec.tests.size()) + " test cases");
          run_tests(rec, tests.file, sandbox, o, scratch.path() / ("m" + m.id));
          run_perf_checks(rec, cfg, sandbox, o, scratch.path() / ("m" + m.id));
        }
      }
      score_module(rec);
      progress(o, "m" + m.id + ": " + format_points(rec.score) + " / " + format_points(rec.max_score) + " points");
      if (m.id == kCapstoneModule) {
        if (o.capstone && task_passed(rec, kCapstoneEntryTask))
          progress(o, "m" + m.id + ": measuring the capstone entry with " + kCapstoneSubmit + " (at most " +
                          format_points(o.capstone_timeout) + " s)");
        g.capstone = measure_capstone(rec, cfg, setup_cfg, sandbox, o, slot.modules_dir() / m.name,
                                      scratch.path() / ("m" + m.id));
        progress(o, "m" + m.id + ": capstone " + g.capstone.status +
                        (g.capstone.status == "measured"
                             ? " in " + format_points(g.capstone.seconds) + " s"
                             : ": " + g.capstone.reason.substr(0, g.capstone.reason.find('\n'))));
      }
    }
    g.status = GradeStatus::graded;
  } catch (const std::exception& e) {
    g.status = GradeStatus::error;
    g.error = e.what();
    if (g.sandbox.empty()) g.sandbox = "none: the grade stopped before any student code ran";
    const std::string first = g.error.substr(0, g.error.find('\n'));
    for (auto& rec : g.modules)
      for (auto& t : rec.tests)
        if (t.outcome.status == Status::missing && t.outcome.reason.empty()) t.outcome.reason = "not run: " + first;
  }
  g.score = g.max_score = 0;
  for (auto& rec : g.modules) {
    if (!rec.tests.empty() || !rec.perf.empty())
      score_module(rec);
    else
      rec.max_score = rec.manifest.points + rec.manifest.perf_points();
    g.score += rec.score;
    g.max_score += rec.max_score;
  }
  g.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return g;
}

}  // namespace tt::grade
