// module.json (tt-module/2) parsing with nlohmann_json, and module discovery under modules/.
// Not a schema validator beyond what the grader relies on; docs/module-json.md is the reference.
#include "tt/grade/manifest.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace tt::grade {
namespace fs = std::filesystem;
using nlohmann::json;

double Curve::score(double ratio, double points) const {
  if (!(ratio > 0)) return 0;
  if (ratio <= full) return points;
  if (ratio >= zero) return 0;
  return points * (zero - ratio) / (zero - full);
}

std::string to_string(PerfClock c) { return c == PerfClock::cpu ? "cpu" : "wall"; }

const Task* Manifest::find_task(const std::string& task_id) const {
  for (const auto& t : tasks)
    if (t.id == task_id) return &t;
  return nullptr;
}

double MeasureField::score(double value) const {
  if (!std::isfinite(value) || full == zero) return 0;
  const double t = (value - zero) / (full - zero);  // 0 at zero, 1 at full, whichever way is better
  return points * std::clamp(t, 0.0, 1.0);
}

int Measure::points() const {
  int total = 0;
  for (const auto& f : fields) total += f.points;
  return total;
}

int Manifest::perf_points() const {
  int total = measure ? measure->points() : 0;
  for (const auto& p : perf) total += p.points;
  return total;
}

namespace {

std::vector<std::string> strings(const json& j, const char* key) {
  std::vector<std::string> out;
  if (j.contains(key) && j[key].is_array())
    for (const auto& v : j[key]) out.push_back(v.get<std::string>());
  return out;
}

// "task": "15.4" or "tasks": ["17.6", "17.7"].
std::vector<std::string> task_list(const json& j) {
  if (j.contains("tasks")) return strings(j, "tasks");
  return {j.at("task").get<std::string>()};
}

PerfCheck perf_check(const json& p) {
  PerfCheck c;
  c.tasks = task_list(p);
  c.name = p.at("case").get<std::string>();
  c.what = p.value("what", "");
  c.program = p.at("program").get<std::string>();
  c.args = strings(p, "args");
  c.points = p.at("points").get<int>();
  const std::string clock = p.value("clock", "cpu");
  if (clock != "cpu" && clock != "wall") throw std::runtime_error("perf \"clock\" must be \"cpu\" or \"wall\"");
  c.clock = clock == "cpu" ? PerfClock::cpu : PerfClock::wall;
  if (p.contains("curve")) c.curve = {p["curve"].at("full").get<double>(), p["curve"].at("zero").get<double>()};
  c.tolerance = p.value("tolerance", c.tolerance);
  c.runs = p.value("runs", 0);
  if (p.contains("forbidden")) c.forbidden = {strings(p["forbidden"], "files"), strings(p["forbidden"], "symbols")};
  return c;
}

Measure measure_step(const json& j) {
  Measure m;
  m.name = j.at("name").get<std::string>();
  m.tasks = task_list(j);
  if (j.contains("setup")) {
    m.setup = j["setup"].at("program").get<std::string>();
    m.setup_args = strings(j["setup"], "args");
  }
  m.harness = j.at("harness").at("program").get<std::string>();
  m.harness_args = strings(j.at("harness"), "args");
  for (const auto& s : j.at("servers"))
    m.servers.push_back({s.at("role").get<std::string>(), s.at("program").get<std::string>(),
                         s.at("kind").get<std::string>(), strings(s, "args"), strings(s, "hidden_data")});
  if (j.contains("data_dir")) {
    m.data_env = j["data_dir"].value("env", "");
    m.data_default = j["data_dir"].value("default", "");
  }
  m.timeout_seconds = j.value("timeout_seconds", m.timeout_seconds);
  m.result = j.value("result", "");
  if (j.contains("gate")) {
    m.gate_field = j["gate"].at("field").get<std::string>();
    m.gate_min = j["gate"].at("min").get<double>();
  }
  for (const auto& f : j.at("fields"))
    m.fields.push_back({f.at("name").get<std::string>(), f.value("what", ""), f.at("full").get<double>(),
                        f.at("zero").get<double>(), f.at("points").get<int>()});
  m.board = j.value("board", "");
  if (j.contains("leaderboard"))
    for (const auto& c : j["leaderboard"])
      m.leaderboard.push_back({c.at("name").get<std::string>(), c.at("from").get<std::string>(),
                               c.value("order", "desc"), c.value("gated", true)});
  return m;
}

}  // namespace

