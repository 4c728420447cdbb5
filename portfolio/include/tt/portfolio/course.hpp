// The course as tt-portfolio sees it: each module's id, name, student files and dependencies,
// read from modules/*/module.json, and the digest of the student's source files a number came from.
// Not the grader's Manifest: only the four fields a portfolio needs.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace tt::portfolio {

struct CourseModule {
  std::string id;                          // "16"
  std::string name;                        // "16_memory"
  std::vector<std::string> student_files;  // relative to the module folder: "src/kv_cache.cpp"
  std::vector<std::string> depends_on;     // module ids
  bool has_bench = false;                  // module.json lists a benchmark
};

// Every modules/*/module.json under modules_dir, in id order. portfolio_error(bad_course) when one
// cannot be parsed; an empty list when the folder has none.
std::vector<CourseModule> read_course(const std::filesystem::path& modules_dir);

// The module with this id, or nullptr.
const CourseModule* find_module(const std::vector<CourseModule>& course, const std::string& id);

// The student files a module's measurement depends on: its own and those of every module it
// depends on (transitively). Key: "16_memory/src/kv_cache.cpp" (the same whether the files live
// in modules/ or solutions/); value: the file under sources_dir.
std::map<std::string, std::filesystem::path> measured_files(const std::vector<CourseModule>& course,
                                                            const std::string& id,
                                                            const std::filesystem::path& sources_dir);

// "sha256:<hex>" over each key and file content in key order; a missing file contributes
// "<missing>", so deleting a file changes the digest too.
std::string source_digest(const std::map<std::string, std::filesystem::path>& files);

}  // namespace tt::portfolio
