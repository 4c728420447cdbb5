// The class leaderboard of batch mode: every measured capstone.json ranked by module 20's reference
// m20_leaderboard → OUT/leaderboard.json and the offline page OUT/leaderboard/index.html.
// Not the measurement (capstone.hpp) and not the total-score table (batch.hpp writes scores.html).
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "tt/grade/grade.hpp"

namespace tt::grade {

struct CapstoneBoard {
  std::string status = "skipped";  // "written", "skipped" (see note) or "failed"
  std::string note;                // what was written, or why it was skipped (not an error)
  std::size_t files = 0;           // capstone.json files collected
  std::size_t accepted = 0;        // entries on the leaderboard
};

// Collects OUT/<name>/capstone.json for each name and runs the course's reference leaderboard
// program over them (built in a grading slot, run in the sandbox). Skipped with a note when
// capstone measurement is off, module 20 was not graded or is not in the course, the course has
// no reference for it (student build), or no submission was measured.
// Never throws: a failure becomes the note.
CapstoneBoard write_capstone_leaderboard(const GradeOptions& g, const std::filesystem::path& out,
                                         const std::vector<std::string>& names);

}  // namespace tt::grade
