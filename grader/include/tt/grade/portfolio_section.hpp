// The `portfolio` section of a grade report and the class showcase of a batch, from tt-portfolio's
// library. Not grading: nothing here changes a score; the rubric items are for a person.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace tt::grade {

// The submission's write-ups, word counts, citations (verified / stale / missing) and the course's
// rubric (course_root/portfolio/rubric.json); {"status": "none"} when it has no portfolio/ folder,
// {"status": "error", "error": …} when it cannot be read. Never throws.
nlohmann::json grade_portfolio_section(const std::filesystem::path& submission_root,
                                       const std::filesystem::path& course_root);

// out/showcase/index.html: the students whose report's portfolio section says consent "public";
// each directory submission's site is rendered under out/showcase/<name>/. Returns a one-line note.
std::string write_batch_showcase(const std::filesystem::path& out, const std::filesystem::path& course_root,
                                 const std::vector<std::pair<std::string, std::filesystem::path>>& submissions);

}  // namespace tt::grade
