// The manual-grading questions of a Gradescope package: the course's portfolio rubric as the
// questions an instructor creates by hand, with their points and the steps in Gradescope's UI.
// Not the questions themselves: an autograder (results.json) cannot create or score them.
#include <cmath>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tt/grade/package.hpp"
#include "tt/portfolio/rubric.hpp"

namespace tt::grade {
namespace fs = std::filesystem;

namespace {

std::string points_text(double p) {
  std::ostringstream s;
  s << p;  // 10, 7.5
  return s.str();
}

// A rubric title inside a Markdown table cell.
std::string cell(std::string s) {
  for (std::size_t i = s.find('|'); i != std::string::npos; i = s.find('|', i + 2)) s.replace(i, 1, "\\|");
  return s;
}

std::string markdown(const GradescopePackage& p, const std::vector<tt::portfolio::RubricItem>& items, double total) {
  std::string md = "# Manual grading: the portfolio (package of module " + p.module + ")\n\n";
  md +=
      "The writing is graded by hand: the autograder gives it no points. Gradescope's autograder cannot "
      "create manual-grading questions (results.json only reports test results), so create the questions "
      "below once, by hand, in the one assignment where you grade the portfolio (for example the capstone's, "
      "module 20). From the course's `portfolio/rubric.json`.\n\n"
      "| Question | Points | What to look for |\n|---|---|---|\n";
  for (const auto& i : items) md += "| " + cell(i.id) + " | " + points_text(i.points) + " | " + cell(i.title) + " |\n";
  md += "| **Total** | **" + points_text(total) + "** | |\n\n";
  md += R"(## In Gradescope

1. In the assignment's settings, enable manual grading (Gradescope allows it on a programming
   assignment beside the autograder) and save.
2. In *Edit Outline*, add one question per row above, titled with its id and text
   (`P1: Technical posts …`), worth its points. The autograder's score stays its own part of the
   assignment; the assignment's total becomes the autograder's points plus )" +
        points_text(total) + R"(.
3. Students submit the folder that holds both `modules/` and `portfolio/` (or a zip of it): the
   grader finds `portfolio/` at the top of the submission or one folder down.
4. Grade under *Grade Submissions*, question by question, each with its own rubric. The
   submission's autograder results hold what to read, worth 0 points each: one
   `Portfolio · …` entry per write-up as tt-grade rendered it from the submitted Markdown (the
   word count, each cited number verified, stale or missing, the flags), and
   `Portfolio · rubric for manual grading` (these questions, the write-ups not submitted, the
   citation totals). The submitted `portfolio/*.md` files are in the code view, where line
   comments work.

## What the platform does not do

* No file attachments: an autograder cannot add files to a submission, so the rendered posts are
  in the autograder results (HTML, each capped at 32 KiB at a block boundary; a longer post says
  where it was cut), not attached as files. `./scripts/portfolio render` on the student's tree
  makes the full site.
* No questions or rubric items from the autograder: they are made by hand, as above, and the
  autograder's score never includes them.
* The rendered posts come from the grader's own reading of the Markdown (libcmark, safe mode:
  embedded HTML and scripts are dropped and flagged); a `portfolio/site/` the student rendered is
  not used.
)";
  return md;
}

}  // namespace

fs::path manual_grading_beside(const fs::path& out_zip) {
  fs::path p = out_zip;
  return p.replace_extension(".manual-grading.md");
}

std::optional<ManualGradingFiles> manual_grading(const GradescopePackage& p) {
  const fs::path file = p.course_root / "portfolio" / "rubric.json";
  if (!fs::exists(file)) return std::nullopt;
  const auto items = tt::portfolio::read_rubric(file);  // a malformed rubric stops the package, naming the file
  double total = 0;
  for (const auto& i : items) total += i.points;
  const nlohmann::json j{{"schema", "tt-gradescope-manual-grading/1"},
                         {"module", p.module},
                         {"source", "portfolio/rubric.json"},
                         {"questions", tt::portfolio::rubric_json(items)},
                         {"total_points", total}};
  return ManualGradingFiles{markdown(p, items, total), j.dump(2) + "\n"};
}

}  // namespace tt::grade
