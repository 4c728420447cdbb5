// The measured step of a module (module.json "measure"; module 20's capstone): the course's
// harness, built from the reference, measures the submission's servers from outside their
// processes; tt-grade connects them, serves the harness the servers' CPU clocks and memory, and
// scores the "fields" of the harness's result.
// Not the harness (the course's program) and not the class leaderboard (capstone_board.hpp).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tt/grade/build.hpp"
#include "tt/grade/manifest.hpp"
#include "tt/grade/sandbox.hpp"

namespace tt::grade {

struct GradeOptions;
struct ModuleRecord;

enum class MeasureStatus {
  measured,  // the harness wrote a result; its fields are scored
  skipped,   // not attempted (tests not passed, --no-capstone, the module did not build, no reference)
  failed,    // the harness or a server failed, timed out or wrote no usable result
};
std::string to_string(MeasureStatus s);

struct FieldScore {
  MeasureField field;
  double value = 0;
  double score = 0;
  std::string note;  // why it scored less than it could ("below the accuracy gate", …)
};

struct MeasureRecord {
  Measure spec;
  MeasureStatus status = MeasureStatus::skipped;
  std::string reason;
  nlohmann::json result;  // the harness's result.json (null unless measured)
  std::vector<FieldScore> scores;
  bool gate_passed = false;
  double score = 0;
  double seconds = 0;
  std::string harness_output, server_output;  // what they printed (capped; never parsed)
  std::string name;                           // the entry's name in the result ({name})
  double max_score() const { return spec.points(); }
};

// Where the shared data of a measure's setup program lives: <work_root>/m<id>-<name>-setup.
std::filesystem::path measure_setup_dir(const std::filesystem::path& work_root, const Manifest& m);

// Whether a setup's folder holds its finished data.
bool measure_setup_complete(const std::filesystem::path& dir);

// Runs the setup program (reference build, trusted, outside the sandbox) once per work root,
// under a lock; a no-op when its folder is complete. Throws std::runtime_error on failure.
void ensure_measure_setup(const BuildConfig& setup_cfg, const Manifest& m, const std::filesystem::path& dir);

// The measured step for `rec` (its tests already ran); the servers are pinned to `cpu` (the
// harness to another one when there is one). Never throws.
MeasureRecord run_measure(const ModuleRecord& rec, const BuildConfig& cfg, const BuildConfig& setup_cfg,
                          const Sandbox& sandbox, const GradeOptions& o, const std::filesystem::path& module_dir,
                          const std::filesystem::path& work, int cpu = -1);

// Scores the harness's "fields" (and the gate) per the spec.
void score_measure(MeasureRecord& r);

// A name a leaderboard accepts ([A-Za-z0-9._-], 1 to 64 characters) made from a submission label.
std::string entry_name(const std::string& label);

// The report's "measure" object.
nlohmann::json measure_json(const MeasureRecord& r);

// A number of the result by a leaderboard path ("fields.size_ratio", "submission.results.accuracy").
const nlohmann::json* result_at(const nlohmann::json& result, const std::string& path);

}  // namespace tt::grade
