// The sandbox of a build: every compile and link of a student's files runs through
// `tt-grade build-step` (CMake's RULE_LAUNCH_COMPILE / RULE_LAUNCH_LINK on the submission's
// targets), which runs the one command under per-process limits in a jail made from the slot's
// build policy. A compile sees the system, the public course tree (never solutions/ or hidden
// tests) and the student's files, and may write only its own object folder; a link sees the
// build folder's objects and may write only the submission's output folder.
// Not the choice of targets (grade.cpp) and not the runtime sandbox (sandbox.hpp's runtime_jail).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "tt/grade/process.hpp"
#include "tt/grade/sandbox.hpp"

namespace tt::grade {

// Limits of one compiler, assembler or linker process.
struct BuildStepLimits {
  long cpu_seconds = 120;
  std::size_t memory_bytes = std::size_t{2} << 30;  // address space
  std::size_t file_bytes = std::size_t{512} << 20;  // any file it writes (objects, executables)
  std::size_t output_bytes = std::size_t{4} << 20;  // messages before it is stopped
  double wall_seconds = 300;
};

// Written by the grader into the slot before each build (build-policy.json); read by build-step.
struct BuildPolicy {
  bool bubblewrap = true;
  std::vector<std::filesystem::path> public_dirs;  // the course's public folders, read-only at their paths
  std::vector<std::filesystem::path> hidden;       // files or folders under them that stay covered
  std::vector<std::filesystem::path> secret;       // never shown, even as an include folder (solutions/)
  std::filesystem::path student_root;              // the slot's modules/ (the student's files), read-only
  std::filesystem::path build_dir;                 // the slot's build folder (read-only for links)
  std::filesystem::path output_dir;                // the submission's libraries and programs (writable for links)
  BuildStepLimits limits;
  std::size_t tmp_bytes = std::size_t{512} << 20;
};

void write_build_policy(const std::filesystem::path& file, const BuildPolicy& p);
BuildPolicy read_build_policy(const std::filesystem::path& file);  // throws std::runtime_error

enum class BuildStep { compile, link };

// The jail of one step; cwd is the build folder (ninja runs every command from there). Throws
// std::runtime_error when a compile's output (-o, -MF) lies outside the build folder.
Jail build_step_jail(const BuildPolicy& p, BuildStep step, const std::vector<std::string>& argv,
                     const std::filesystem::path& cwd);

// Every limit message of a step contains this ("error: compile stopped by a limit: …").
inline constexpr const char* kBuildStepStopped = "stopped by a limit: ";

// Why a step was stopped by one of its limits ("compile stopped by a limit: exceeded the 2 GiB
// memory limit (src/x.cpp)"); empty when it ended on its own (success or an ordinary compile error).
std::string build_limit_message(const ProcessResult& r, const BuildPolicy& p, BuildStep step,
                                const std::vector<std::string>& argv);

// `tt-grade build-step --policy FILE compile|link -- COMMAND…`: runs COMMAND in its jail, prints
// its output (capped) and a limit message, and returns its exit code (1 when stopped).
int build_step_main(const std::filesystem::path& policy_file, const std::string& step,
                    const std::vector<std::string>& argv);

}  // namespace tt::grade
