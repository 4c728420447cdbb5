// Strict validation of capstone submission files (schema tt-capstone-submission/1, docs/capstone-submission.md).
// Not the measurement: a file that validates is consistent and complete, not proof it was honest.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace tt::capstone {

// One accepted submission, as the leaderboard uses it.
struct Entry {
  std::string name, description, source;  // source: where the file came from (a path)
  std::size_t queries = 0;
  double latency_p50_ms = 0, latency_p90_ms = 0;
  std::size_t throughput_batch = 0;
  double throughput_ips = 0;
  std::size_t test_images = 0;
  double accuracy = 0, baseline_accuracy = 0;
  std::size_t model_bytes = 0, baseline_model_bytes = 0;
  std::size_t tracked_peak_bytes = 0, max_rss_bytes = 0;
  std::size_t generation_tokens = 0;
  double generation_tokens_per_s = 0;
  std::size_t generation_peak_bytes = 0;
  nlohmann::json environment;  // as in the file
  std::string digest;          // source_digest.combined
};

struct ValidationOptions {
  std::size_t required_test_images = 10000;  // accuracy must come from the full test set
  std::size_t min_queries = 100;             // single-stream queries behind p50/p90
};

// 20.3 — parses and checks one submission file's text. Every problem found is listed (not only
// the first) in one tt::data_error whose message starts with `source` and has one "- …" line per
// problem, each naming the field, what was expected and what was found. Rejected: malformed JSON;
// a wrong "schema"; missing or mistyped fields; a name that is empty, longer than 64 characters or
// not [A-Za-z0-9._-]; impossible numbers (negative or zero latency or throughput, p90 < p50,
// accuracy outside [0, 1] or not a whole number of test images, throughput above
// throughput_batch / p50 (a batch faster than one query), zero model bytes, tracked peak above
// max RSS is allowed; fewer than min_queries queries; test_images ≠ required_test_images);
// claims the harness did not measure (a key in "results" that is not in result_keys() or not in
// harness.measured, a harness version other than kHarnessVersion); a digest that is not 64 hex
// characters.
Entry parse_submission(const std::string& text, const std::string& source, const ValidationOptions& options = {});

struct Rejection {
  std::string source;
  std::string reason;  // the data_error's message
};

struct Validated {
  std::vector<Entry> accepted;
  std::vector<Rejection> rejected;
};

// 20.3 — validates each (source, text) pair; then rejects every entry whose name another accepted
// entry already uses (the first in input order stays; the reason names the other source).
Validated validate_submissions(const std::vector<std::pair<std::string, std::string>>& files,
                               const ValidationOptions& options = {});

}  // namespace tt::capstone
