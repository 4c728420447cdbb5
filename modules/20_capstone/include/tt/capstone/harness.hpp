// The capstone's measurement harness (MLPerf-style single-stream and offline scenarios) and the submission file it
// writes. Not student code: it is provided (module.json "provided_files") so every entry is measured the same way.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tt/capstone/submission.hpp"

namespace tt::capstone {

inline constexpr const char* kHarnessVersion = "tt-capstone/1";
inline constexpr const char* kSubmissionSchema = "tt-capstone-submission/1";
inline constexpr std::size_t kFullTestSet = 10000;

struct MeasureOptions {
  std::size_t queries = 200;            // single-stream: one image per query, images 0, 1, …
  std::size_t warmup_queries = 10;      // untimed queries first
  std::size_t throughput_batch = 256;   // offline scenario: images per classify() call
  std::size_t throughput_batches = 8;   // timed calls (cycling through the test set)
  std::size_t prompt_tokens = 8;        // generation prompt length (ids 1, 2, …, P), batch 1
  std::size_t generation_tokens = 256;  // new tokens per generate() call
  double baseline_accuracy = 0;         // recorded in the file; the gate compares with it
  std::size_t baseline_bytes = 0;       // the baseline's classifier_bytes
  // Called with (phase, done, total) as the measurement goes (nullptr: silent).
  std::function<void(const std::string&, std::size_t, std::size_t)> progress;
};

// What the harness measured for one submission. Every field here is a "result" of the file.
struct Measurement {
  std::size_t queries = 0;
  double latency_p50_ms = 0, latency_p90_ms = 0;  // single-stream, per query
  std::vector<double> latency_samples_ms;         // not written to the file
  std::size_t throughput_batch = 0;
  double throughput_ips = 0;  // images per second at throughput_batch
  std::size_t test_images = 0;
  double accuracy = 0;  // on all test_images
  double baseline_accuracy = 0;
  std::size_t model_bytes = 0, baseline_model_bytes = 0;
  std::size_t tracked_peak_bytes = 0;  // tt::tracking peak above the start, whole run
  std::size_t max_rss_bytes = 0;       // getrusage(RUSAGE_SELF).ru_maxrss, process
  std::size_t generation_tokens = 0;
  double generation_tokens_per_s = 0;
  std::size_t generation_peak_bytes = 0;  // tt::tracking peak during generate()
};

// Runs the four measurements in order: latency (single-stream), throughput (batch), accuracy (all
// of `test`, batches of 256, argmax vs labels), generation. Checks what the submission returns:
// shape_error for logits that are not (N, 10) or a generation of the wrong length / prefix.
// Uses percentile() (scoring.hpp) for p50/p90.
Measurement measure(Submission& submission, const Dataset& test, const MeasureOptions& options = {});

// CPU model, compiler, flags, host, date (UTC ISO 8601), git commit when known.
nlohmann::json capture_environment();

// The student files a submission's source digest covers (module.json "student_files", module-relative).
const std::vector<std::string>& digested_files();

// SHA-256 of each file (paths relative to `root`, sorted) and of their "path\0digest\n" list.
// {"algorithm": "sha256", "files": {"src/entry.cpp": "…"}, "combined": "…"}; data_error when a
// file is missing.
nlohmann::json source_digest(const std::string& root, const std::vector<std::string>& files);

// The submission file (schema: docs/capstone-submission.md).
nlohmann::json make_submission_json(const std::string& name, const std::string& description, const Measurement& m,
                                    const nlohmann::json& environment, const nlohmann::json& digest);

// The result keys the harness writes, in file order ("queries", "latency_p50_ms", …).
const std::vector<std::string>& result_keys();

}  // namespace tt::capstone
