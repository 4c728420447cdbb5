// module.json parsing with nlohmann_json, and module discovery under modules/.
// Not a schema validator beyond what the grader relies on.
#include "tt/grade/manifest.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace tt::grade {
namespace fs = std::filesystem;
using nlohmann::json;

const Task* Manifest::find_task(const std::string& task_id) const {
  for (const auto& t : tasks)
    if (t.id == task_id) return &t;
  return nullptr;
}

int Manifest::perf_points() const {
  int total = 0;
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

}  // namespace

Manifest load_manifest(const fs::path& module_json) {
  std::ifstream in(module_json);
  if (!in) throw std::runtime_error("cannot read " + module_json.string());
  Manifest m;
  m.dir = module_json.parent_path();
  try {
    const json j = json::parse(in);
    m.id = j.at("id").get<std::string>();
    m.name = j.at("name").get<std::string>();
    m.title = j.value("title", "");
    m.depends_on = strings(j, "depends_on");
    m.student_files = strings(j, "student_files");
    m.tests = strings(j, "tests");
    m.hidden_tests = strings(j, "hidden_tests");
    for (const auto& t : j.at("tasks")) {
      m.tasks.push_back(
          {t.at("id").get<std::string>(), t.value("title", ""), t.at("points").get<int>(), t.value("part", 0)});
    }
    m.points = j.at("points").get<int>();
    if (j.contains("perf") && j["perf"].is_array()) {
      for (const auto& p : j["perf"]) {
        PerfCheck c;
        c.task = p.at("task").get<std::string>();
        c.name = p.value("case", p.value("name", ""));
        c.program = p.at("program").get<std::string>();
        c.args = strings(p, "args");
        c.points = p.at("points").get<int>();
        m.perf.push_back(std::move(c));
      }
    }
  } catch (const json::exception& e) {
    throw std::runtime_error(module_json.string() + ": not a valid tt-module/1 manifest: " + e.what());
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
  for (const auto& p : m.perf)
    if (!m.find_task(p.task))
      problems.push_back("module.json: perf check \"" + p.name + "\" names unknown task " + p.task);
  return problems;
}

}  // namespace tt::grade
