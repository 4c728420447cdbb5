// The class showcase: an index page of the students who opted in (portfolio/consent: public),
// with their pseudonym, capstone numbers and a link to their site. Everyone else stays out.
// Not a leaderboard: it ranks nobody.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace tt::portfolio {

struct ShowcaseEntry {
  std::string submission;  // the batch's name for it (never shown when a pseudonym exists)
  nlohmann::json section;  // the report's portfolio section
  std::string site_link;   // relative link to the rendered site, or "" when none was rendered
};

// Writes out_dir/index.html; returns how many students are listed.
std::size_t write_showcase(const std::filesystem::path& out_dir, const std::vector<ShowcaseEntry>& entries);

struct ShowcaseStudent {
  std::string submission;
  nlohmann::json section;      // the report's portfolio section
  std::filesystem::path tree;  // the student tree (empty: no site can be rendered, e.g. an archive)
};

// The whole showcase: each opted-in student's site rendered under out_dir/site-N/ (numbered, so no
// URL shows a submission's name; course_modules: the course's modules/), then the index.
std::size_t build_showcase(const std::filesystem::path& out_dir, const std::filesystem::path& course_modules,
                           const std::vector<ShowcaseStudent>& students);

// Whether a report's portfolio section opted in.
bool is_public(const nlohmann::json& section);

}  // namespace tt::portfolio
