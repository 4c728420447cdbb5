// One grade, end to end: intake → workspace → per-module build → sandboxed runs → score.
// Not the report formats (report.hpp) and not batch scheduling (batch.hpp).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "tt/grade/catalog.hpp"
#include "tt/grade/intake.hpp"
#include "tt/grade/manifest.hpp"
#include "tt/grade/perf.hpp"
#include "tt/grade/run.hpp"
#include "tt/grade/workspace.hpp"

namespace tt::grade {

struct GradeOptions {
  std::filesystem::path submission;
  std::filesystem::path course_root;
  std::filesystem::path work_root;   // build slots live here
  std::vector<std::string> modules;  // ids to grade; empty = all
  std::string label;                 // a name for the submission (default: its file name)
  bool integrated = false;           // the student's own earlier modules, not the reference
  bool sandbox = true;               // bubblewrap when usable
  bool include_hidden = true;        // false: a student's view (hidden tests left out)
  bool perf = true;
  double test_timeout = 10;
  int perf_runs = 5;
  int build_jobs = 2;
  int test_jobs = 1;
  int slot = -1;         // a fixed slot index (batch); -1 = first free
  bool progress = true;  // progress lines on stderr
};

struct TestRecord {
  CatalogEntry test;
  TestOutcome outcome;
  double score = 0;
};

struct ModuleRecord {
  Manifest manifest;
  std::string build_status = "not built";  // "ok", "failed", "not built"
  std::string build_errors;                // trimmed compiler output, or why it was not built
  double build_seconds = 0;
  std::vector<PlacedFile> files;
  std::vector<TestRecord> tests;
  std::vector<PerfResult> perf;
  double score = 0;
  double max_score = 0;
};

struct GradeRecord {
  GradeOptions options;
  IntakeResult intake;
  std::string sandbox;           // description of the sandbox used
  std::string status = "error";  // "graded" or "error" (the report is written either way)
  std::string error;             // what stopped the grade, when status == "error"
  std::vector<ModuleRecord> modules;
  double score = 0;
  double max_score = 0;
  std::string started_at;  // ISO 8601 UTC
  double seconds = 0;
};

// Never throws: whatever goes wrong ends up in the record (status "error" and `error`).
GradeRecord grade_submission(const GradeOptions& options);

}  // namespace tt::grade
