// The Gradescope autograder zip for one assignment (one module), with the reference as compiled
// libraries only. Not GitHub Classroom (classroom.hpp), and not a release of the student tree
// (scripts/make-student-release does that).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace tt::grade {

// ISA levels a package may target (cmake/tt_isa.cmake's TT_ISA, "native" excluded: the image is
// built on one machine and run on others).
inline constexpr const char* kPackageIsaLevels[] = {"x86-64-v2", "x86-64-v3", "x86-64-v4", "armv8-a"};

struct GradescopePackage {
  std::filesystem::path course_root;  // the instructor's tree (with solutions/)
  std::filesystem::path work_root;    // where the reference libraries are built (<work>/package-<isa>)
  std::filesystem::path out_zip;
  std::string module;              // the assignment: one module id, e.g. "16"
  std::string isa = "x86-64-v3";   // TT_ISA of the image's build and of the reference libraries
  bool allow_unsandboxed = false;  // run_autograder grades without bubblewrap (reports say so)
  int jobs = 2;                    // compiler jobs for the reference build
};

// The two scripts Gradescope runs, for one package (exposed for tests and docs). setup.sh skips
// apt (./scripts/setup) when TT_SKIP_APT=1: the image already has the packages.
std::string gradescope_setup_sh(const GradescopePackage& p);
std::string gradescope_run_autograder(const GradescopePackage& p);

// The module ids an assignment needs: `module` and everything it depends on, in id order.
std::vector<std::string> package_modules(const std::filesystem::path& course_root, const std::string& module);

// Builds the reference libraries of `modules` at p.isa in p.work_root/package-<isa> (Release,
// debug information stripped) and returns their files, plus reference.json (what they were built
// with) last. Throws std::runtime_error with the build's errors.
std::vector<std::filesystem::path> build_reference_libraries(const GradescopePackage& p,
                                                             const std::vector<std::string>& modules);

// The course's portfolio rubric (course_root/portfolio/rubric.json) as the questions to create under
// the assignment's manual grading: manual-grading.md (questions with points, the steps in Gradescope,
// what the platform cannot do) and manual-grading.json ({"questions": [{"id", "title", "points"}],
// "total_points"}). nullopt when the course has no rubric; std::runtime_error when it is malformed.
struct ManualGradingFiles {
  std::string markdown;
  std::string json;
};
std::optional<ManualGradingFiles> manual_grading(const GradescopePackage& p);

// Where the package puts manual-grading.md beside the zip:
// m16-autograder.zip → m16-autograder.manual-grading.md.
std::filesystem::path manual_grading_beside(const std::filesystem::path& out_zip);

// Writes p.out_zip from its parts — the scripts, package.json, manual-grading.md/.json, the course
// files `modules` need and the given reference libraries — and manual-grading.md beside it.
// Returns the number of course files. Checks nothing (package_gradescope does).
std::size_t write_gradescope_package(const GradescopePackage& p, const std::vector<std::string>& modules,
                                     const std::vector<std::filesystem::path>& libraries);

// Checks the input, builds the reference libraries and writes the package; returns 0 on success
// (prints what it wrote). Throws std::runtime_error on bad input (unknown module or ISA level, not
// a course tree, a malformed rubric) naming what was expected.
int package_gradescope(const GradescopePackage& p);

}  // namespace tt::grade
