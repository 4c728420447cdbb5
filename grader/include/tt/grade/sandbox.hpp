// The sandbox a test case runs in: bubblewrap (no network, read-only system and course tree,
// private /tmp, nothing else of the host visible), or a clearly labelled weaker mode without it.
// Not the resource limits themselves: process.hpp applies those to whatever command this produces.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "tt/grade/process.hpp"

namespace tt::grade {

struct Sandbox {
  bool bubblewrap = false;
  std::string description;                      // goes into the report's context
  std::vector<std::filesystem::path> readonly;  // host paths visible read-only at the same place
  std::size_t tmp_bytes = 256u << 20;           // size of the private /tmp

  // The command line that runs argv inside the sandbox; `writable` is the one host directory
  // the test may write (where its result file goes), bound at the same path.
  std::vector<std::string> wrap(const std::vector<std::string>& argv, const std::filesystem::path& writable) const;
  // Environment for the weaker mode (bubblewrap sets its own).
  std::vector<std::string> plain_env() const;
  // Runs argv inside the sandbox under `limits`; in the weaker mode, in `writable` with plain_env().
  ProcessResult run(const std::vector<std::string>& argv, const std::filesystem::path& writable,
                    const Limits& limits) const;
};

// Probes bubblewrap once (it can be installed yet unusable, e.g. without user namespaces).
bool bubblewrap_usable();

// A sandbox for running course test executables: the system (/usr …), the course's modules/ and
// common/ trees and the data set read-only; never solutions/ or the grader's work directory.
Sandbox make_sandbox(const std::filesystem::path& course_root, bool allow_bubblewrap);

}  // namespace tt::grade
