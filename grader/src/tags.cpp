// Catch2 tag strings → task ids, points and the hidden flag.
// Not where points are checked against module.json: see stub_check.cpp and score.cpp.
#include "tt/grade/tags.hpp"

#include <algorithm>
#include <cctype>

namespace tt::grade {

bool looks_like_task_id(const std::string& tag) {
  const auto dot = tag.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == tag.size()) return false;
  const auto digits = [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; };
  return std::all_of(tag.begin(), tag.begin() + static_cast<long>(dot), digits) &&
         std::all_of(tag.begin() + static_cast<long>(dot) + 1, tag.end(), digits);
}

TestTags parse_tags(const std::string& tags) {
  TestTags out;
  std::size_t pos = 0;
  while ((pos = tags.find('[', pos)) != std::string::npos) {
    const auto end = tags.find(']', pos);
    if (end == std::string::npos) break;
    std::string tag = tags.substr(pos + 1, end - pos - 1);
    pos = end + 1;
    std::string lower = tag;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    out.all.push_back(tag);
    if (looks_like_task_id(lower)) {
      out.task_ids.push_back(lower);
    } else if (lower.rfind("points=", 0) == 0) {
      const std::string v = lower.substr(7);
      if (!v.empty() && v.size() < 6 &&
          std::all_of(v.begin(), v.end(), [](unsigned char c) { return std::isdigit(c) != 0; })) {
        out.points = std::stoi(v);
      } else {
        out.points_malformed = true;
      }
    } else if (lower == "hidden") {
      out.hidden = true;
    }
  }
  return out;
}

}  // namespace tt::grade
