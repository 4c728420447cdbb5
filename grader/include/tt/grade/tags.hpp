// Reads the course's meaning out of a Catch2 tag string: task id, points, hidden.
// Not a Catch2 test-spec parser: tags are only read, never matched against names.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace tt::grade {

struct TestTags {
  std::vector<std::string> all;       // every tag without brackets, in the order given
  std::vector<std::string> task_ids;  // tags shaped like a task id ("15.1")
  std::optional<int> points;          // from [points=N]; nullopt when absent or malformed
  bool points_malformed = false;      // a [points=…] tag whose value is not a whole number ≥ 0
  bool hidden = false;                // [hidden]: an instructor-only test (never shown to students)
};

// "[m15][15.1][points=2]" → tags; tolerant of spaces and of letter case.
TestTags parse_tags(const std::string& tags);

// True for "15.1", "20.12": digits, one dot, digits.
bool looks_like_task_id(const std::string& tag);

}  // namespace tt::grade