Manifest load_manifest(const fs::path& module_json) {
  std::ifstream in(module_json);
  if (!in) throw std::runtime_error("cannot read " + module_json.string());
  Manifest m;
  m.dir = module_json.parent_path();
  try {
    const json j = json::parse(in);
    const std::string schema = j.value("schema", "");
    if (schema != kManifestSchema)
      throw std::runtime_error("this tt-grade reads \"schema\": \"" + std::string(kManifestSchema) + "\", found \"" +
                               schema + "\" (docs/module-json.md says what changed)");
    m.id = j.at("id").get<std::string>();
    m.name = j.at("name").get<std::string>();
    m.title = j.value("title", "");
    m.depends_on = strings(j, "depends_on");
    m.submission_links = j.value("submission_links", m.submission_links);
    if (m.submission_links != "reference" && m.submission_links != "integrated")
      throw std::runtime_error("\"submission_links\" must be \"reference\" or \"integrated\"");
    m.student_files = strings(j, "student_files");
    m.tests = strings(j, "tests");
    m.hidden_tests = strings(j, "hidden_tests");
    const json& t = j.at("targets");
    m.targets = {t.at("library").get<std::string>(), t.at("tests").get<std::string>(), t.value("bench", "")};
    if (j.contains("programs"))
      for (const auto& p : j["programs"])
        m.programs.push_back(
            {p.at("name").get<std::string>(), p.at("source").get<std::string>(), p.at("target").get<std::string>()});
    m.stub_marker = j.value("stub_marker", m.stub_marker);
    for (const auto& task : j.at("tasks"))
      m.tasks.push_back({task.at("id").get<std::string>(), task.value("title", ""), task.at("points").get<int>(),
                         task.value("part", 0)});
    m.points = j.at("points").get<int>();
    if (j.contains("perf"))
      for (const auto& p : j["perf"]) m.perf.push_back(perf_check(p));
    if (j.contains("measure")) m.measure = measure_step(j["measure"]);
  } catch (const json::exception& e) {
    throw std::runtime_error(module_json.string() + ": not a valid " + kManifestSchema + " manifest: " + e.what());
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(module_json.string() + ": " + e.what());
  }
  return m;
}

std::vector<Manifest> discover_modules(const fs::path& course_root) {
  std::vector<Manifest> out;
  const fs::path modules = course_root / "modules";
  if (!fs::is_directory(modules)) return out;
  for (const auto& entry : fs::directory_iterator(modules)) {
    const fs::path mj = entry.path() / "module.json";
    if (entry.is_directory() && fs::exists(mj)) out.push_back(load_manifest(mj));
  }
  std::sort(out.begin(), out.end(), [](const Manifest& a, const Manifest& b) {
    return std::stoi(a.id) != std::stoi(b.id) ? std::stoi(a.id) < std::stoi(b.id) : a.id < b.id;
  });
  return out;
}

std::vector<std::string> manifest_problems(const Manifest& m) {
  std::vector<std::string> problems;
  int sum = 0;
  std::set<std::string> ids;
  for (const auto& t : m.tasks) {
    sum += t.points;
    if (!ids.insert(t.id).second) problems.push_back("module.json: task " + t.id + " is listed twice");
    if (t.id.rfind(m.id + ".", 0) != 0)
      problems.push_back("module.json: task id " + t.id + " does not start with the module id " + m.id + ".");
  }
  if (sum != m.points)
    problems.push_back("module.json: \"points\" is " + std::to_string(m.points) + " but the tasks add up to " +
                       std::to_string(sum));
  auto known_program = [&](const std::string& name) {
    return std::any_of(m.programs.begin(), m.programs.end(), [&](const Program& p) { return p.name == name; });
  };
  for (const auto& [what, tpl] : {std::pair{"library", m.targets.library}, std::pair{"tests", m.targets.tests}})
    if (tpl.find("{kind}") == std::string::npos)
      problems.push_back(std::string("module.json: targets.") + what + " \"" + tpl + "\" has no {kind}");
  for (const auto& p : m.programs)
    if (p.target.find("{kind}") == std::string::npos)
      problems.push_back("module.json: program " + p.name + "'s target \"" + p.target + "\" has no {kind}");
  for (const auto& p : m.perf) {
    for (const auto& t : p.tasks)
      if (!m.find_task(t)) problems.push_back("module.json: perf check \"" + p.name + "\" names unknown task " + t);
    if (!known_program(p.program))
      problems.push_back("module.json: perf check \"" + p.name + "\" names unknown program " + p.program);
    if (!(p.curve.full > 0 && p.curve.zero > p.curve.full))
      problems.push_back("module.json: perf check \"" + p.name + "\" needs 0 < curve.full < curve.zero");
    for (const auto& f : p.forbidden.files)
      if (std::find(m.student_files.begin(), m.student_files.end(), f) == m.student_files.end())
        problems.push_back("module.json: perf check \"" + p.name + "\" forbids symbols in " + f +
                           ", which is not a student file");
  }
  if (m.measure) {
    for (const auto& t : m.measure->tasks)
      if (!m.find_task(t)) problems.push_back("module.json: measure names unknown task " + t);
    std::vector<std::string> progs{m.measure->harness};
    if (!m.measure->setup.empty()) progs.push_back(m.measure->setup);
    if (!m.measure->board.empty()) progs.push_back(m.measure->board);
    for (const auto& s : m.measure->servers) {
      progs.push_back(s.program);
      if (s.kind != "submission" && s.kind != "solution")
        problems.push_back("module.json: measure server " + s.role + " has kind \"" + s.kind +
                           "\" (submission or solution)");
    }
    for (const auto& prog : progs)
      if (!known_program(prog)) problems.push_back("module.json: measure names unknown program " + prog);
    for (const auto& f : m.measure->fields)
      if (f.full == f.zero) problems.push_back("module.json: measure field " + f.name + " needs full != zero");
  }
  return problems;
}

}  // namespace tt::grade
