// Build slots (flock-protected directories) and the placement of student files into them.
// Not a CMake driver: build.cpp configures and builds.
#include "tt/grade/workspace.hpp"

#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <thread>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "tt/grade/file_io.hpp"

namespace tt::grade {
namespace fs = std::filesystem;

namespace {
constexpr int kMaxSlots = 16;
}

Slot::Slot(const fs::path& work_root, bool integrated, int index) {
  fs::create_directories(work_root);
  const std::string base = integrated ? "slot-integrated-" : "slot-";
  for (int attempt = 0;; ++attempt) {
    for (int k = (index >= 0 ? index : 0); k < (index >= 0 ? index + 1 : kMaxSlots); ++k) {
      const fs::path lock = work_root / (base + std::to_string(k) + ".lock");
      const int fd = open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
      if (fd < 0) throw std::runtime_error("cannot create " + lock.string());
      if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
        lock_fd_ = fd;
        index_ = k;
        dir_ = work_root / (base + std::to_string(k));
        fs::create_directories(dir_);
        return;
      }
      close(fd);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

Slot::~Slot() {
  if (lock_fd_ >= 0) {
    flock(lock_fd_, LOCK_UN);
    close(lock_fd_);
  }
}

SubmissionLock::SubmissionLock(const fs::path& out_dir, bool say_when_waiting) {
  fs::create_directories(out_dir);
  const fs::path lock = out_dir / ".grading.lock";
  fd_ = open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw std::runtime_error("cannot create " + lock.string());
  if (flock(fd_, LOCK_EX | LOCK_NB) == 0) return;
  if (say_when_waiting)
    std::fprintf(stderr, "tt-grade: another grade of this submission is running (%s); waiting for it\n", lock.c_str());
  if (flock(fd_, LOCK_EX) != 0) throw std::runtime_error("cannot lock " + lock.string());
}

SubmissionLock::~SubmissionLock() {
  if (fd_ >= 0) {
    flock(fd_, LOCK_UN);
    close(fd_);
  }
}

bool has_solution(const fs::path& course_root, const Manifest& m) {
  if (fs::is_directory(course_root / "solutions" / m.name)) return true;
  // A Gradescope package: the reference as a prebuilt library only (cmake/tt_reference_lib.cmake).
  std::string lib = m.targets.library;
  if (const auto k = lib.find("{kind}"); k != std::string::npos) lib.replace(k, 6, "solution");
  const fs::path prebuilt = course_root / kReferenceLibDir;
  return fs::exists(prebuilt / "reference.json") && fs::exists(prebuilt / ("lib" + lib + ".a"));
}

std::map<std::string, std::vector<PlacedFile>> place_files(const Slot& slot, const std::vector<Manifest>& modules,
                                                           const IntakeResult& intake) {
  std::map<std::string, std::vector<PlacedFile>> placed;
  for (const auto& m : modules) {
    const auto sub = intake.files.find(m.name);
    for (const auto& f : m.student_files) {
      const fs::path dst = slot.modules_dir() / m.name / f;
      PlacedFile p{f, kNotSubmitted};
      fs::path src = m.dir / f;
      if (sub != intake.files.end()) {
        if (const auto it = sub->second.find(f); it != sub->second.end()) {
          src = it->second;
          p.source = kSubmitted;
        }
      }
      copy_if_changed(src, dst);
      placed[m.name].push_back(p);
    }
  }
  return placed;
}

}  // namespace tt::grade
