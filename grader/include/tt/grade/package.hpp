// Platform packages: the Gradescope autograder zip (setup.sh, run_autograder, the course tree).
// Not a release of the student tree (scripts/make-student-release does that).
#pragma once

#include <filesystem>
#include <string>

namespace tt::grade {

// The two scripts Gradescope runs (exposed for tests and docs).
std::string gradescope_setup_sh();
std::string gradescope_run_autograder();

// Writes the zip; returns 0 on success (prints what it wrote).
int package_gradescope(const std::filesystem::path& course_root, const std::filesystem::path& out_zip);

}  // namespace tt::grade
