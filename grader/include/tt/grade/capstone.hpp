// The capstone step of a grade: module 20's own m20_submit, built from the submission, measures the
// entry in the sandbox; the course's reference m20_leaderboard validates the file it wrote.
// Not the ranking of a class (capstone_board.hpp) and never part of the score: tests score module 20.
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "tt/grade/build.hpp"
#include "tt/grade/grade.hpp"
#include "tt/grade/sandbox.hpp"

namespace tt::grade {

// Module 20's names, as its module.json and CMake define them.
inline constexpr const char* kCapstoneModule = "20";
inline constexpr const char* kCapstoneEntryTask = "20.1";               // its tests must pass before measuring
inline constexpr const char* kCapstoneSubmit = "m20_submit";            // + "_submission": the student's build
inline constexpr const char* kCapstoneLeaderboard = "m20_leaderboard";  // its reference build validates
inline constexpr const char* kCapstoneMakeBaseline =
    "m20_make_baseline";                                       // its reference build trains the baseline once
inline constexpr const char* kCapstoneFile = "capstone.json";  // beside report.json when measured

// Where the grader caches the course's baseline: <work_root>/m20-baseline, made once by the
// reference m20_make_baseline and shared (read-only) by every slot and submission. Not
// $TT_CACHE_DIR: the grader's cache belongs to the course build it grades with.
std::filesystem::path capstone_baseline_dir(const std::filesystem::path& work_root);

// The trusted reference build of module.json program `program` of module `module_name`, built in
// cfg's slot. Throws std::runtime_error with the build errors when it does not build.
std::filesystem::path build_reference_program(const BuildConfig& cfg, const std::string& module_name,
                                              const std::string& program);

// Makes the baseline once (the reference m20_make_baseline, outside the sandbox, under a lock on
// the directory); a no-op when baseline.json is already there. Throws on failure.
void ensure_capstone_baseline(const BuildConfig& setup_cfg, const std::string& module_name,
                              const std::filesystem::path& dir);

// What the reference leaderboard program did with a folder of submission files.
struct BoardRun {
  bool ran = false;      // it started and exited 0 (all accepted) or 3 (some rejected)
  std::string problems;  // why it did not run, or the rejections it printed (one per line)
  nlohmann::json board;  // SITE/leaderboard.json (tt-leaderboard/1) when it ran
  double seconds = 0;
};

// Runs `leaderboard_exe in_dir --out site_dir` in the sandbox; work_dir (which holds both
// folders) is the only writable directory.
BoardRun run_reference_leaderboard(const std::filesystem::path& leaderboard_exe, const std::filesystem::path& in_dir,
                                   const std::filesystem::path& site_dir, const Sandbox& sandbox,
                                   const std::filesystem::path& work_dir);

// The capstone step for module 20's record (after its tests ran). Never throws: whatever goes
// wrong becomes record.capstone's reason. cfg builds the submission, setup_cfg the course's own
// programs; module_dir holds the student's files of module 20 (for the source digest).
CapstoneRecord measure_capstone(const ModuleRecord& rec, const BuildConfig& cfg, const BuildConfig& setup_cfg,
                                const Sandbox& sandbox, const GradeOptions& o, const std::filesystem::path& module_dir,
                                const std::filesystem::path& work);

// A name module 20 accepts ([A-Za-z0-9._-], 1 to 64 characters) made from a submission label.
std::string capstone_entry_name(const std::string& label);

// The report's "capstone" object.
nlohmann::json capstone_json(const CapstoneRecord& c);

}  // namespace tt::grade
