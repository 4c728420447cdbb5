// Reference for 20.2: percentiles, the accuracy gate and the accuracy/size trade-off score.
// Not the ranking (leaderboard.cpp) and not the measurement (the harness calls percentile()).
#include "tt/capstone/scoring.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "tt/errors.hpp"

namespace tt::capstone {
namespace {

void check_accuracies(double accuracy, double baseline_accuracy) {
  if (!(baseline_accuracy > 0 && baseline_accuracy <= 1))
    throw value_error("baseline accuracy must be in (0, 1]; found " + std::to_string(baseline_accuracy));
  if (!(accuracy >= 0 && accuracy <= 1))
    throw value_error("accuracy must be in [0, 1]; found " + std::to_string(accuracy));
}

}  // namespace

double percentile(std::vector<double> samples, double q) {
  if (samples.empty()) throw value_error("percentile: no samples (expected at least one)");
  if (!(q >= 0 && q <= 100)) throw value_error("percentile: q must be in [0, 100]; found " + std::to_string(q));
  for (double v : samples)
    if (std::isnan(v)) throw value_error("percentile: NaN sample");
  std::sort(samples.begin(), samples.end());
  const double pos = q / 100.0 * double(samples.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const auto hi = static_cast<std::size_t>(std::ceil(pos));
  return samples[lo] + (pos - double(lo)) * (samples[hi] - samples[lo]);
}

bool passes_gate(double accuracy, double baseline_accuracy) {
  check_accuracies(accuracy, baseline_accuracy);
  return accuracy >= kAccuracyGate * baseline_accuracy;
}

double tradeoff_score(double accuracy, double baseline_accuracy, std::size_t model_bytes, std::size_t baseline_bytes) {
  check_accuracies(accuracy, baseline_accuracy);
  if (model_bytes == 0 || baseline_bytes == 0)
    throw value_error("tradeoff_score: model and baseline bytes must be > 0");
  return std::pow(accuracy / baseline_accuracy, kAccuracyWeight) * (double(baseline_bytes) / double(model_bytes));
}

}  // namespace tt::capstone
