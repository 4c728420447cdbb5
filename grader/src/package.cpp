// The Gradescope autograder package, written with libarchive.
// Not run on Gradescope itself: setup.sh and run_autograder are, inside the platform's image.
#include "tt/grade/package.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <iostream>
#include <memory>
#include <stdexcept>

#include "tt/grade/file_io.hpp"

namespace tt::grade {
namespace fs = std::filesystem;

std::string gradescope_setup_sh() {
  return R"(#!/usr/bin/env bash
# Gradescope runs this once when the autograder image is built: packages, build, warm slot.
set -euo pipefail
cd /autograder/source/course
./scripts/setup
cmake -S . -B build/grader -G Ninja -DCMAKE_BUILD_TYPE=Release -DTT_REGISTER_STUDENT_TESTS=OFF
cmake --build build/grader --target tt-grade
# Prebuild the course's own parts once (core, reference modules, tests): a grade then only
# compiles the student's files.
./build/grader/grader/tt-grade run solutions --course . --work build/grader-work --out /tmp/tt-warmup \
  --no-perf --quiet || true
)";
}

std::string gradescope_run_autograder() {
  return R"(#!/usr/bin/env bash
# Gradescope runs this for every submission: grade /autograder/submission, write results.json.
set -uo pipefail
cd /autograder/source/course
mkdir -p /autograder/results
./build/grader/grader/tt-grade run /autograder/submission --course . --work build/grader-work \
  --out /autograder/results --format gradescope,json,md --label submission
# results.json is written even when grading fails; a missing one means tt-grade itself is broken.
test -f /autograder/results/results.json || \
  echo '{"score": 0, "output": "The autograder failed to start; please contact the course staff."}' \
    > /autograder/results/results.json
)";
}

namespace {

bool skipped(const std::string& name) {
  return name.empty() || name[0] == '.' || name.rfind("build", 0) == 0 || name == "reports";
}

void add_entry(archive* a, const std::string& path, const std::string& data, int mode) {
  std::unique_ptr<archive_entry, decltype(&archive_entry_free)> e(archive_entry_new(), archive_entry_free);
  archive_entry_set_pathname(e.get(), path.c_str());
  archive_entry_set_filetype(e.get(), AE_IFREG);
  archive_entry_set_perm(e.get(), mode);
  archive_entry_set_size(e.get(), static_cast<la_int64_t>(data.size()));
  if (archive_write_header(a, e.get()) != ARCHIVE_OK) throw std::runtime_error(archive_error_string(a));
  archive_write_data(a, data.data(), data.size());
}

}  // namespace

int package_gradescope(const fs::path& course_root, const fs::path& out_zip) {
  if (!fs::exists(course_root / "grader") || !fs::exists(course_root / "modules"))
    throw std::runtime_error(course_root.string() + " is not a course tree (no grader/ or modules/)");
  std::unique_ptr<archive, decltype(&archive_write_free)> a(archive_write_new(), archive_write_free);
  archive_write_set_format_zip(a.get());
  const fs::path tmp = out_zip.string() + ".tmp";
  if (archive_write_open_filename(a.get(), tmp.c_str()) != ARCHIVE_OK)
    throw std::runtime_error("cannot write " + tmp.string());
  add_entry(a.get(), "setup.sh", gradescope_setup_sh(), 0755);
  add_entry(a.get(), "run_autograder", gradescope_run_autograder(), 0755);
  std::size_t files = 0;
  for (auto it = fs::recursive_directory_iterator(course_root); it != fs::recursive_directory_iterator(); ++it) {
    const std::string name = it->path().filename().string();
    if (skipped(name)) {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file() || it->is_symlink()) continue;
    const auto rel = it->path().lexically_relative(course_root).generic_string();
    const auto perms = it->status().permissions();
    const bool exec = (perms & fs::perms::owner_exec) != fs::perms::none;
    add_entry(a.get(), "course/" + rel, read_file(it->path()), exec ? 0755 : 0644);
    ++files;
  }
  archive_write_close(a.get());
  fs::rename(tmp, out_zip);
  std::cout << "wrote " << out_zip.string() << " (setup.sh, run_autograder, " << files << " course files)\n";
  return 0;
}

}  // namespace tt::grade
