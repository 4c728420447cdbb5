// `tt-grade mutants NN`: the bug zoo run against the module's tests, one mutant at a time, in one
// reused build slot (only the mutated file recompiles, then the module's test executable relinks).
// Not a grade: no points, no performance checks; "perf" mutants are only checked to plant.
#include "tt/grade/mutant_check.hpp"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <sstream>

#include "steps.hpp"
#include "tt/grade/file_io.hpp"
#include "tt/grade/process.hpp"
#include "tt/grade/report.hpp"
#include "tt/grade/temp_dir.hpp"

namespace tt::grade {
namespace fs = std::filesystem;
using nlohmann::json;

std::string to_string(MutantVerdict v) {
  switch (v) {
    case MutantVerdict::caught:
      return "caught";
    case MutantVerdict::survived:
      return "SURVIVED";
    case MutantVerdict::not_planted:
      return "NOT PLANTED";
    case MutantVerdict::not_built:
      return "DOES NOT COMPILE";
    case MutantVerdict::error:
      return "ERROR";
    case MutantVerdict::perf:
      return "perf (grader bench)";
  }
  return "ERROR";
}

bool MutantReport::ok() const {
  if (!tasks_without_mutant.empty() || !baseline_failures.empty() || total == 0) return false;
  return std::all_of(results.begin(), results.end(), [](const MutantResult& r) {
    return r.verdict == MutantVerdict::caught || r.verdict == MutantVerdict::perf;
  });
}

namespace {

const Manifest& find_module(const std::vector<Manifest>& all, const std::string& id) {
  for (const auto& m : all)
    if (m.id == id || m.name == id) return m;
  std::string known;
  for (const auto& m : all) known += (known.empty() ? "" : ", ") + m.id;
  throw std::runtime_error("no module " + id + " in the course (modules: " + known + ")");
}

// Grades `submission` (a copy of the reference, maybe mutated) on the module's tests of `tasks`
// (empty: every test of the module).
ModuleRecord grade_copy(const MutantCheckOptions& o, const fs::path& submission, const std::string& label,
                        const std::vector<std::string>& tasks) {
  GradeOptions g = o.grade;
  g.submission = submission;
  g.label = label;
  g.modules = {o.module};
  g.tasks = tasks;
  g.perf = false;
  g.capstone = false;
  g.progress = false;
  const GradeRecord rec = grade_submission(g);
  if (rec.status != GradeStatus::graded || rec.modules.size() != 1) throw std::runtime_error(rec.error);
  return rec.modules.front();
}

// "name: reason" for every test that did not pass.
std::vector<std::string> failing_tests(const ModuleRecord& rec) {
  std::vector<std::string> out;
  for (const auto& t : rec.tests)
    if (t.outcome.status != Status::passed)
      out.push_back(t.test.name + ": " + (t.outcome.reason.empty() ? to_string(t.outcome.status) : t.outcome.reason));
  return out;
}

MutantResult check_one(const MutantCheckOptions& o, const Manifest& m, const Mutant& mu, const fs::path& scratch) {
  MutantResult r;
  r.mutant = mu;
  const auto t0 = std::chrono::steady_clock::now();
  const fs::path dir = scratch / mu.id;
  try {
    plant(o.grade.course_root, m, {mu}, dir);
  } catch (const MutantError& e) {
    r.verdict = MutantVerdict::not_planted;
    r.error = e.what();
    return r;
  }
  if (mu.caught_by == "perf") {
    r.verdict = MutantVerdict::perf;
    return r;
  }
  try {
    // A bug in task X must fail a test of task X: that is where a student loses the points.
    const bool own_task = !o.all_tests && !mu.task.empty();
    const ModuleRecord rec =
        grade_copy(o, dir, "mutant-" + mu.id, own_task ? std::vector{mu.task} : std::vector<std::string>{});
    if (rec.build_status != BuildStatus::ok) {
      r.verdict = MutantVerdict::not_built;
      r.error = rec.build_errors;
    } else {
      r.caught_by = failing_tests(rec);
      r.verdict = r.caught_by.empty() ? MutantVerdict::survived : MutantVerdict::caught;
    }
  } catch (const std::exception& e) {
    r.verdict = MutantVerdict::error;
    r.error = e.what();
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace

MutantReport check_mutants(const MutantCheckOptions& o) {
  const auto all = discover_modules(o.grade.course_root);
  const Manifest& m = find_module(all, o.module);
  MutantCheckOptions opt = o;
  opt.module = m.id;
  MutantReport report;
  report.module = m.id;
  const auto catalog = load_mutants(m);
  for (const auto& id : o.only)
    if (std::none_of(catalog.begin(), catalog.end(), [&](const Mutant& mu) { return mu.id == id; }))
      throw MutantError("no mutant " + id + " in modules/" + m.name + "/mutants.json");
  for (const auto& t : m.tasks)
    if (std::none_of(catalog.begin(), catalog.end(),
                     [&](const Mutant& mu) { return mu.caught_by == "tests" && mu.task == t.id; }))
      report.tasks_without_mutant.push_back(t.id);

  TempDir scratch("tt-grade-mutants");
  detail::progress(o.grade, "m" + m.id + ": the unmutated reference first (builds the slot the first time)");
  plant(o.grade.course_root, m, {}, scratch.path() / "reference");
  for (const auto& f : failing_tests(grade_copy(opt, scratch.path() / "reference", "reference", {})))
    report.baseline_failures.push_back(f);
  if (!report.baseline_failures.empty()) return report;  // a failing reference proves nothing

  for (const auto& mu : catalog) {
    if (!o.only.empty() && std::find(o.only.begin(), o.only.end(), mu.id) == o.only.end()) continue;
    detail::progress(o.grade, "m" + m.id + ": mutant " + mu.id);
    report.results.push_back(check_one(opt, m, mu, scratch.path()));
    const auto& r = report.results.back();
    if (mu.caught_by == "tests") {
      ++report.total;
      report.caught += r.verdict == MutantVerdict::caught ? 1 : 0;
    }
    detail::progress(o.grade, "m" + m.id + ": mutant " + mu.id + ": " + to_string(r.verdict));
  }
  return report;
}

json mutant_report_json(const MutantReport& r) {
  json results = json::array();
  for (const auto& x : r.results)
    results.push_back({{"id", x.mutant.id},
                       {"file", x.mutant.file},
                       {"task", x.mutant.task},
                       {"teaches", x.mutant.teaches},
                       {"kind", x.mutant.caught_by},
                       {"verdict", to_string(x.verdict)},
                       {"caught_by_tests", x.caught_by},
                       {"error", x.error},
                       {"seconds", x.seconds}});
  return {{"schema", "tt-mutants-report/1"},
          {"module", r.module},
          {"context", grading_context()},
          {"mutants_total", r.total},
          {"mutants_caught", r.caught},
          {"ok", r.ok()},
          {"tasks_without_mutant", r.tasks_without_mutant},
          {"baseline_failures", r.baseline_failures},
          {"results", results}};
}

std::string mutant_report_table(const MutantReport& r) {
  std::ostringstream out;
  std::size_t w = 6;
  for (const auto& x : r.results) w = std::max(w, x.mutant.id.size());
  const auto pad = [](const std::string& s, std::size_t n) {
    return s + std::string(n > s.size() ? n - s.size() : 1, ' ');
  };
  out << pad("mutant", w + 2) << pad("task", 7) << pad("verdict", 20) << "caught by\n";
  for (const auto& x : r.results) {
    // One line a bug: the first test that caught it, cut (the JSON has every test in full).
    std::string by = x.caught_by.empty() ? "" : x.caught_by.front().substr(0, x.caught_by.front().find('\n'));
    if (by.size() > 120) by = by.substr(0, 117) + "...";
    if (x.caught_by.size() > 1) by += "  (+" + std::to_string(x.caught_by.size() - 1) + " more)";
    if (!x.error.empty()) by = first_lines(x.error, 3);
    out << pad(x.mutant.id, w + 2) << pad(x.mutant.task, 7) << pad(to_string(x.verdict), 20) << by << "\n";
  }
  for (const auto& f : r.baseline_failures) out << "the unmutated reference fails: " << f << "\n";
  for (const auto& t : r.tasks_without_mutant) out << "task " << t << " has no \"tests\" mutant in the catalog\n";
  out << "m" << r.module << ": mutants_caught " << r.caught << " / mutants_total " << r.total
      << (r.ok() ? "  ok\n" : "  FAILED\n");
  return out.str();
}

int run_mutant_check(const MutantCheckOptions& o) {
  const MutantReport r = check_mutants(o);
  std::cout << mutant_report_table(r);
  if (!o.json_out.empty()) {
    write_file_atomically(o.json_out, mutant_report_json(r).dump(2) + "\n");
    std::cout << "wrote " << o.json_out.string() << "\n";
  }
  return r.ok() ? 0 : 1;
}

}  // namespace tt::grade
