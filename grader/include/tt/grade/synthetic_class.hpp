// A synthetic class made from a module's reference, for the similarity report's benchmark
// (similarity_200_seconds) and its recall test: every submission is the reference with the
// statements inside each function shuffled, some expressions written another way (redundant
// parentheses, `const` dropped), the functions reordered and identifiers renamed (independent
// work, as far as a token-run comparison can tell), and a few planted copies, each another
// submission's file (or its larger half) with only its functions reordered and identifiers renamed.
// Not code that compiles: it is never built, it only has the shape the similarity report reads.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "tt/grade/manifest.hpp"

namespace tt::grade {

// `to`'s copy of `file` was made from `from`'s: all of it, or its larger functions covering at
// least half of the lines.
struct PlantedCopy {
  std::string from, to;
  std::string file;  // a student file of the module, "src/kv_cache.cpp"
  bool whole_file = true;
};

struct SyntheticClass {
  std::vector<std::string> names;  // "s001", … (the folder names, as batch names them)
  std::vector<PlantedCopy> planted;
};

// Writes `count` submissions dir/<name>/modules/<module name>/<student file>, each file made from
// reference_dir/<student file>; plants `plants` copies between disjoint pairs of submissions
// (alternating whole files and halves, cycling over the student files). Deterministic for a seed.
// Throws std::runtime_error when a reference file is missing or there are too few submissions.
SyntheticClass make_synthetic_class(const Manifest& module, const std::filesystem::path& reference_dir,
                                    const std::filesystem::path& dir, int count, int plants, unsigned seed);

}  // namespace tt::grade
