// Reads the XML that Catch2 v2 writes with `-r xml -o FILE` into one record per test case.
// Not a general XML parser, and never fed the student's stdout: only files the grader owns.
#pragma once

#include <string>
#include <vector>

namespace tt::grade {

// The first thing that went wrong in a test case (an assertion, an exception or a signal).
struct Failure {
  std::string kind;  // "assertion", "exception", "fatal" (signal caught by Catch2)
  std::string file;
  int line = 0;
  std::string original;  // the expression as written (assertions only)
  std::string expanded;  // the expression with values substituted, or the exception message
};

// One <TestCase> element.
struct CaseResult {
  std::string name;
  std::string tags;  // as Catch2 prints them, e.g. "[15.1][m15][points=2]"
  std::string file;
  int line = 0;
  bool completed = false;  // an <OverallResult> was written (the test ran to its end)
  bool success = false;
  double seconds = 0;             // durationInSeconds when Catch2 was run with `-d yes`
  std::vector<Failure> failures;  // in order; failures.front() is the first
  std::string captured_stdout;    // what Catch2 captured from std::cout (never parsed)
};

struct CatchRun {
  bool parsed = false;      // the document parsed to its end
  std::string parse_error;  // why not, when !parsed (a truncated file after a crash, ...)
  std::vector<CaseResult> cases;
};

// Parses Catch2 XML text; a truncated document yields the cases read before the cut.
CatchRun parse_catch_xml(const std::string& text);
// Reads and parses a file; a missing or empty file yields parsed = false and no cases.
CatchRun read_catch_xml(const std::string& path);

}  // namespace tt::grade
