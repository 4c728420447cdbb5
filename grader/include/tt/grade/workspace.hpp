// The workspace: a grader-owned build slot of the pristine course tree whose "submission" kind
// reads the student's files from slot/modules (TT_SUBMISSION_ROOT). One slot per parallel job,
// locked while in use and reused across submissions so only the student's files recompile.
// Not the build itself (build.hpp) and never the course tree: nothing here writes to it.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "tt/grade/intake.hpp"
#include "tt/grade/manifest.hpp"

namespace tt::grade {

class Slot {
 public:
  // Locks the first free slot under work_root (or exactly `index` when >= 0); blocks until one is free.
  Slot(const std::filesystem::path& work_root, bool integrated, int index = -1);
  ~Slot();
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;

  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path modules_dir() const { return dir_ / "modules"; }
  std::filesystem::path build_dir() const { return dir_ / "build"; }
  int index() const { return index_; }

 private:
  std::filesystem::path dir_;
  int index_ = 0;
  int lock_fd_ = -1;
};

// An exclusive lock on a report folder for one grade (a file .grading.lock in it): a second
// grade of the same submission waits instead of grading it at the same time. The kernel drops
// the lock when the grading process dies, however it dies.
class SubmissionLock {
 public:
  SubmissionLock(const std::filesystem::path& out_dir, bool say_when_waiting);
  ~SubmissionLock();
  SubmissionLock(const SubmissionLock&) = delete;
  SubmissionLock& operator=(const SubmissionLock&) = delete;

 private:
  int fd_ = -1;
};

inline constexpr const char* kSubmitted = "submitted";
inline constexpr const char* kNotSubmitted = "stub (not submitted)";

// Where each student file of a module came from in this grade.
struct PlacedFile {
  std::string file;    // relative to the module directory
  std::string source;  // kSubmitted or kNotSubmitted
};

// Copies, for every module of the course, the submitted file or else the course's stub into
// slot/modules/<name>/<file>. Only files whose contents changed are rewritten (fresh mtime).
std::map<std::string, std::vector<PlacedFile>> place_files(const Slot& slot, const std::vector<Manifest>& modules,
                                                           const IntakeResult& intake);

// Where a Gradescope package keeps the reference as compiled libraries (lib<target>.a and
// reference.json), relative to the course root; cmake/tt_reference_lib.cmake reads the same place.
inline constexpr const char* kReferenceLibDir = "reference-lib";

// True when the course ships the reference for this module: solutions/<name>, or its prebuilt
// library in reference-lib/.
bool has_solution(const std::filesystem::path& course_root, const Manifest& m);

}  // namespace tt::grade
