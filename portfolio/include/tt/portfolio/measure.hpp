// `tt-portfolio measure`: runs each module's benchmark on the student's code through
// ./scripts/bench and stores the result with the digest of the files it measured.
// Not a benchmark: the numbers come from the modules' own bench programs.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "tt/portfolio/writeup.hpp"

namespace tt::portfolio {

struct MeasureOptions {
  PortfolioPaths paths;
  std::vector<std::string> modules;  // ids; empty: every module with a benchmark
  std::string impl = "student";      // what ./scripts/bench --impl gets
  bool quick = false;
  std::filesystem::path bench_script;  // default <tree>/scripts/bench
};

// Runs the benches one by one with progress on stderr; writes portfolio/measurements/mNN.json
// for each (a failed run is written too, with its error, so a citation can say why).
// Returns the number of failed runs.
int measure(const MeasureOptions& o);

}  // namespace tt::portfolio
