// The class leaderboard of batch mode: for a module with a measured step and a "board" program
// (module 20: m20_leaderboard), every submission's result file (OUT/<name>/capstone.json) ranked by
// that reference program → OUT/leaderboard.json and the offline page OUT/leaderboard/index.html.
// Not the measurement (measure.hpp) and not the total-score table (batch.hpp writes scores.html).
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "tt/grade/grade.hpp"

namespace tt::grade {

enum class BoardStatus { written, skipped, failed };
std::string to_string(BoardStatus s);

struct ClassBoard {
  BoardStatus status = BoardStatus::skipped;
  std::string note;          // what was written, or why not
  std::size_t files = 0;     // result files collected
  std::size_t accepted = 0;  // entries on the leaderboard
};

// Never throws: a failure becomes the note. Skipped when the measured steps are off, no graded
// module has a board, the course has no reference for it (student build), or nothing was measured;
// a skipped or failed board removes the previous batch's.
ClassBoard write_class_leaderboard(const GradeOptions& g, const std::filesystem::path& out,
                                   const std::vector<std::string>& names);

}  // namespace tt::grade
