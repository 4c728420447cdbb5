// Uploads: an archive checked by reading its headers only (never unpacked, never run: the workers'
// tt-grade does the real intake), then stored by its SHA-256 under the data directory.
// Not the submission record (queue.hpp) and not the grader's intake (grader/intake.hpp).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace tt::arena {

struct ArchiveLimits {
  std::size_t max_entries = 20000;
  std::size_t max_unpacked_bytes = 64u << 20;  // the grader's own intake limit
};

struct ArchiveCheck {
  bool ok = false;
  std::string error;      // what is wrong and what to do (when !ok)
  std::string ext;        // ".zip" or ".tar.gz"
  int student_files = 0;  // entries that are files module.json lists
};

// The student files the course's modules list, as "<module dir>/<file>" (e.g. "20_capstone/src/entry.cpp").
std::vector<std::string> course_student_files(const std::filesystem::path& course_root);

// Reads the archive's headers: a zip or gzip'd tar, no absolute paths, no "..", no links or devices,
// within the limits, holding at least one listed student file.
ArchiveCheck check_archive(const std::string& bytes, const std::vector<std::string>& student_files,
                           const ArchiveLimits& limits = {});

// Writes bytes to <dir>/<sha[0:2]>/<sha><ext> (a temporary file renamed into place, so a crash
// leaves no partial upload) unless it is there; returns the SHA-256.
std::string store_upload(const std::filesystem::path& dir, const std::string& bytes, const std::string& ext);
std::filesystem::path upload_path(const std::filesystem::path& dir, const std::string& sha, const std::string& ext);

// Removes temporary files a crash left in the upload store.
void sweep_partial_uploads(const std::filesystem::path& dir);

}  // namespace tt::arena
