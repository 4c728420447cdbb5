// The `portfolio` section of a grade report and the class showcase of a batch, from tt-portfolio's
// library. Not grading: nothing here changes a score; the rubric items are for a person.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace tt::grade {

// One write-up as the grader rendered it from the submission's Markdown (libcmark in safe mode:
// nothing the student wrote reaches the page as markup), for results.json. Never a file the
// student rendered (portfolio/site/ is not read).
struct PortfolioPost {
  std::string file;   // "portfolio/16.md"
  std::string title;  // its first heading, or "Module 16", "Case study", "Innovation"
  std::string html;   // the body, citations filled in with their verified / stale badges
};

// One file of the site tt-portfolio renders from the submission (index.html, a page per write-up,
// measurements.html, copied charts), by its name in the site folder.
struct SiteFile {
  std::string name;
  std::string bytes;
};

struct PortfolioRead {
  nlohmann::json section;            // the report's `portfolio` section (as grade_portfolio_section)
  std::vector<PortfolioPost> posts;  // the write-ups that exist, in the section's order
  std::vector<SiteFile> site;        // the rendered site (empty unless the section's status is "read")
};

// The folder beside report.json that holds the rendered site (the section's `site` names its index).
inline constexpr const char* kPortfolioSiteDir = "portfolio-site";

// The section, the rendered posts and the rendered site in one reading. Never throws: a site that
// cannot be rendered leaves `site` empty and says why in the section's `site_error`.
PortfolioRead read_portfolio(const std::filesystem::path& submission_root, const std::filesystem::path& course_root);

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
