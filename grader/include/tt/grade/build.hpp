// Configures a slot's build directory once and builds single targets in it, keeping the
// compiler's first errors readable for the report; where each module's targets are.
// Not the choice of targets (grade.cpp) and not the sandbox of a compile (build_jail.hpp).
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tt/grade/sandbox.hpp"

namespace tt::grade {

struct BuildResult {
  bool ok = false;
  bool timed_out = false;
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
  Sandbox sandbox;       // builds run contained: nothing they start outlives them
  std::string launcher;  // TT_SUBMISSION_LAUNCHER (tt-grade build-step --policy FILE)
  std::string fallback;  // TT_SUBMISSION_FALLBACK: module ids whose integrated library is the reference's
  std::string isa;       // TT_ISA
};

// Runs cmake on the course when the slot has never been configured (or its cache is for another
// course, mode or launcher); a no-op afterwards. The configure reads module.json and the course's
// CMake files, never a student file (the compiler is the first to read those, in the sandbox).
BuildResult configure_slot(const BuildConfig& cfg);

// Builds the targets with ninja; keep_going builds everything that does not depend on a failed
// step (-k 0) instead of stopping at the first error.
BuildResult build_targets(const BuildConfig& cfg, const std::vector<std::string>& targets, bool keep_going = false);

// The first compiler errors of a build log, with the slot's paths shortened to course paths.
std::string trim_build_log(const std::string& log, const BuildConfig& cfg, std::size_t max_lines = 40);

// The kinds of implementation tt_add_module() builds.
enum class Kind { student, solution, submission };
std::string to_string(Kind k);

struct TargetFile {
  std::string target;          // the CMake (and ninja) target name
  std::filesystem::path file;  // what it builds
};

// One module's targets of one kind, as CMake wrote them into build/tt-targets/<name>.json.
struct ModuleTargets {
  TargetFile library, tests;
  std::map<std::string, TargetFile> programs;                // module.json's program name → target
  const TargetFile& program(const std::string& name) const;  // throws std::runtime_error naming it
};

// nullopt when the build has no such kind for the module (e.g. no solutions/).
std::optional<ModuleTargets> module_targets(const std::filesystem::path& build_dir, const std::string& module_name,
                                            Kind kind);

}  // namespace tt::grade
