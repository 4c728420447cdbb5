// The grading pipeline for one submission; every failure is caught and recorded, so a report
// can always be written. Not the CLI (cli.cpp) and not the report formats (report.cpp).
#include "tt/grade/grade.hpp"
#include "tt/grade/portfolio_section.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>
#include <optional>
#include <set>

#include "steps.hpp"
#include "tt/grade/build.hpp"
#include "tt/grade/build_jail.hpp"
#include "tt/grade/report.hpp"
#include "tt/grade/score.hpp"
#include "tt/grade/temp_dir.hpp"

namespace tt::grade {
namespace fs = std::filesystem;
using namespace detail;

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

std::string grading_isa(const GradeOptions& o) { return o.isa.empty() ? std::string(TT_GRADE_ISA) : o.isa; }

const std::vector<std::string>& isa_levels() {
  static const std::vector<std::string> levels{"native", "x86-64-v2", "x86-64-v3", "x86-64-v4", "armv8-a"};
  return levels;
}

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
  p.secret.push_back(o.course_root / "solutions");
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
          shell_word(exe.string()) + " build-step --policy " + shell_word(policy_file.string()),
          /*fallback=*/{},  // set per grade, once the modules that fall back are known
          grading_isa(o)};
}

namespace {

// What every module's grade shares.
struct ModuleContext {
  const GradeOptions& o;
  const std::vector<Manifest>& all;
  const Slot& slot;
  const Sandbox& sandbox;
  BuildConfig& cfg;        // the student's files, with the per-module budget
  BuildConfig& setup_cfg;  // the course's own parts
  fs::path scratch;
  const std::map<std::string, std::vector<PlacedFile>>& placed;
  const std::vector<ModuleRecord>& graded;
  bool integrated;  // every module links the student's own dependencies
};

// Every module `m` depends on, directly or not, in id order.
std::vector<std::string> dependency_closure(const Manifest& m, const std::vector<Manifest>& all) {
  std::set<std::string> seen;
  std::vector<std::string> todo = m.depends_on;
  while (!todo.empty()) {
    const std::string id = todo.back();
    todo.pop_back();
    if (!seen.insert(id).second) continue;
    for (const auto& other : all)
      if (other.id == id) todo.insert(todo.end(), other.depends_on.begin(), other.depends_on.end());
  }
  std::vector<std::string> out(seen.begin(), seen.end());
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return std::stoi(a) < std::stoi(b); });
  return out;
}

// For a module that links the student's own dependencies: which of them build (a module graded
// earlier in this grade is known; another is built now), and the slot configured so that each
// one that does not is replaced by its reference.
void link_students_dependencies(ModuleRecord& rec, ModuleContext& ctx) {
  std::string fallback;
  for (const auto& id : dependency_closure(rec.manifest, ctx.all)) {
    const Manifest* dep = nullptr;
    for (const auto& m : ctx.all)
      if (m.id == id) dep = &m;
    if (!dep) continue;
    // A module the submission has no file of is not the student's: its stubs would fail here.
    const auto placed = ctx.placed.find(dep->name);
    const bool submitted =
        placed != ctx.placed.end() && std::any_of(placed->second.begin(), placed->second.end(),
                                                  [](const PlacedFile& f) { return f.source == kSubmitted; });
    std::string why;
    if (!submitted) {
      why = "the reference (not in the submission)";
    } else {
      std::optional<bool> ok;
      for (const auto& r : ctx.graded)
        if (r.manifest.id == id && r.build_status != BuildStatus::not_built) ok = r.build_status == BuildStatus::ok;
      if (!ok) ok = build_targets(ctx.cfg, {targets_of(ctx.cfg.build_dir, *dep, Kind::submission).library.target}).ok;
      if (!*ok) why = "the reference (yours did not build)";
    }
    rec.links.emplace_back(id, why.empty() ? "yours" : why);
    if (!why.empty()) fallback += (fallback.empty() ? "" : ";") + id;
  }
  if (fallback != ctx.cfg.fallback) {
    ctx.cfg.fallback = ctx.setup_cfg.fallback = fallback;
    const auto conf = configure_slot(ctx.setup_cfg);
    if (!conf.ok) throw std::runtime_error("the course build could not be configured:\n" + conf.errors);
  }
}

