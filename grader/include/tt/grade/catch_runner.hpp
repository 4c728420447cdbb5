// Runs a Catch2 v2 test executable: lists its test names, runs all or one of them into an XML file.
// Not sandboxed: run.hpp wraps single test cases in the sandbox; this is for trusted binaries.
#pragma once

#include <string>
#include <vector>

#include "tt/grade/catch_xml.hpp"
#include "tt/grade/process.hpp"

namespace tt::grade {

// A Catch2 test spec that matches exactly this test name: every character that is not a
// letter or digit is escaped with a backslash (so ',', '[', '*', '~', '#', '"' lose their meaning).
std::string catch_name_filter(const std::string& name);

// The test names of an executable (`--list-test-names-only`); throws std::runtime_error with
// the program's output when it cannot be listed.
std::vector<std::string> list_test_names(const std::string& binary);

struct CatchInvocation {
  ProcessResult process;
  CatchRun xml;
};

// Runs `binary [filters…] -r xml -o xml_path -d yes` and parses the file afterwards.
CatchInvocation run_catch(const std::string& binary, const std::vector<std::string>& filters,
                          const std::string& xml_path, const Limits& limits);

}  // namespace tt::grade
