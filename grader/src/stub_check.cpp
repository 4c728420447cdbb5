// check-stubs: runs the stub and reference test executables and applies the module rules.
// Not the grader's scoring: score.cpp turns results into points for a submission.
#include "tt/grade/stub_check.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>

#include "tt/grade/catch_runner.hpp"
#include "tt/grade/stub_source.hpp"
#include "tt/grade/tags.hpp"
#include "tt/grade/temp_dir.hpp"

namespace tt::grade {
namespace fs = std::filesystem;

namespace {

const CaseResult* find_case(const BinaryOutcome& o, const std::string& name) {
  for (const auto& r : o.results)
    if (r.name == name) return &r;
  return nullptr;
}

std::string crash_of(const BinaryOutcome& o, const std::string& name) {
  for (const auto& c : o.crashed)
    if (c.rfind(name + ": ", 0) == 0) return c.substr(name.size() + 2);
  return {};
}

std::string describe_failure(const CaseResult& r) {
  if (r.failures.empty()) return "no failed assertion recorded";
  const auto& f = r.failures.front();
  std::string where =
      f.file.empty() ? "" : " at " + fs::path(f.file).filename().string() + ":" + std::to_string(f.line);
  if (f.kind == "assertion" && !f.original.empty()) return "assertion " + f.original + " (" + f.expanded + ")" + where;
  return f.kind + " \"" + f.expanded + "\"" + where;
}

// CMake lists treat '[' ... ']' as grouping: inside an unclosed '[' a ';' does not separate.
bool brackets_balanced(const std::string& name) {
  int depth = 0;
  for (char c : name) {
    if (c == '[') ++depth;
    if (c == ']' && --depth < 0) return false;
  }
  return depth == 0;
}

}  // namespace

StubCheckReport judge_stubs(const Manifest& m, const BinaryOutcome& student, const BinaryOutcome& solution) {
  StubCheckReport rep;
  auto& P = rep.problems;
  for (auto& p : manifest_problems(m)) P.push_back(p);

  const std::set<std::string> stu(student.listed.begin(), student.listed.end());
  const std::set<std::string> sol(solution.listed.begin(), solution.listed.end());
  for (const auto& n : student.listed)
    if (!sol.count(n)) P.push_back("test \"" + n + "\": listed by the student binary but not by the solution binary");
  for (const auto& n : solution.listed)
    if (!stu.count(n)) P.push_back("test \"" + n + "\": listed by the solution binary but not by the student binary");
  if (solution.listed.empty()) P.push_back("the solution binary lists no test cases");

  std::map<std::string, int> per_task;
  const std::string module_tag = "m" + m.id;
  for (const auto& name : solution.listed) {
    ++rep.tests;
    if (!brackets_balanced(name))
      P.push_back("test \"" + name +
                  "\": unbalanced '[' or ']' in the name; ctest's test discovery (a CMake list) then merges it "
                  "with the tests after it into one entry that runs nothing and passes. Rename it");
    // --- tags (read from whichever run reported the test) ---
    const CaseResult* s = find_case(solution, name);
    const CaseResult* t = find_case(student, name);
    const CaseResult* any = s ? s : t;
    if (any) {
      const TestTags tags = parse_tags(any->tags);
      bool has_module_tag = false;
      for (const auto& tag : tags.all) has_module_tag |= (tag == module_tag);
      if (!has_module_tag)
        P.push_back("test \"" + name + "\": missing the module tag [" + module_tag + "] (tags: " + any->tags + ")");
      if (tags.task_ids.size() != 1) {
        P.push_back("test \"" + name + "\": needs exactly one task tag like [" + m.id + ".1], found " +
                    std::to_string(tags.task_ids.size()) + " (tags: " + any->tags + ")");
      } else if (!m.find_task(tags.task_ids.front())) {
        P.push_back("test \"" + name + "\": task tag [" + tags.task_ids.front() + "] is not a task of module.json");
      }
      if (tags.points_malformed || !tags.points) {
        P.push_back("test \"" + name + "\": needs a [points=N] tag with a whole number N (tags: " + any->tags + ")");
      } else if (tags.task_ids.size() == 1) {
        per_task[tags.task_ids.front()] += *tags.points;
        rep.points += *tags.points;
      }
    }
    // --- the solution must pass ---
    if (!s) {
      const auto crash = crash_of(solution, name);
      P.push_back("test \"" + name + "\": no result from the solution binary" +
                  (crash.empty() ? "" : " (crashed: " + crash + ")"));
    } else if (!s->completed || !s->success) {
      P.push_back("test \"" + name + "\": FAILS on the solution (it must pass): " + describe_failure(*s));
    } else if (const auto crash = crash_of(solution, name); !crash.empty()) {
      P.push_back("test \"" + name + "\": the solution binary crashed (" + crash + ")");
    }
    // --- the stubs must fail, by throwing, not by crashing ---
    if (const auto crash = crash_of(student, name); !crash.empty()) {
      P.push_back("test \"" + name + "\": crashes on the stubs (" + crash +
                  "); a stub must throw with TT_UNIMPLEMENTED, never abort");
    } else if (t && !t->failures.empty() && t->failures.front().kind == "fatal") {
      P.push_back("test \"" + name + "\": crashes on the stubs (" + t->failures.front().expanded +
                  "); a stub must throw with TT_UNIMPLEMENTED, never abort");
    } else if (!t) {
      if (stu.count(name)) P.push_back("test \"" + name + "\": no result from the student binary");
    } else if (t->completed && t->success) {
      P.push_back("test \"" + name + "\": PASSES on the stubs (it must fail: call at least one unimplemented piece)");
    } else if (!t->failures.empty() && t->failures.front().expanded.find("not implemented") == std::string::npos) {
      rep.notes.push_back("test \"" + name +
                          "\": fails on the stubs without a not-implemented message: " + describe_failure(*t));
    }
  }
  for (const auto& task : m.tasks) {
    const int got = per_task.count(task.id) ? per_task[task.id] : 0;
    if (got != task.points)
      P.push_back("task " + task.id + ": its tests carry " + std::to_string(got) + " points, module.json says " +
                  std::to_string(task.points));
  }
  if (rep.points != m.points)
    P.push_back("module " + m.id + ": the tests carry " + std::to_string(rep.points) +
                " points in total, module.json says " + std::to_string(m.points));
  return rep;
}

BinaryOutcome run_all_tests(const std::string& binary, const std::string& work_dir, double timeout_seconds) {
  BinaryOutcome out;
  out.listed = list_test_names(binary);
  Limits limits;
  limits.wall_seconds = timeout_seconds;
  const auto all = run_catch(binary, {}, (fs::path(work_dir) / "all.xml").string(), limits);
  std::set<std::string> have;
  for (const auto& r : all.xml.cases)
    if (r.completed && !have.count(r.name)) {
      have.insert(r.name);
      out.results.push_back(r);
    }
  // A crash or timeout ends the run: rerun what is missing one test per process.
  int i = 0;
  for (const auto& name : out.listed) {
    if (have.count(name)) continue;
    const auto one = run_catch(binary, {catch_name_filter(name)},
                               (fs::path(work_dir) / ("one" + std::to_string(i++) + ".xml")).string(), limits);
    for (const auto& r : one.xml.cases)
      if (r.name == name) out.results.push_back(r);
    if (one.process.signal)
      out.crashed.push_back(name + ": " + signal_name(one.process.signal));
    else if (one.process.timed_out)
      out.crashed.push_back(name + ": timeout after " + std::to_string(static_cast<int>(timeout_seconds)) + " s");
    else if (one.xml.cases.empty())
      out.crashed.push_back(name + ": exited with code " + std::to_string(one.process.exit_code) + " without a result");
  }
  return out;
}

int check_stubs_main(const std::string& module_json, const std::string& student, const std::string& solution,
                     double timeout_seconds) {
  Manifest m;
  try {
    m = load_manifest(module_json);
  } catch (const std::exception& e) {
    std::cerr << "check-stubs: " << e.what() << "\n";
    return 2;
  }
  const std::string label = "check-stubs m" + m.id + ": ";
  StubCheckReport rep;
  try {
    TempDir tmp("tt-stubcheck");
    fs::create_directories(tmp.path() / "student");
    fs::create_directories(tmp.path() / "solution");
    const auto stu = run_all_tests(student, (tmp.path() / "student").string(), timeout_seconds);
    const auto sol = run_all_tests(solution, (tmp.path() / "solution").string(), timeout_seconds);
    rep = judge_stubs(m, stu, sol);
    // The reference sits at the same relative paths under solutions/ (DESIGN.md §2).
    const fs::path reference = m.dir.parent_path().parent_path() / "solutions" / m.name;
    // The source rules read the stubs beside module.json; a module.json checked against binaries
    // alone (the grader's fixture) says so instead of failing every task.
    const bool sources = std::any_of(m.student_files.begin(), m.student_files.end(),
                                     [&](const std::string& f) { return fs::exists(m.dir / f); });
    if (!sources)
      rep.notes.push_back("no student file is beside module.json: the source rules (stubs, README parts) were not run");
    else
      for (auto& p : stub_source_problems(m, fs::exists(reference) ? reference : fs::path()))
        rep.problems.push_back(std::move(p));
  } catch (const std::exception& e) {
    std::cerr << label << "error: " << e.what() << "\n";
    return 2;
  }
  for (const auto& n : rep.notes) std::cout << label << "note: " << n << "\n";
  for (const auto& p : rep.problems) std::cerr << label << "FAIL: " << p << "\n";
  std::cout << label << rep.tests << " test cases, " << rep.points << " points (module.json: " << m.points << ") — "
            << (rep.problems.empty() ? "ok" : std::to_string(rep.problems.size()) + " problem(s)") << "\n";
  return rep.problems.empty() ? 0 : 1;
}

}  // namespace tt::grade
