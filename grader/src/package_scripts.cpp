// The two scripts of a Gradescope autograder package: setup.sh (once, when Gradescope builds the
// image) and run_autograder (once per submission). Not the zip (package.cpp).
#include "tt/grade/package.hpp"

namespace tt::grade {

namespace {

// One line at the top of both scripts: what this package is.
std::string package_line(const GradescopePackage& p) {
  return "# Package: module " + p.module + ", TT_ISA=" + p.isa + ", sandbox " +
         (p.allow_unsandboxed ? "ALLOWED TO BE MISSING (--allow-unsandboxed)" : "required") + ".\n";
}

std::string grade_command(const GradescopePackage& p) {
  return "./build/grader/grader/tt-grade run /autograder/submission --module " + p.module +
         " --course . --work build/grader-work \\\n  --out /autograder/results --format gradescope,json,md --label "
         "submission" +
         (p.allow_unsandboxed ? " --allow-unsandboxed" : "");
}

}  // namespace

std::string gradescope_setup_sh(const GradescopePackage& p) {
  return R"sh(#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image: the Debian packages,
# tt-grade, and a warm-up grade of the stubs that builds the course's own parts (core, tests,
# programs, linked with the prebuilt reference in reference-lib/), so that a student's grade only
# compiles the student's files. TT_SKIP_APT=1 skips the packages (an image that has them).
)sh" + package_line(p) +
         R"sh(set -euo pipefail
cd /autograder/source/course
if [[ ${TT_SKIP_APT:-0} == 1 ]]; then
  echo "setup.sh: TT_SKIP_APT=1: no apt-get (the image must already have the packages of scripts/setup)"
else
  apt-get update
  ./scripts/setup
fi
cmake -S . -B build/grader -G Ninja -DCMAKE_BUILD_TYPE=Release -DTT_ISA=)sh" +
         p.isa + R"sh( \
  -DTT_REGISTER_STUDENT_TESTS=OFF -DTT_BUILD_ARENA=OFF -DBUILD_TESTING=OFF
cmake --build build/grader --target tt-grade
# The stubs are the course's own code: no sandbox needed (Gradescope's image build may not allow one).
./build/grader/grader/tt-grade run modules --module )sh" +
         p.module + R"sh( --course . --work build/grader-work \
  --out build/warm-up --format json --label warm-up --no-sandbox --quiet
echo "setup.sh: ready (module )sh" +
         p.module + ", TT_ISA=" + p.isa + ")\"\n";
}

std::string gradescope_run_autograder(const GradescopePackage& p) {
  return R"sh(#!/usr/bin/env bash
# Gradescope runs this for every submission: grades /autograder/submission and writes
# /autograder/results/results.json. Without a working sandbox (bubblewrap) tt-grade refuses to
# award points (results.json says why, score 0) unless the package was made with --allow-unsandboxed;
# then every report says the code ran without one. Exits non-zero when no grade was made.
)sh" + package_line(p) +
         R"sh(set -uo pipefail
cd /autograder/source/course
mkdir -p /autograder/results
status=0
)sh" + grade_command(p) +
         R"sh( || status=$?
# results.json is written even when grading fails; a missing one means tt-grade itself is broken.
if [[ ! -f /autograder/results/results.json ]]; then
  echo '{"score": 0, "output": "The autograder failed to start; please contact the course staff.", "tests": []}' \
    > /autograder/results/results.json
  status=1
fi
exit $status
)sh";
}

}  // namespace tt::grade
