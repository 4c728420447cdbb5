// Measurement files (portfolio/measurements/mNN.json, schema tt-portfolio-measurement/1): one
// module's tt-bench/1 report as the student's code produced it, with the digest of the sources it
// measured. Not the benchmark itself: `tt-portfolio measure` runs ./scripts/bench to get one.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace tt::portfolio {

inline constexpr const char* kMeasurementSchema = "tt-portfolio-measurement/1";

struct Measurement {
  std::string module;                  // "16"
  std::string date;                    // ISO 8601 UTC of the run
  std::string command;                 // what produced it, e.g. "./scripts/bench 16 --impl student --json …"
  std::string digest;                  // source_digest() of `files` at the time of the run
  std::vector<std::string> files;      // the keys of measured_files()
  nlohmann::json bench;                // the tt-bench/1 report (null when the run failed)
  std::string error;                   // why the run failed, when it did
  std::vector<std::string> artifacts;  // files beside it (module 19's roofline SVG, Chrome trace)
};

// A metric of a measurement, as the bench wrote it.
struct Metric {
  std::string name;
  double value = 0;
  std::string unit, target;
  std::optional<bool> met;
  nlohmann::json detail;
};

struct MeasurementSet {
  std::map<std::string, Measurement> by_module;  // module id → measurement
  std::vector<std::string> problems;             // unreadable files, each a full sentence
};

nlohmann::json to_json(const Measurement& m);
// portfolio_error(bad_measurement) naming the file, what is wrong and what to do.
Measurement measurement_from_json(const nlohmann::json& j, const std::string& origin);

// Every mNN.json in dir; a corrupt file becomes a problem, never an exception.
MeasurementSet load_measurements(const std::filesystem::path& dir);
void write_measurement(const std::filesystem::path& file, const Measurement& m);

// The metrics of a measurement's bench report (empty when it has none).
std::vector<Metric> metrics_of(const Measurement& m);
std::optional<Metric> find_metric(const Measurement& m, const std::string& name);

}  // namespace tt::portfolio
