// Configures a slot's build directory once and builds single targets in it, keeping the
// compiler's first errors readable for the report.
// Not the choice of targets: grade.cpp decides what each module needs.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace tt::grade {

struct BuildResult {
  bool ok = false;
  double seconds = 0;
  std::string errors;  // trimmed compiler/linker messages (empty when ok)
};

struct BuildConfig {
  std::filesystem::path course_root;
  std::filesystem::path build_dir;
  std::filesystem::path submission_root;  // TT_SUBMISSION_ROOT
  bool integrated = false;
  int jobs = 2;
  double timeout_seconds = 900;
};

// Runs cmake on the course when the slot has never been configured (or its cache is for another
// course/mode); a no-op afterwards.
BuildResult configure_slot(const BuildConfig& cfg);

// Builds the targets (`cmake --build … --target …`); keep_going builds everything that does not
// depend on a failed step (ninja -k 0) instead of stopping at the first error.
BuildResult build_targets(const BuildConfig& cfg, const std::vector<std::string>& targets, bool keep_going = false);

// The first compiler errors of a build log, with the slot's paths shortened to course paths.
std::string trim_build_log(const std::string& log, const BuildConfig& cfg, std::size_t max_lines = 40);

}  // namespace tt::grade
