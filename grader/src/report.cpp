// Native JSON report and Gradescope results.json from a GradeRecord.
// Not the Markdown table (summary.cpp).
#include "tt/grade/report.hpp"

#include <cmath>
#include <ctime>
#include <fstream>

#include <sys/utsname.h>
#include <unistd.h>

#include "tt/grade/file_io.hpp"
#include "tt/grade/measure.hpp"
#include "tt/grade/score.hpp"

namespace tt::grade {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr std::size_t kOutputInReport = std::size_t{8} * 1024;

double round2(double x) { return std::round(x * 100) / 100; }

std::string capped(const std::string& s, std::size_t n = kOutputInReport) {
  // Keep valid UTF-8 for the JSON writer: cut at a character boundary, replace invalid bytes later.
  if (s.size() <= n) return s;
  std::size_t cut = n;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut) + "\n[… trimmed]";
}

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  return "unknown";
}

json failure_json(const Failure& f) {
  return {{"kind", f.kind}, {"file", f.file}, {"line", f.line}, {"expression", f.original}, {"expanded", f.expanded}};
}

json test_json(const TestRecord& t) {
  json j{{"name", t.test.name},
         {"task", t.test.task},
         {"tags", t.test.tags},
         {"hidden", t.test.hidden},
         {"status", to_string(t.outcome.status)},
         {"reason", t.outcome.reason},
         {"not_implemented", t.outcome.not_implemented},
         {"score", t.score},
         {"max_score", t.test.points},
         {"duration_seconds", round2(t.outcome.seconds)},
         {"output", capped(t.outcome.output)}};
  j["assertion"] = t.outcome.first_failure ? failure_json(*t.outcome.first_failure) : json(nullptr);
  return j;
}

json side_json(const PerfSide& s) {
  return {{"path", s.path},
          {"seconds", s.seconds},
          {"time_seconds", s.time},
          {"spread", s.spread},
          {"outside_seconds", s.outside_seconds}};
}

json perf_json(const PerfResult& p) {
  return {{"tasks", p.check.tasks},
          {"case", p.check.name},
          {"what", p.check.what},
          {"program", p.check.program},
          {"args", p.check.args},
          {"clock", to_string(p.check.clock)},
          {"status", to_string(p.status)},
          {"reason", p.reason},
          {"score", round2(p.score)},
          {"max_score", p.check.points},
          {"ratio", p.ratio},
          {"full_points_ratio", p.check.curve.full},
          {"zero_points_ratio", p.check.curve.zero},
          {"submission", side_json(p.submission)},
          {"reference", side_json(p.reference)}};
}

// The student's rendered portfolio (a site left by an earlier grade must not outlive it).
void write_portfolio_site(const GradeRecord& g, const fs::path& dir) {
  std::error_code ec;
  fs::remove_all(dir, ec);
  if (g.portfolio_site.empty()) return;
  fs::create_directories(dir);
  for (const auto& f : g.portfolio_site) write_file_atomically(dir / f.name, f.bytes);
}

}  // namespace

std::string now_iso8601() {
  const std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

json grading_context(const std::string& isa) {
  utsname u{};
  uname(&u);
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  return {{"host", host},
          {"os", std::string(u.sysname) + " " + u.release},
          {"cpu", cpu_model()},
          {"cores", static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN))},
          {"compiler", std::string("g++ ") + __VERSION__},
          {"isa", isa.empty() ? TT_GRADE_ISA : isa},  // TT_ISA of the builds (a Gradescope package: a portable level)
          {"grader", "tt-grade 0.1"}};
}

