// The bug zoo: each module's catalog of realistic student bugs (modules/NN/mutants.json,
// tt-mutants/1), planted one at a time (or all of a kind) into a copy of the reference to prove
// the tests (caught_by "tests") or the performance checks (caught_by "perf") notice them.
// Not the grading of the mutant: grade.hpp grades the copy like any submission.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "tt/grade/manifest.hpp"

namespace tt::grade {

struct Mutant {
  std::string id;
  std::string file;  // a student file of the module ("src/simd.cpp")
  std::string find, replace;
  std::string teaches;    // what the bug teaches a student
  std::string caught_by;  // "tests" (some test fails) or "perf" (the performance points drop)
  std::string task;       // the task id whose code it breaks ("16.2"); empty when not given
};

struct MutantError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// modules/NN/mutants.json; an empty list when the module has none. Throws MutantError naming the
// file and the field for a malformed catalog.
std::vector<Mutant> load_mutants(const Manifest& m);

// Writes the module's reference files into dest/<module name>/, with `mutants` applied (each
// `find` must occur exactly once in its file: else MutantError naming the mutant).
void plant(const std::filesystem::path& course_root, const Manifest& m, const std::vector<Mutant>& mutants,
           const std::filesystem::path& dest);

}  // namespace tt::grade
