// Native JSON report and Gradescope results.json from a GradeRecord.
// Not the Markdown table (summary.cpp).
#include "tt/grade/report.hpp"

#include <cmath>
#include <fstream>

#include <sys/utsname.h>
#include <unistd.h>

#include "tt/grade/capstone.hpp"
#include "tt/grade/file_io.hpp"
#include "tt/grade/score.hpp"

namespace tt::grade {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr std::size_t kOutputInReport = 8 * 1024;

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

json perf_json(const PerfResult& p) {
  return {{"task", p.check.task},
          {"case", p.check.name},
          {"program", p.check.program},
          {"args", p.check.args},
          {"status", p.status},
          {"reason", p.reason},
          {"score", round2(p.score)},
          {"max_score", p.check.points},
          {"ratio", p.ratio},
          {"full_points_ratio", kPerfFullRatio},
          {"zero_points_ratio", kPerfZeroRatio},
          {"submission_seconds", p.submission_seconds},
          {"reference_seconds", p.reference_seconds},
          {"submission_median_seconds", p.submission_median},
          {"reference_median_seconds", p.reference_median}};
}

}  // namespace

json grading_context() {
  utsname u{};
  uname(&u);
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  return {{"host", host},
          {"os", std::string(u.sysname) + " " + u.release},
          {"cpu", cpu_model()},
          {"cores", static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN))},
          {"compiler", std::string("g++ ") + __VERSION__},
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
  json ctx = grading_context();
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
    mods.push_back(mj);
  }
  j["modules"] = mods;
  j["capstone"] = capstone_json(g.capstone);
  return j;
}

json gradescope_leaderboard(const GradeRecord& g) {
  json board = json::array();
  const CapstoneRecord& c = g.capstone;
  // Module 20's ranked categories, only for an entry that passes its accuracy gate (below it,
  // module 20 lists an entry without ranking it); accuracy is shown either way.
  if (c.status == "measured") {
    const json& r = c.results;
    auto entry = [&](const char* name, const char* key, const char* order) {
      board.push_back({{"name", name}, {"value", r.contains(key) ? r[key] : json(0)}, {"order", order}});
    };
    if (c.gate_passed) entry("p50 latency (ms)", "latency_p50_ms", "asc");
    entry("accuracy", "accuracy", "desc");
    if (c.gate_passed) {
      entry("model bytes", "model_bytes", "asc");
      board.push_back({{"name", "generation tokens/s"},
                       {"value", std::round(r.value("generation_tokens_per_s", 0.0))},
                       {"order", "desc"}});
      entry("generation peak bytes", "generation_peak_bytes", "asc");
      board.push_back({{"name", "accuracy/size score"},
                       {"value", std::round(c.accuracy_size_score * 1000) / 1000},
                       {"order", "desc"}});
    }
  }
  board.push_back({{"name", "total score"}, {"value", round2(g.score)}, {"order", "desc"}});
  return board;
}

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
    for (const auto& p : m.perf) {
      tests.push_back({{"name", "m" + m.manifest.id + " · performance: " + p.check.name},
                       {"number", p.check.task},
                       {"score", round2(p.score)},
                       {"max_score", p.check.points},
                       {"status", p.score >= p.check.points ? "passed" : "failed"},
                       {"output", p.reason},
                       {"visibility", "visible"}});
    }
  }
  std::string output = g.status == GradeStatus::graded ? "Graded " + std::to_string(g.modules.size()) + " module(s)."
                                                       : "The grader could not finish: " + g.error;
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
    if (f == "json" && g.capstone.status == "measured") {
      write_file_atomically(out_dir / kCapstoneFile, g.capstone.file_text);
      written.push_back(out_dir / kCapstoneFile);
    } else if (f == "json") {
      std::error_code ec;  // a file from an earlier grade must not reach the leaderboard
      fs::remove(out_dir / kCapstoneFile, ec);
    }
    if (f == "json")
      write_file_atomically(p = out_dir / "report.json", dump(native_report(g)));
    else if (f == "gradescope")
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