json native_report(const GradeRecord& g) {
  json j;
  j["schema"] = kReportSchema;
  j["submission"] = {{"path", g.options.submission.string()},
                     {"label", g.options.label},
                     {"kind", g.intake.kind},
                     {"files_seen", g.intake.files_seen},
                     {"problems", g.intake.problems}};
  json ignored = json::array();
  for (const auto& i : g.intake.ignored) ignored.push_back({{"path", i.path}, {"reason", i.reason}});
  j["submission"]["ignored"] = ignored;
  json ctx = grading_context(grading_isa(g.options));
  ctx["date"] = g.started_at;
  ctx["course_root"] = g.options.course_root.string();
  ctx["sandbox"] = g.sandbox;
  ctx["unsandboxed"] = g.unsandboxed;
  ctx["integrated"] = g.options.integrated;
  ctx["hidden_tests_included"] = g.options.include_hidden;
  const Limits l = test_limits(g.options.test_timeout);
  ctx["limits"] = {{"test_timeout_seconds", l.wall_seconds},
                   {"cpu_seconds", l.cpu_seconds},
                   {"address_space_bytes", l.address_space},
                   {"file_size_bytes", l.file_size},
                   {"processes", l.processes},
                   {"output_kill_bytes", l.output_kill},
                   {"perf_runs", g.options.perf_runs}};
  j["context"] = ctx;
  j["status"] = to_string(g.status);
  j["error"] = g.error.empty() ? json(nullptr) : json(g.error);
  j["score"] = round2(g.score);
  j["max_score"] = round2(g.max_score);
  j["duration_seconds"] = round2(g.seconds);
  json mods = json::array();
  for (const auto& m : g.modules) {
    json mj{
        {"id", m.manifest.id},
        {"name", m.manifest.name},
        {"title", m.manifest.title},
        {"score", round2(m.score)},
        {"max_score", round2(m.max_score)},
        {"build",
         {{"status", to_string(m.build_status)}, {"seconds", round2(m.build_seconds)}, {"errors", m.build_errors}}}};
    json files = json::array();
    for (const auto& f : m.files) files.push_back({{"file", f.file}, {"source", f.source}});
    mj["files"] = files;
    json tasks = json::array();
    for (const auto& t : summarize_tasks(m))
      tasks.push_back({{"id", t.id},
                       {"title", t.title},
                       {"part", t.part},
                       {"state", t.state},
                       {"tests", t.tests},
                       {"passed", t.passed},
                       {"score", round2(t.score)},
                       {"max_score", round2(t.max_score)}});
    mj["tasks"] = tasks;
    json tests = json::array();
    for (const auto& t : m.tests) tests.push_back(test_json(t));
    mj["tests"] = tests;
    json perf = json::array();
    for (const auto& p : m.perf) perf.push_back(perf_json(p));
    mj["perf"] = perf;
    mj["measure"] = m.measure ? measure_json(*m.measure) : json(nullptr);
    json links = json::object();
    for (const auto& [id, what] : m.links) links[id] = what;
    mj["links"] = links;
    mods.push_back(mj);
  }
  j["modules"] = mods;
  j["portfolio"] = g.portfolio.is_null() ? json{{"status", "not read: the grade stopped before intake"}} : g.portfolio;
  return j;
}

json gradescope_leaderboard(const GradeRecord& g) {
  json board = json::array();
  // Each measured module's columns (module.json "measure.leaderboard"); a gated column only when
  // the entry passed the gate (below it, a leaderboard lists an entry without ranking it).
  for (const auto& m : g.modules) {
    if (!m.measure || m.measure->status != MeasureStatus::measured) continue;
    for (const auto& col : m.measure->spec.leaderboard) {
      if (col.gated && !m.measure->gate_passed) continue;
      const json* v = result_at(m.measure->result, col.from);
      if (v && v->is_number())
        board.push_back(
            {{"name", col.name}, {"value", std::round(v->get<double>() * 1e4) / 1e4}, {"order", col.order}});
    }
  }
  board.push_back({{"name", "total score"}, {"value", round2(g.score)}, {"order", "desc"}});
  return board;
}

namespace {

// A measured step's points in results.json: one entry per scored field (the score counts them, so
// the entries must too), or each field at 0 with the reason when the step was not measured.
std::vector<json> gradescope_measure_tests(const std::string& module, const MeasureRecord& r) {
  std::vector<json> tests;
  for (const auto& f : r.spec.fields) {
    const FieldScore* s = nullptr;
    for (const auto& c : r.scores)
      if (c.field.name == f.name) s = &c;
    std::string out = r.reason;
    if (r.status == MeasureStatus::measured && s)
      out = f.what + ": " + format_points(std::round(s->value * 1000) / 1000) + " (full points at " +
            format_points(f.full) + ", none at " + format_points(f.zero) + ")" +
            (s->note.empty() ? "" : "; " + s->note);
    const double score = s ? round2(s->score) : 0;
    tests.push_back({{"name", "m" + module + " · measured: " + f.name},
                     {"number", r.spec.tasks.empty() ? "" : r.spec.tasks.front()},
                     {"score", score},
                     {"max_score", f.points},
                     {"status", score >= f.points ? "passed" : "failed"},
                     {"output", out},
                     {"visibility", "visible"}});
  }
  return tests;
}

}  // namespace

