// `tt-grade mutants NN`: plants each catalogued bug of a module (mutants.hpp) into a copy of the
// reference, grades the copy's tests in one reused build slot and reports which tests catch it.
// Not the catalog format (mutants.hpp) and not a grade: no points, no performance checks.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tt/grade/grade.hpp"
#include "tt/grade/mutants.hpp"

namespace tt::grade {

struct MutantCheckOptions {
  GradeOptions grade;              // course, work root, sandbox, timeouts (modules/perf are set here)
  std::string module;              // the module id, "16"
  std::vector<std::string> only;   // mutant ids to check; empty = every "tests" mutant
  std::filesystem::path json_out;  // the tt-mutants-report/1 file; empty = none
  bool all_tests = false;          // run every test of the module, not only the mutant's task's
};

enum class MutantVerdict {
  caught,       // at least one test failed, crashed or timed out
  survived,     // every test passed: the tests miss this bug
  not_planted,  // its "find" text is not in the reference exactly once
  not_built,    // the mutant does not compile (a catalog error, not a caught bug)
  error,        // the grade itself stopped (sandbox, configure): see `error`
  perf,         // caught_by "perf": only checked to plant; the grader bench judges it
};
std::string to_string(MutantVerdict v);

struct MutantResult {
  Mutant mutant;
  MutantVerdict verdict = MutantVerdict::error;
  std::vector<std::string> caught_by;  // "test name: reason" of each test that noticed it
  std::string error;                   // why it was not planted, not built, or not graded
  double seconds = 0;
};

struct MutantReport {
  std::string module;
  std::vector<MutantResult> results;
  std::vector<std::string> tasks_without_mutant;  // tasks of module.json no "tests" mutant breaks
  std::vector<std::string> baseline_failures;     // tests failing on the unmutated reference
  int caught = 0, total = 0;                      // over "tests" mutants
  bool ok() const;  // every "tests" mutant caught, every entry planted, every task covered
};

// Runs the check (never throws for a bad catalog entry: it is reported by name).
MutantReport check_mutants(const MutantCheckOptions& o);

nlohmann::json mutant_report_json(const MutantReport& r);
std::string mutant_report_table(const MutantReport& r);

// The CLI entry: the table on stdout, the JSON when asked; 0 when r.ok(), 1 otherwise.
int run_mutant_check(const MutantCheckOptions& o);

}  // namespace tt::grade
