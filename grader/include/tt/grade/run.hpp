// Runs one TEST_CASE of a test executable in its own sandboxed process and classifies the outcome
// from the grader-owned XML file and the process status, never from the test's stdout.
// Not scoring: score.hpp turns outcomes into points.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "tt/grade/catch_xml.hpp"
#include "tt/grade/process.hpp"
#include "tt/grade/sandbox.hpp"

namespace tt::grade {

enum class Status { passed, failed, crashed, timeout, missing };
std::string to_string(Status s);

struct TestOutcome {
  Status status = Status::missing;
  std::string reason;  // empty when passed; "crashed: SIGSEGV", "timeout after 10 s", …
  std::optional<Failure> first_failure;
  bool not_implemented = false;  // the failure is a stub's "not implemented yet" message
  std::string output;            // what the process printed (capped), for the report
  double seconds = 0;
};

// Classifies a finished process and its parsed XML for test `name` (pure: unit-testable).
TestOutcome classify(const std::string& name, const ProcessResult& proc, const CatchRun& xml, bool via_bubblewrap,
                     const Limits& limits);

// Runs `binary <exact filter for name> -r xml -o <work_dir>/result.xml` in the sandbox.
TestOutcome run_test_case(const std::filesystem::path& binary, const std::string& name, const Sandbox& sandbox,
                          const Limits& limits, const std::filesystem::path& work_dir);

// Why a sandboxed program did not exit 0: "timeout after 10 s", "crashed: SIGSEGV" (bubblewrap
// reports a signal N as exit status 128 + N), "exited with code 1"; empty when it exited 0.
std::string process_failure(const ProcessResult& p, const Limits& limits, bool via_bubblewrap);

// The default limits for one test case (wall-clock timeout as given).
Limits test_limits(double timeout_seconds);

}  // namespace tt::grade
