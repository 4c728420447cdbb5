// similarity-tester (Dick Grune's `sim`, Debian package similarity-tester: sim_c++, sim_text, …)
// as the similarity report runs it: every pair of files compared in isolation, in the sandbox,
// and its list of runs parsed.
// Not the interpretation of the runs: similarity.cpp subtracts the stub and computes the shares.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "tt/grade/sandbox.hpp"

namespace tt::grade {

inline constexpr const char* kSimPackage = "similarity-tester";

// One run sim found: lines first..last (1-based, inclusive) of file_a match lines of file_b, the
// match being `tokens` tokens long (identifiers, numbers and strings count as equal, comments and
// layout are ignored).
struct SimRun {
  std::string file_a, file_b;  // as named on sim's command line
  int first_a = 0, last_a = 0;
  int first_b = 0, last_b = 0;
  int tokens = 0;
};

// The runs of sim's `-n` output ("a.cpp: line 3-9   |b.cpp: line 4-10   [57]"); other lines
// (the file list, blank lines) are skipped.
std::vector<SimRun> parse_sim_runs(const std::string& text);

// The tool could not run or did not finish; the message says why and what to do.
struct SimToolError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Empty when `tool` is installed where the sandbox looks (its PATH), else one sentence naming the
// package and how to install it.
std::string sim_tool_problem(const std::string& tool);

// What one call of the tool compares. Names are relative to `dir`, which the sandbox shows
// read-only; keep them short and without spaces, ':' or '|' (sim's output is column text).
struct SimCall {
  std::string tool = "sim_c++";
  std::filesystem::path dir;
  std::vector<std::string> new_files;  // compared with each other and with every old file
  std::vector<std::string> old_files;  // never compared with each other
  int min_run = 24;                    // tokens (sim's -r)
  double timeout_seconds = 300;
};

// Runs the call (`sim -e -s -n -r N new… / old…`: each pair in isolation, no file against itself)
// in the sandbox, with no network and nothing writable. Throws SimToolError.
std::vector<SimRun> run_sim(const Sandbox& sandbox, const SimCall& call);

}  // namespace tt::grade
