// The steps of one module's grade, shared by grade.cpp (the pipeline) and measure.cpp.
// Not a public header: tt-grade's users call grade_submission (grade.hpp).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "tt/grade/build.hpp"
#include "tt/grade/grade.hpp"

namespace tt::grade::detail {

// "tt-grade: [ 12.3 s] line" on stderr when the grade shows progress.
void progress(const GradeOptions& o, const std::string& line);

// Every test "missing" with the same reason, every performance check "not run" (no build).
void mark_all_missing(ModuleRecord& rec, const std::string& reason);

// The course's own kind of a module: its reference when the course has one, else its stubs.
Kind course_kind(const GradeOptions& o, const Manifest& m);

// A module's targets of one kind, or std::runtime_error naming the missing file.
ModuleTargets targets_of(const std::filesystem::path& build_dir, const Manifest& m, Kind kind);

// Every target of `kind` a module's grade builds: its tests, and the programs of its performance
// checks and measured step (for the course's own kind, those the reference runs).
std::vector<std::string> targets_needed(const GradeOptions& o, const std::filesystem::path& build_dir,
                                        const Manifest& m, Kind kind);

// The CPU the programs of a CPU-clock performance check are pinned to (one per slot).
int perf_cpu(const Slot& slot);

// True when every listed task's tests all passed; else `failed` names the first that did not.
bool tasks_passed(const ModuleRecord& rec, const std::vector<std::string>& tasks, std::string& failed);

// Each test case in its own sandboxed process, o.test_jobs at a time.
void run_tests(ModuleRecord& rec, const std::filesystem::path& built, const Sandbox& sandbox, const GradeOptions& o,
               const std::filesystem::path& results_dir);

// The module's performance checks (module.json "perf"), in order.
void run_perf_checks(ModuleRecord& rec, const BuildConfig& cfg, const Sandbox& sandbox, const GradeOptions& o,
                     const std::filesystem::path& work, int cpu);

}  // namespace tt::grade::detail
