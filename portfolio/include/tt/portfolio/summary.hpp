// A portfolio as JSON for a grade report (the `portfolio` section of tt-grade's report.json):
// write-ups and word counts, citations by status, flags, rubric items for manual grading, consent.
// Not a score: nothing here changes a module's points.
#pragma once

#include <filesystem>

#include <nlohmann/json.hpp>

#include "tt/portfolio/writeup.hpp"

namespace tt::portfolio {

inline constexpr const char* kPortfolioSectionSchema = "tt-portfolio-section/1";

// rubric_file: portfolio/rubric.json of the course (missing → "rubric": [] and a problem).
nlohmann::json portfolio_section(const Portfolio& p, const std::filesystem::path& rubric_file);

// Finds the portfolio/ folder of a submission (at its root or one folder down, as archives often
// nest it); empty when there is none.
std::filesystem::path find_portfolio_dir(const std::filesystem::path& submission_root);

}  // namespace tt::portfolio
