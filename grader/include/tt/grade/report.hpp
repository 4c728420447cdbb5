// The three views of a grade: the native JSON report (schema "tt-grade-report/2", documented in
// docs/report-schema.md), Gradescope's results.json, and a Markdown summary table.
// Not the grading itself: these only format a GradeRecord.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tt/grade/grade.hpp"

namespace tt::grade {

inline constexpr const char* kReportSchema = "tt-grade-report/2";

nlohmann::json native_report(const GradeRecord& g);
nlohmann::json gradescope_results(const GradeRecord& g);
// results.json's entries for the writing, all worth 0 points: one per write-up that exists (the
// grader's rendering as output_format "html", each capped at 32 KiB at a block boundary, with its
// words, citations and flags), then the rubric items to grade by hand; one text entry saying why
// for a refused or unreadable portfolio/; none without one. section: GradeRecord::portfolio.
nlohmann::json gradescope_portfolio_tests(const nlohmann::json& section, const std::vector<PortfolioPost>& posts);
// Gradescope's leaderboard[]: module 20's categories from the capstone measurement ({"name",
// "value", "order": "asc"|"desc"}), then the total score (the only entry when nothing was measured).
nlohmann::json gradescope_leaderboard(const GradeRecord& g);
// Module × task table with points, then the failing tests with their reasons.
std::string markdown_summary(const GradeRecord& g);

// Writes the chosen formats ("json" → report.json, plus capstone.json, the validated capstone
// submission file, when one was measured; "gradescope" → results.json; "md" → summary.md) into
// out_dir, each atomically. Returns the paths written.
std::vector<std::filesystem::path> write_reports(const GradeRecord& g, const std::filesystem::path& out_dir,
                                                 const std::vector<std::string>& formats);

// The context block: host, cpu, compiler, the ISA level of the builds (default: the grader's own
// TT_ISA), grader version.
nlohmann::json grading_context(const std::string& isa = "");

// Now, as ISO 8601 UTC ("2026-11-24T09:40:00Z"): the date of a grade or a report.
std::string now_iso8601();

}  // namespace tt::grade
