// The steps of a module's grade after its build: tests, performance checks, and the helpers they
// share (progress lines, target lookup). Not the pipeline's order (grade.cpp) or the formats.
#include "steps.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <optional>
#include <thread>

#include <unistd.h>

#include "tt/grade/score.hpp"
#include "tt/grade/symbols.hpp"

namespace tt::grade::detail {
namespace fs = std::filesystem;

void progress(const GradeOptions& o, const std::string& line) {
  static const auto start = std::chrono::steady_clock::now();
  if (!o.progress) return;
  const double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  char stamp[32];
  std::snprintf(stamp, sizeof stamp, "[%5.1f s] ", t);
  std::cerr << "tt-grade: " << stamp << line << std::endl;
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

std::vector<std::string> targets_needed(const GradeOptions& o, const fs::path& build_dir, const Manifest& m,
                                        Kind kind) {
  const auto t = module_targets(build_dir, m.name, kind);
  if (!t) return {};
  std::vector<std::string> out{t->tests.target};
  auto program = [&](const std::string& name) {
    if (t->programs.count(name)) out.push_back(t->programs.at(name).target);
  };
  if (o.perf)
    for (const auto& p : m.perf) program(p.program);
  if (o.capstone && m.measure) {
    for (const auto& s : m.measure->servers)
      if (s.kind == to_string(kind)) program(s.program);
    if (kind == Kind::solution)
      for (const auto& p : {m.measure->harness, m.measure->setup, m.measure->board}) program(p);
  }
  return out;
}

// The CPU both programs of a CPU-clock performance check are pinned to: one per slot, so two
// batch workers do not time on the same core.
int perf_cpu(const Slot& slot) {
  const long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? static_cast<int>(slot.index() % n) : -1;
}

// True when every listed task's tests all passed.
bool tasks_passed(const ModuleRecord& rec, const std::vector<std::string>& tasks, std::string& failed) {
  for (const auto& t : tasks)
    if (!task_passed(rec, t)) {
      failed = t;
      return false;
    }
  return true;
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
                     const fs::path& work, int cpu) {
  std::optional<std::map<std::string, ObjectSymbols>> symbols;  // nm of the submission's library, once
  for (const auto& check : rec.manifest.perf) {
    PerfResult r;
    r.check = check;
    std::string failed_task;
    try {
      if (!o.perf) {
        r.reason = "not run: performance checks disabled (--no-perf)";
      } else if (!tasks_passed(rec, check.tasks, failed_task)) {
        r.reason = "not run: the tests of task " + failed_task + " did not all pass";
      } else {
        const ModuleTargets sub = targets_of(cfg.build_dir, rec.manifest, Kind::submission);
        const ModuleTargets ref = targets_of(cfg.build_dir, rec.manifest, Kind::solution);
        std::vector<std::string> uses;
        if (!check.forbidden.files.empty()) {
          if (!symbols) symbols = library_symbols(sub.library.file, sandbox, work / "nm");
          uses = forbidden_uses(*symbols, check.forbidden);
        }
        if (!uses.empty()) {
          r.status = PerfStatus::withheld;
          r.reason = "withheld: this task's code may not call the library it is meant to beat, and it does (";
          for (std::size_t i = 0; i < uses.size(); ++i) r.reason += (i ? "; " : "") + uses[i];
          r.reason += ")";
        } else {
          const TargetFile& sub_prog = sub.program(check.program);
          const TargetFile& ref_prog = ref.program(check.program);
          const auto b = build_targets(cfg, {sub_prog.target, ref_prog.target});
          if (!b.ok) {
            r.status = PerfStatus::failed;
            r.reason = "the program " + check.program + " did not build:\n" + b.errors;
          } else {
            PerfRun how;
            how.work_dir = work / ("perf-" + check.name);
            how.submission_exe = stage_program(sub_prog.file, how.work_dir / "bin-submission");
            how.reference_exe = stage_program(ref_prog.file, how.work_dir / "bin-reference");
            how.runs = check.runs > 0 ? check.runs : o.perf_runs;
            how.run_seconds = std::max(5.0, 3 * o.test_timeout);
            how.setup_seconds = std::max(20.0, 12 * o.test_timeout);
            how.cpu = check.clock == PerfClock::cpu ? cpu : -1;
            progress(o, "m" + rec.manifest.id + ": timing " + check.name + " against the reference (" +
                            std::to_string(how.runs) + " interleaved runs each)");
            r = run_perf(check, how, sandbox);
          }
        }
      }
    } catch (const std::exception& e) {
      r.status = PerfStatus::failed;
      r.reason = e.what();
    }
    rec.perf.push_back(r);
  }
}

}  // namespace tt::grade::detail
