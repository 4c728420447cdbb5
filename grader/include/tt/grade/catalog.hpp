// The catalog of a module's test cases (name, tags, task, points, hidden), read from a trusted
// test executable without running any test: Catch2's --list-test-names-only and --list-tags.
// Not a result: run.hpp produces those.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "tt/grade/tags.hpp"

namespace tt::grade {

struct CatalogEntry {
  std::string name;
  std::string file;  // source file of the TEST_CASE
  std::string tags;  // "[15.1][m15][points=2]"
  std::string task;  // "15.1" (empty when the tags name none)
  int points = 0;
  bool hidden = false;  // [hidden] tag, or the source lives in a tests/hidden/ folder
};

// Throws std::runtime_error when the executable cannot be listed.
std::vector<CatalogEntry> catalog_tests(const std::filesystem::path& binary);

// Parses Catch2 v2's --list-tags output into tags ("[15.1]" → "15.1").
std::vector<std::string> parse_list_tags(const std::string& text);

}  // namespace tt::grade
