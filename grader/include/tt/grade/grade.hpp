// One grade, end to end: intake → workspace → per-module build → sandboxed runs → score.
// Not the report formats (report.hpp) and not batch scheduling (batch.hpp).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "tt/grade/build.hpp"
#include "tt/grade/catalog.hpp"
#include "tt/grade/intake.hpp"
#include "tt/grade/manifest.hpp"
#include "tt/grade/measure.hpp"
#include "tt/grade/perf.hpp"
#include "tt/grade/portfolio_section.hpp"
#include "tt/grade/run.hpp"
#include "tt/grade/sandbox.hpp"
#include "tt/grade/workspace.hpp"

namespace tt::grade {

// Every setting of a grade, defined once: the CLI binds these fields (cli.cpp), batch hands them to
// its children as JSON (grade_options_json), reports record them.
struct GradeOptions {
  std::filesystem::path submission;
  std::filesystem::path course_root;
  std::filesystem::path work_root;   // build slots live here
  std::filesystem::path grader_exe;  // this tt-grade (batch children, build-step); default /proc/self/exe
  std::vector<std::string> modules;  // ids to grade; empty = all
  std::vector<std::string> tasks;    // run only these tasks' tests (tt-grade mutants); empty = all
  std::string label;                 // a name for the submission (default: its file name)
  bool integrated = false;           // the student's own earlier modules, not the reference
  SandboxPolicy sandbox = SandboxPolicy::require;
  bool include_hidden = true;  // false: a student's view (hidden tests left out)
  bool perf = true;
  double test_timeout = 10;
  int perf_runs = 5;
  int build_jobs = 2;
  int test_jobs = 2;
  double build_timeout = 300;           // wall-clock seconds for one module's build of the student's files
  std::size_t build_memory_mib = 2048;  // address space of one compiler or linker process
  long build_cpu_seconds = 120;         // CPU seconds of one compiler or linker process
  int slot = -1;                        // a fixed slot index (batch); -1 = first free
  bool progress = true;                 // progress lines on stderr
  bool capstone = true;                 // run the measured steps (module 20's capstone; measure.hpp)
  double measure_timeout = 0;           // seconds for a measured step; 0 = its module.json's
  std::string isa;                      // TT_ISA of the grading builds; empty = the grader's own
};

// The ISA level a grade builds at: options.isa, or the TT_ISA tt-grade itself was configured with.
std::string grading_isa(const GradeOptions& o);
// The levels `--isa` accepts (TT_ISA's values, cmake/tt_options.cmake).
const std::vector<std::string>& isa_levels();

nlohmann::json grade_options_json(const GradeOptions& o);
GradeOptions grade_options_from_json(const nlohmann::json& j);  // throws std::runtime_error naming the field

struct TestRecord {
  CatalogEntry test;
  TestOutcome outcome;
  double score = 0;
};

enum class BuildStatus {
  ok,
  failed,     // a compile or link error (build_errors has the compiler's messages)
  stopped,    // stopped by a limit (memory, CPU, size, wall-clock): build_errors says which
  not_built,  // not attempted (a dependency failed, or the grade stopped earlier)
};
std::string to_string(BuildStatus s);

struct ModuleRecord {
  Manifest manifest;
  BuildStatus build_status = BuildStatus::not_built;
  std::string build_errors;  // trimmed compiler output, or why it was not built
  double build_seconds = 0;
  std::vector<PlacedFile> files;
  std::vector<TestRecord> tests;
  std::vector<PerfResult> perf;
  std::optional<MeasureRecord> measure;  // module.json "measure" (module 20's capstone)
  // For a module whose submission links the student's own dependencies: what each one was,
  // "yours" or "the reference (yours did not build)", by module id.
  std::vector<std::pair<std::string, std::string>> links;
  double score = 0;
  double max_score = 0;
};

enum class GradeStatus { graded, error };
std::string to_string(GradeStatus s);

struct GradeRecord {
  GradeOptions options;
  IntakeResult intake;
  std::string sandbox;                      // description of the sandbox used
  bool unsandboxed = false;                 // student code ran without bubblewrap (allowed by the instructor)
  GradeStatus status = GradeStatus::error;  // the report is written either way
  std::string error;                        // what stopped the grade, when status == "error"
  std::vector<ModuleRecord> modules;
  double score = 0;
  double max_score = 0;
  std::string started_at;  // ISO 8601 UTC
  double seconds = 0;
  nlohmann::json portfolio;                    // the report's `portfolio` section (portfolio_section.hpp); never scored
  std::vector<PortfolioPost> portfolio_posts;  // the write-ups rendered by the grader, for results.json only
  std::vector<SiteFile> portfolio_site;        // the rendered site, written beside report.json
};

// The build configuration of a grading slot: the slot's build policy is (re)written and every
// compile and link of the submission goes through `grader_exe build-step` (build_jail.hpp).
BuildConfig prepare_slot_build(const GradeOptions& o, const std::vector<Manifest>& all, const Slot& slot,
                               const Sandbox& sandbox, bool integrated);

// Never throws: whatever goes wrong ends up in the record (status "error" and `error`).
GradeRecord grade_submission(const GradeOptions& options);

}  // namespace tt::grade
