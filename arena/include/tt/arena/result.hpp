// What the arena keeps of a grade: the numbers of module 20's measured step, read from the
// report.json that tt-grade wrote (every key read defensively: a missing one is "not measured"),
// and the statistics over the harness's interleaved rounds.
// Not the grade itself (tt-grade) and not the ranking (boards.hpp).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace tt::arena {

// Mean without the lowest and the highest value (plain mean below 3 values); nullopt when empty.
std::optional<double> olympic_mean(std::vector<double> v);
// 95 % interval of the olympic mean: Student's t over the values that remain after the trim.
std::optional<std::pair<double, double>> ci95(std::vector<double> v);

// The arena's metrics of a report.json (tt-grade-report/2), for module 20:
// { measure_status, reason, gate_passed, score, links, results{…}, fields{…},
//   vs_reference {ratio, ci95[2], rounds, speedup, speedup_ci95[2]} | null,
//   anti_caching {repeated_p50_ms, distinct_p50_ms, ratio, suspicious} | null,
//   trainer {target_accuracy, runs[], median_seconds} | null, profile {…} | null,
//   baseline {latency_p50_ms, accuracy, model_bytes}, reference {latency_p50_ms} | null,
//   accuracy_public | null, grade_status, grade_score, grade_max_score,
//   portfolio {status, public, pseudonym, site, verified_citations} | null }
// Throws std::runtime_error when the file is not a report.
nlohmann::json metrics_from_report(const nlohmann::json& report);

// The speedup a board shows: vs the reference entry timed in the same job when the harness
// measured it, else vs the fp32 baseline; with its interval when there is one.
struct Speedup {
  double value = 0;
  std::optional<std::pair<double, double>> ci;
  std::string against;  // "reference" | "baseline"
};
std::optional<Speedup> speedup_of(const nlohmann::json& metrics);

// The fastest-trainer time: the median over the runs, a run that never reached the target
// counting as the slowest (infinity); nullopt when not measured.
std::optional<double> trainer_seconds(const nlohmann::json& metrics);

// Whether a re-measurement reproduces a result: the speedup intervals overlap (or the two are
// within 10 % when there is no interval) and the accuracies agree within half a point.
bool reproduces(const nlohmann::json& original, const nlohmann::json& again);

// The machine a worker runs on: CPU model name and the instruction-set extensions that matter here.
struct Hardware {
  std::string cpu, isa;
};
// From /proc/cpuinfo, or a copy a cluster node made of its first lines.
Hardware this_hardware(const std::filesystem::path& cpuinfo = "/proc/cpuinfo");

}  // namespace tt::arena
