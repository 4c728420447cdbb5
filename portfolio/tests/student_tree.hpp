// A small student tree for the tests: two modules, their sources, a measurement of module 16 made
// from the current sources, and write-ups. Not the real course: module.json files are minimal.
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "tt/portfolio/measurement.hpp"

namespace tt::portfolio::testing {

class StudentTree {
 public:
  StudentTree();  // a fresh temporary tree with modules 16 and 20 and m16.json measured now
  ~StudentTree();
  StudentTree(const StudentTree&) = delete;
  StudentTree& operator=(const StudentTree&) = delete;

  const std::filesystem::path& root() const { return root_; }
  void write(const std::string& rel, const std::string& text) const;
  std::string read(const std::string& rel) const;
  // Writes portfolio/measurements/mNN.json for the module's current sources with these metrics.
  void measure(const std::string& id, const nlohmann::json& metrics) const;

 private:
  std::filesystem::path root_;
};

// The metrics the default m16.json holds: kv_speedup_256 = 94.2 (ratio, target >= 10) and
// gen_speedup with before/after variants and confidence intervals.
nlohmann::json default_m16_metrics();

}  // namespace tt::portfolio::testing
