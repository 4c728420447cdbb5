// The stub check's look at the sources: every task has a stub of its own, every stub names a task
// of the module, no stub function is the reference's, and the README's parts list their tasks.
// Not a C++ parser: top-level function definitions are found by braces, comments blanked out.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "tt/grade/manifest.hpp"

namespace tt::grade {

// A function defined at namespace scope. `signature` and `body` have comments removed and no
// white space (what two files are compared by); `given` is true when the comment just above it,
// or the `// ---- … ----` section banner it sits under, says "given" or "scaffolding".
struct SourceFunction {
  std::string signature, body;
  int line = 0;
  bool given = false;
};
std::vector<SourceFunction> top_level_functions(const std::string& text);

// The task ids of every TT_UNIMPLEMENTED("NN.k …") in a file's text, in order.
std::vector<std::string> stub_task_ids(const std::string& text);
// The task ids of every TODO(NN.k) in a file's text, comments included, in order.
std::vector<std::string> todo_task_ids(const std::string& text);

// The rules, over the module's student files, the reference beside them (solutions/<name>/, when
// present) and the module README. Each problem names the file, the function or task, and the fix.
std::vector<std::string> stub_source_problems(const Manifest& m, const std::filesystem::path& solution_dir);

}  // namespace tt::grade
