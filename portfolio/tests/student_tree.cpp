// The test fixture tree (see student_tree.hpp).
// Not shared with the grader's fixture course: this one only needs module.json and sources.
#include "student_tree.hpp"

#include <fstream>
#include <random>
#include <sstream>

#include "tt/portfolio/course.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace tt::portfolio::testing {

json default_m16_metrics() {
  return json::array({{{"name", "kv_speedup_256"},
                       {"value", 94.2},
                       {"unit", "ratio"},
                       {"target", ">= 10"},
                       {"met", true},
                       {"detail", {{"runs", 5}}}},
                      {{"name", "gen_speedup"},
                       {"value", 3.1},
                       {"unit", "ratio"},
                       {"target", ""},
                       {"detail",
                        {{"variants", json::array({{{"name", "baseline"}, {"speedup", 1.0}, {"ci", {0.97, 1.03}}},
                                                   {{"name", "KV cache"}, {"speedup", 3.1}, {"ci", {2.9, 3.3}}}})}}}},
                      {{"name", "latency_ms"}, {"value", 12.5}, {"unit", "ms"}, {"target", ""}}});
}

StudentTree::StudentTree() {
  std::random_device rd;
  root_ = fs::temp_directory_path() / ("tt-portfolio-test-" + std::to_string(rd()));
  fs::create_directories(root_);
  write("modules/16_memory/module.json",
        R"({"id": "16", "name": "16_memory", "student_files": ["src/kv_cache.cpp"], "depends_on": [],
            "bench": ["bench/m16_bench.cpp"]})");
  write("modules/16_memory/src/kv_cache.cpp", "// my KV cache\nint kv = 1;\n");
  write("modules/20_capstone/module.json",
        R"({"id": "20", "name": "20_capstone", "student_files": ["src/entry.cpp"], "depends_on": ["16"],
            "bench": ["bench/m20_bench.cpp"]})");
  write("modules/20_capstone/src/entry.cpp", "int entry = 2;\n");
  measure("16", default_m16_metrics());
}

StudentTree::~StudentTree() {
  std::error_code ec;
  fs::remove_all(root_, ec);
}

void StudentTree::write(const std::string& rel, const std::string& text) const {
  fs::create_directories((root_ / rel).parent_path());
  std::ofstream(root_ / rel, std::ios::binary) << text;
}

std::string StudentTree::read(const std::string& rel) const {
  std::ifstream in(root_ / rel, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void StudentTree::measure(const std::string& id, const json& metrics) const {
  const auto course = read_course(root_ / "modules");
  const auto files = measured_files(course, id, root_ / "modules");
  Measurement m;
  m.module = id;
  m.date = "2026-12-01T22:00:00Z";
  m.command = "./scripts/bench " + id + " --impl student";
  m.digest = source_digest(files);
  for (const auto& [k, v] : files) m.files.push_back(k);
  m.bench = {{"schema", "tt-bench/1"}, {"module", id}, {"metrics", metrics}};
  write_measurement(root_ / "portfolio" / "measurements" / ("m" + id + ".json"), m);
}

}  // namespace tt::portfolio::testing
