// Your submission-file validator (20.3): strict checks of docs/capstone-submission.md, every problem listed.
// Not the measurement: a valid file is complete and consistent; the harness wrote its numbers.
#include "tt/capstone/validate.hpp"

#include "tt/capstone/harness.hpp"
#include "tt/errors.hpp"

namespace tt::capstone {

Entry parse_submission(const std::string& text, const std::string& source, const ValidationOptions& options) {
  // Parse with nlohmann::json::parse (catch json::parse_error → "malformed JSON"). Then collect
  // problems in a list instead of stopping at the first one: schema, name, harness (version and the
  // "measured" list), environment, source_digest, and every key of results (result_keys() in
  // harness.hpp) with its type and range. Finish with the cross-field rules: p90 ≥ p50, accuracy a
  // whole number of test_images, throughput ≤ throughput_batch / p50, test_images ==
  // options.required_test_images, queries ≥ options.min_queries, and no result key the harness does
  // not measure. Throw one tt::data_error: "<source>: rejected (N problems)" then "\n- field: …" lines.
  // TODO(20.3): parse and validate one file.
  (void)text;
  (void)source;
  (void)options;
  TT_UNIMPLEMENTED("20.3 parse_submission");
}

Validated validate_submissions(const std::vector<std::pair<std::string, std::string>>& files,
                               const ValidationOptions& options) {
  // parse_submission each file (a data_error becomes a Rejection with its message); an entry whose
  // name an earlier accepted entry already has is rejected too, naming the other file.
  // TODO(20.3): validate a folder's worth of files.
  (void)files;
  (void)options;
  TT_UNIMPLEMENTED("20.3 validate_submissions");
}

}  // namespace tt::capstone
