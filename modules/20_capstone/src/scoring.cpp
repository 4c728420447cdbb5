// Your statistics and scores (20.2): percentiles for the harness, the accuracy gate, the accuracy/size score.
// Not the ranking (leaderboard.cpp): these are the numbers it sorts on.
#include "tt/capstone/scoring.hpp"

#include "tt/errors.hpp"

namespace tt::capstone {

double percentile(std::vector<double> samples, double q) {
  // Sort a copy, then interpolate linearly between the two closest ranks at q/100 · (n − 1).
  // Check the inputs first (empty, q outside [0, 100], NaN → value_error). The harness calls this for
  // p50 and p90, so nothing is measured until it works.
  // TODO(20.2): the linear-interpolation percentile.
  (void)samples;
  (void)q;
  TT_UNIMPLEMENTED("20.2 percentile");
}

bool passes_gate(double accuracy, double baseline_accuracy) {
  // accuracy ≥ kAccuracyGate · baseline_accuracy, after checking both are valid shares.
  // TODO(20.2): the accuracy gate.
  (void)accuracy;
  (void)baseline_accuracy;
  TT_UNIMPLEMENTED("20.2 passes_gate");
}

double tradeoff_score(double accuracy, double baseline_accuracy, std::size_t model_bytes, std::size_t baseline_bytes) {
  // (accuracy / baseline_accuracy)^kAccuracyWeight · (baseline_bytes / model_bytes); value_error on bad input.
  // TODO(20.2): the documented score.
  (void)accuracy;
  (void)baseline_accuracy;
  (void)model_bytes;
  (void)baseline_bytes;
  TT_UNIMPLEMENTED("20.2 tradeoff_score");
}

}  // namespace tt::capstone