void grade_module(ModuleRecord& rec, ModuleContext& ctx) {
  const auto& m = rec.manifest;
  const GradeOptions& o = ctx.o;
  rec.files = ctx.placed.count(m.name) ? ctx.placed.at(m.name) : std::vector<PlacedFile>{};
  // The catalog comes from the course's own binary (reference, else stubs): known even when the
  // submission does not compile.
  const TargetFile course_tests = targets_of(ctx.slot.build_dir(), m, course_kind(o, m)).tests;
  progress(o, "m" + m.id + ": building the course's own " + course_tests.target + " (only slow the first time)");
  const auto cb = build_targets(ctx.setup_cfg, {course_tests.target});
  if (!cb.ok) throw std::runtime_error("the course's own " + course_tests.target + " does not build:\n" + cb.errors);
  for (auto& e : catalog_tests(course_tests.file))
    if ((o.include_hidden || !e.hidden) &&
        (o.tasks.empty() || std::find(o.tasks.begin(), o.tasks.end(), e.task) != o.tasks.end()))
      rec.tests.push_back({e, {}, 0});

  std::string blocked;
  if (ctx.integrated)
    for (const auto& d : m.depends_on)
      for (const auto& r : ctx.graded)
        if (r.manifest.id == d && r.build_status != BuildStatus::ok && r.build_status != BuildStatus::not_built)
          blocked = d;
  if (!blocked.empty()) {
    rec.build_status = BuildStatus::not_built;
    rec.build_errors = "module " + blocked + " (a dependency) did not build";
    mark_all_missing(rec, "not built: module " + blocked + " did not build");
  } else {
    if (!ctx.integrated && m.submission_links == "integrated" && has_solution(o.course_root, m))
      link_students_dependencies(rec, ctx);
    progress(o, "m" + m.id + ": building the submission");
    const TargetFile tests = targets_of(ctx.slot.build_dir(), m, Kind::submission).tests;
    const auto b = build_targets(ctx.cfg, {tests.target});
    rec.build_seconds = b.seconds;
    if (!b.ok) {
      const bool stopped = b.timed_out || b.errors.find(kBuildStepStopped) != std::string::npos;
      rec.build_status = stopped ? BuildStatus::stopped : BuildStatus::failed;
      rec.build_errors = b.errors;
      mark_all_missing(rec, stopped ? "not built: the build was stopped by a limit (see the module's build log)"
                                    : "not built: compile error (see the module's build log)");
    } else {
      rec.build_status = BuildStatus::ok;
      progress(o, "m" + m.id + ": running " + std::to_string(rec.tests.size()) + " test cases");
      const fs::path work = ctx.scratch / ("m" + m.id);
      run_tests(rec, tests.file, ctx.sandbox, o, work);
      run_perf_checks(rec, ctx.cfg, ctx.sandbox, o, work, perf_cpu(ctx.slot));
    }
  }
  if (m.measure) {
    rec.measure = run_measure(rec, ctx.cfg, ctx.setup_cfg, ctx.sandbox, o, ctx.slot.modules_dir() / m.name,
                              ctx.scratch / ("m" + m.id) / m.measure->name, perf_cpu(ctx.slot));
    progress(o, "m" + m.id + ": " + m.measure->name + " " + to_string(rec.measure->status) + ": " +
                    rec.measure->reason.substr(0, rec.measure->reason.find('\n')));
  }
  score_module(rec);
  progress(o, "m" + m.id + ": " + format_points(rec.score) + " / " + format_points(rec.max_score) + " points");
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
    PortfolioRead portfolio =
        read_portfolio(g.intake.kind == "archive" ? scratch.path() / "unpacked" : o.submission, o.course_root);
    g.portfolio = std::move(portfolio.section);
    g.portfolio_posts = std::move(portfolio.posts);
    g.portfolio_site = std::move(portfolio.site);

    // Without reference solutions a submission can only link its own earlier modules.
    bool integrated = o.integrated;
    for (const auto& m : all) integrated |= !has_solution(o.course_root, m);
    g.options.integrated = integrated;

    Slot slot(o.work_root, integrated, o.slot);
    const auto placed = place_files(slot, all, g.intake);
    // The student's files get the per-module budget; the course's own parts (built once per slot) get hours.
    BuildConfig cfg = prepare_slot_build(o, all, slot, sandbox, integrated);
    BuildConfig setup_cfg = cfg;
    setup_cfg.timeout_seconds = 4 * 3600;
    progress(o, "configuring the grading build in " + slot.dir().string());
    const auto conf = configure_slot(setup_cfg);
    if (!conf.ok) throw std::runtime_error("the course build could not be configured:\n" + conf.errors);

    // One build of everything the graded modules need first (tests, performance and measured
    // programs), so both cores stay busy across module and program boundaries (measured: 80 s of
    // module-by-module builds for a complete submission, and 35 s more of one-by-one program
    // links). Its result is not used: each step's own build below is then nearly a no-op when it
    // compiles, and reports the errors of the one that does not.
    {
      std::vector<std::string> course_targets, submission_targets;
      for (const auto& rec : g.modules) {
        const auto add = [&](std::vector<std::string>& to, const std::vector<std::string>& from) {
          to.insert(to.end(), from.begin(), from.end());
        };
        add(course_targets, targets_needed(o, slot.build_dir(), rec.manifest, course_kind(o, rec.manifest)));
        add(submission_targets, targets_needed(o, slot.build_dir(), rec.manifest, Kind::submission));
      }
      progress(o, "building every module of the submission at once (" + std::to_string(g.modules.size()) +
                      " modules; errors are reported per module below)");
      build_targets(setup_cfg, course_targets, /*keep_going=*/true);  // the course's own: once per slot
      BuildConfig all_cfg = cfg;
      all_cfg.timeout_seconds = o.build_timeout * static_cast<double>(g.modules.size());
      build_targets(all_cfg, submission_targets, /*keep_going=*/true);
    }
    // A measured step's shared data (module 20: the baseline models, a minute of training) is the
    // course's too: made once per work folder whatever the submission, not inside the first grade
    // that reaches the capstone. A failure here is reported by that module's measured step.
    if (o.capstone)
      for (const auto& rec : g.modules) {
        const Manifest& m = rec.manifest;
        if (!m.measure || m.measure->setup.empty() || !has_solution(o.course_root, m)) continue;
        const fs::path dir = measure_setup_dir(o.work_root, m);
        if (measure_setup_complete(dir)) continue;
        progress(o, "m" + m.id + ": making the shared data of " + m.measure->name + " (once per work folder)");
        try {
          ensure_measure_setup(setup_cfg, m, dir);
        } catch (const std::exception&) {  // the measured step tries again and reports why
        }
      }

    ModuleContext ctx{o, all, slot, sandbox, cfg, setup_cfg, scratch.path(), placed, g.modules, integrated};
    for (auto& rec : g.modules) grade_module(rec, ctx);
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
    if (!rec.tests.empty() || !rec.perf.empty() || rec.measure)
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
