// Batch grading: every subfolder or archive of a folder, N in parallel, each in its own
// `tt-grade run` process with a time budget; resumable; gradebook.csv, the total-score table and
// module 20's leaderboard (capstone_board.hpp).
// Not a scheduler across machines: package.hpp makes the Gradescope package for that.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "tt/grade/grade.hpp"
#include "tt/grade/similarity.hpp"

namespace tt::grade {

struct BatchOptions {
  GradeOptions grade;         // shared options (course, work root, limits, …)
  std::filesystem::path dir;  // submissions
  std::filesystem::path out;  // OUT/<name>/report.json, gradebook.csv, scores.{json,html}, leaderboard*
  int jobs = 1;
  bool force = false;
  double budget_seconds = 900;
  std::vector<std::string> formats{"json", "gradescope", "md"};
  // --similarity: once every submission is graded, similarity.json / similarity.html in out
  // (similarity.hpp); it never changes a grade, and its failure is only a message.
  std::optional<SimilaritySettings> similarity;
};

struct BatchEntry {
  std::string name;  // the report folder name
  std::filesystem::path path;
};

// Subfolders and archives of dir, sorted by name (hidden entries skipped).
std::vector<BatchEntry> list_submissions(const std::filesystem::path& dir);

// Grades what is not graded yet, each submission by a child `tt-grade run` (grade.grader_exe)
// that gets its options as JSON and runs contained: when the batch dies, its children die with it.
// Returns 0 when every submission has a report.
int run_batch(const BatchOptions& b);

// With --similarity, once every report is written (so that nothing here can touch a grade):
// similarity.json and similarity.html in out; a failure is a message on stderr, never a throw.
void write_batch_similarity(const BatchOptions& b);

// Once every submission has a report: the similarity report (with --similarity), the gradebook,
// the portfolio showcase and the class leaderboard, each announced on stderr after `who: `.
void write_class_outputs(const BatchOptions& b, const std::vector<BatchEntry>& entries, const std::string& who);

// gradebook.csv, and scores.json / scores.html (submissions by total score) from the reports under out;
// scores.html links similarity.html when out has one.
void write_gradebook(const std::filesystem::path& out, const std::vector<BatchEntry>& entries, const std::string& isa);

}  // namespace tt::grade
