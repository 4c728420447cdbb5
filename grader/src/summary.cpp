// The Markdown/terminal summary: a module × task table, then what failed and why.
// Not machine-readable: the JSON reports are.
#include <iomanip>
#include <sstream>

#include "tt/grade/measure.hpp"
#include "tt/grade/report.hpp"
#include "tt/grade/score.hpp"

namespace tt::grade {

namespace {

std::string pts(double x) { return format_points(x); }

std::string one_line(std::string s, std::size_t max = 160) {
  for (auto& c : s)
    if (c == '\n' || c == '|') c = ' ';
  if (s.size() > max) s = s.substr(0, max) + "…";
  return s;
}

}  // namespace

std::string markdown_summary(const GradeRecord& g) {
  std::ostringstream out;
  out << "# Grade: " << (g.options.label.empty() ? g.options.submission.string() : g.options.label) << "\n\n";
  out << "**" << pts(g.score) << " / " << pts(g.max_score) << " points**";
  if (g.status != GradeStatus::graded) out << " — the grader could not finish: " << one_line(g.error, 400);
  out << "\n\n";
  out << "| Module | Task | Title | Tests passed | State | Points |\n|---|---|---|---|---|---|\n";
  for (const auto& m : g.modules) {
    if (m.build_status == BuildStatus::failed)
      out << "| " << m.manifest.id << " | — | **does not compile** (see below) | | | |\n";
    else if (m.build_status == BuildStatus::stopped)
      out << "| " << m.manifest.id << " | — | **build stopped by a limit** (see below) | | | |\n";
    else if (m.build_status == BuildStatus::not_built)
      out << "| " << m.manifest.id
          << " | — | **not graded**: " << one_line(m.build_errors.empty() ? g.error : m.build_errors, 80)
          << " | | | |\n";
    for (const auto& t : summarize_tasks(m))
      out << "| " << m.manifest.id << " | " << t.id << " | " << one_line(t.title, 50) << " | " << t.passed << "/"
          << t.tests << " | " << t.state << " | " << pts(t.score) << " / " << pts(t.max_score) << " |\n";
    out << "| **" << m.manifest.id << "** | | **" << one_line(m.manifest.title, 50) << "** | | | **" << pts(m.score)
        << " / " << pts(m.max_score) << "** |\n";
  }
  bool header = false;
  for (const auto& m : g.modules) {
    if (m.build_status == BuildStatus::failed || m.build_status == BuildStatus::stopped) {
      out << "\n## Module " << m.manifest.id
          << (m.build_status == BuildStatus::failed ? " does not compile" : ": the build was stopped") << "\n\n```\n"
          << m.build_errors << "```\n";
    }
    for (const auto& t : m.tests) {
      if (t.outcome.status == Status::passed || m.build_status != BuildStatus::ok) continue;
      if (!header) {
        out << "\n## Tests not passed\n\n";
        header = true;
      }
      out << "- m" << m.manifest.id << " [" << t.test.task << "] " << (t.test.hidden ? "(hidden) " : "") << t.test.name
          << " — **" << to_string(t.outcome.status) << "**: " << one_line(t.outcome.reason, 300) << "\n";
    }
    for (const auto& p : m.perf)
      out << "- m" << m.manifest.id << " performance `" << p.check.name << "`: " << pts(p.score) << " / "
          << p.check.points << " — " << one_line(p.reason, 300) << "\n";
  }
  for (const auto& m : g.modules) {
    if (!m.measure) continue;
    const MeasureRecord& r = *m.measure;
    out << "\n## Module " << m.manifest.id << ": " << r.spec.name << " (" << pts(r.score) << " / " << pts(r.max_score())
        << " points)\n\n"
        << one_line(r.reason, 400) << "\n";
    if (r.status == MeasureStatus::measured) {
      out << "\n| measured | value | points | note |\n|---|---|---|---|\n";
      for (const auto& f : r.scores)
        out << "| " << one_line(f.field.what.empty() ? f.field.name : f.field.what, 90) << " | " << pts(f.value)
            << " | " << pts(f.score) << " / " << f.field.points << " | " << one_line(f.note, 60) << " |\n";
    }
    for (const auto& [id, what] : m.links) out << "- module " << id << " linked: " << what << "\n";
  }
  if (!g.intake.problems.empty()) {
    out << "\n## Submission problems\n\n";
    for (const auto& p : g.intake.problems) out << "- " << one_line(p, 300) << "\n";
  }
  std::size_t modified = 0;
  for (const auto& i : g.intake.ignored) modified += i.reason.find("modified course file") != std::string::npos;
  if (modified)
    out << "\n"
        << modified << " modified course file(s) were ignored (the official copies were used); see report.json.\n";
  if (g.unsandboxed) out << "\n**Graded WITHOUT a sandbox** (the instructor allowed it).\n";
  out << "\nSandbox: " << g.sandbox << ". Built at TT_ISA=" << grading_isa(g.options) << ". Graded in "
      << pts(g.seconds) << " s.\n";
  return out.str();
}

}  // namespace tt::grade
