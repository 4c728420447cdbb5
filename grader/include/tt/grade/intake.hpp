// Intake: turns a submission (directory, .zip or .tar.gz) into the student files module.json lists.
// Not the workspace: nothing is built here, and nothing outside the listed files is ever used.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "tt/grade/manifest.hpp"

namespace tt::grade {

struct IntakeLimits {
  std::size_t max_total_bytes = 64u << 20;  // everything unpacked (or walked) together
  std::size_t max_file_bytes = 2u << 20;    // one file
  std::size_t max_files = 20000;            // entries in an archive, or files walked in a directory
};

// A file of the submission that the grader does not use, and why.
struct Ignored {
  std::string path;  // relative to the submission
  std::string
      reason;  // "not a student file", "link: not followed", "modified course file: the official copy is used", …
};

struct IntakeResult {
  std::string kind;  // "directory", "archive"
  // module name → (student file relative to the module dir → absolute path of the submitted copy)
  std::map<std::string, std::map<std::string, std::filesystem::path>> files;
  std::vector<Ignored> ignored;
  std::vector<std::string> problems;  // unsafe entries rejected, limits hit, empty archive, …
  std::size_t files_seen = 0;
};

bool is_archive(const std::filesystem::path& p);

// Extracts an archive into dest (which must exist and be empty) entry by entry: absolute paths,
// '..' components, links, devices and anything over the limits are refused and recorded.
void extract_archive_safely(const std::filesystem::path& archive, const std::filesystem::path& dest,
                            const IntakeLimits& limits, IntakeResult& result);

// Intake of a directory or an archive (unpacked into scratch). course_root is used to tell
// modified course files (reported) from unrelated ones.
IntakeResult intake_submission(const std::filesystem::path& submission, const std::vector<Manifest>& modules,
                               const std::filesystem::path& course_root, const std::filesystem::path& scratch,
                               const IntakeLimits& limits = {});

}  // namespace tt::grade