json gradescope_results(const GradeRecord& g) {
  json tests = json::array();
  for (const auto& m : g.modules) {
    if (m.build_status == BuildStatus::failed || m.build_status == BuildStatus::stopped)
      tests.push_back({{"name", "m" + m.manifest.id + " build"},
                       {"score", 0},
                       {"max_score", 0},
                       {"status", "failed"},
                       {"output", capped(m.build_errors)},
                       {"visibility", "visible"}});
    for (const auto& t : m.tests) {
      std::string out = t.outcome.reason;
      if (!t.outcome.output.empty()) out += "\n\nOutput:\n" + capped(t.outcome.output, 2048);
      tests.push_back({{"name", "m" + m.manifest.id + " · " + t.test.name},
                       {"number", t.test.task},
                       {"score", t.score},
                       {"max_score", t.test.points},
                       {"status", t.outcome.status == Status::passed ? "passed" : "failed"},
                       {"output", out},
                       {"visibility", t.test.hidden ? "after_published" : "visible"}});
    }
    if (m.measure)
      for (auto& t : gradescope_measure_tests(m.manifest.id, *m.measure)) tests.push_back(std::move(t));
    for (const auto& p : m.perf) {
      tests.push_back({{"name", "m" + m.manifest.id + " · performance: " + p.check.name},
                       {"number", p.check.tasks.empty() ? "" : p.check.tasks.front()},
                       {"score", round2(p.score)},
                       {"max_score", p.check.points},
                       {"status", p.score >= p.check.points ? "passed" : "failed"},
                       {"output", p.reason},
                       {"visibility", "visible"}});
    }
  }
  for (auto& t : gradescope_portfolio_tests(g.portfolio, g.portfolio_posts)) tests.push_back(std::move(t));
  std::string output =
      g.status == GradeStatus::graded
          ? "Graded " + std::to_string(g.modules.size()) + " module(s), built at TT_ISA=" + grading_isa(g.options) + "."
          : "The grader could not finish: " + g.error;
  // An instructor allowed grading without bubblewrap (--allow-unsandboxed): every report says so.
  if (g.unsandboxed) output = "Graded WITHOUT a sandbox (" + g.sandbox + ").\n" + output;
  return {{"score", round2(g.score)},
          {"execution_time", static_cast<int>(std::ceil(g.seconds))},
          {"output", capped(output)},
          {"visibility", "visible"},
          {"stdout_visibility", "hidden"},
          {"tests", tests},
          {"leaderboard", gradescope_leaderboard(g)}};
}

std::vector<fs::path> write_reports(const GradeRecord& g, const fs::path& out_dir,
                                    const std::vector<std::string>& formats) {
  std::vector<fs::path> written;
  auto dump = [](const json& j) { return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n"; };
  for (const auto& f : formats) {
    fs::path p;
    // A measured module's result file for the class leaderboard (capstone.json); a file left by
    // an earlier grade must not reach the leaderboard.
    if (f == "json")
      for (const auto& m : g.modules) {
        if (!m.manifest.measure) continue;
        const fs::path file = out_dir / (m.manifest.measure->name + ".json");
        const json* part = m.measure && m.measure->status == MeasureStatus::measured
                               ? result_at(m.measure->result, m.manifest.measure->result)
                               : nullptr;
        std::error_code ec;
        if (part) {
          write_file_atomically(file, dump(*part));
          written.push_back(file);
        } else {
          fs::remove(file, ec);
        }
      }
    if (f == "json") {
      write_portfolio_site(g, out_dir / kPortfolioSiteDir);
      write_file_atomically(p = out_dir / "report.json", dump(native_report(g)));
    } else if (f == "gradescope")
      write_file_atomically(p = out_dir / "results.json", dump(gradescope_results(g)));
    else if (f == "md")
      write_file_atomically(p = out_dir / "summary.md", markdown_summary(g));

    else
      continue;
    written.push_back(p);
  }
  return written;
}

}  // namespace tt::grade
