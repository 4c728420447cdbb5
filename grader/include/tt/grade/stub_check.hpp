// The CI rule for a module: every test fails on the stubs, passes on the reference, and the
// points in the tags add up to module.json. Not a grade: no sandbox, no report file.
#pragma once

#include <string>
#include <vector>

#include "tt/grade/catch_xml.hpp"
#include "tt/grade/manifest.hpp"

namespace tt::grade {

// What one binary did with every test it lists.
struct BinaryOutcome {
  std::vector<std::string> listed;   // --list-test-names-only
  std::vector<CaseResult> results;   // one per listed test that produced a result
  std::vector<std::string> crashed;  // "name: SIGABRT" for tests that killed the binary
};

struct StubCheckReport {
  std::vector<std::string> problems;  // each names the test and the rule it breaks
  std::vector<std::string> notes;     // worth a look but not an error
  int tests = 0;
  int points = 0;
};

// Pure rules over already-collected outcomes (what the unit tests exercise).
StubCheckReport judge_stubs(const Manifest& m, const BinaryOutcome& student, const BinaryOutcome& solution);

// Runs a binary: all tests in one process, then one process per test the first run lost
// (a crash ends a Catch2 run early). work_dir receives the XML files.
BinaryOutcome run_all_tests(const std::string& binary, const std::string& work_dir, double timeout_seconds);

// check-stubs end to end; prints problems to stderr, a summary to stdout; returns the exit code.
int check_stubs_main(const std::string& module_json, const std::string& student, const std::string& solution,
                     double timeout_seconds);

}  // namespace tt::grade
