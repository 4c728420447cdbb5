// Your code for 17.3: calibration observers (min-max, moving average, percentile, MSE clipping search).
// Not the conversion that uses them (convert.cpp, 17.7).
#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <string>

#include "tt/quant/observers.hpp"

namespace tt::quant {

// Given: bookkeeping, not part of a task.
QParams Observer::qparams(Scheme scheme) const {
  const Range r = range();
  return choose_qparams(r.min, r.max, scheme);
}

void MinMaxObserver::observe(const Tensor& x) {
  // Ignore empty tensors; value_error on NaN/Inf. The first batch sets r_, later ones widen it.
  // TODO(17.3): running min and max.
  TT_UNIMPLEMENTED("17.3 MinMaxObserver::observe");
}

Range MinMaxObserver::range() const {
  // TODO(17.3): r_, or tt::error("... nothing observed yet ...") before the first batch.
  TT_UNIMPLEMENTED("17.3 MinMaxObserver::range");
}

// Given: the constructor checks and stores its arguments; not part of a task.
MovingAverageMinMaxObserver::MovingAverageMinMaxObserver(float momentum) : momentum_(momentum) {
  if (!(momentum > 0.0F && momentum <= 1.0F)) {
    throw value_error("MovingAverageMinMaxObserver: momentum must be in (0, 1], got " + std::to_string(momentum));
  }
}

void MovingAverageMinMaxObserver::observe(const Tensor& x) {
  // TODO(17.3): first batch sets the range; then r += momentum · (batch - r) for min and max.
  TT_UNIMPLEMENTED("17.3 MovingAverageMinMaxObserver::observe");
}

Range MovingAverageMinMaxObserver::range() const {
  // TODO(17.3): as MinMaxObserver::range.
  TT_UNIMPLEMENTED("17.3 MovingAverageMinMaxObserver::range");
}

// Given: the constructor checks and stores its arguments; not part of a task.
SamplingObserver::SamplingObserver(std::size_t max_samples) : max_samples_(max_samples) {
  if (max_samples == 0) throw value_error("SamplingObserver: max_samples must be >= 1");
}

void SamplingObserver::observe(const Tensor& x) {
  // Check for NaN/Inf (value_error). Append values while there is room; beyond max_samples_
  // use reservoir sampling (algorithm R): the t-th value seen replaces samples_[j] for a
  // random j in [0, t) when j < max_samples_. Use rng_state_ (e.g. splitmix64) so that runs
  // repeat exactly.
  // TODO(17.3): keep a sample of the values.
  TT_UNIMPLEMENTED("17.3 SamplingObserver::observe");
}

// Given: the constructor checks and stores its arguments; not part of a task.
PercentileObserver::PercentileObserver(double percentile, std::size_t max_samples)
    : SamplingObserver(max_samples), percentile_(percentile) {
  if (!(percentile > 50.0 && percentile <= 100.0)) {
    throw value_error("PercentileObserver: percentile must be in (50, 100], got " + std::to_string(percentile));
  }
}

// Given: text for reports and messages, not part of a task.
std::string PercentileObserver::name() const {
  std::ostringstream s;
  s << "percentile(" << percentile_ << ")";
  return s.str();
}

Range PercentileObserver::range() const {
  // Nearest rank on the sorted sample: index round(p / 100 · (n - 1)) for the max and the
  // same with 100 - p for the min. std::nth_element finds one rank without a full sort.
  // TODO(17.3): the percentile range.
  TT_UNIMPLEMENTED("17.3 PercentileObserver::range");
}

// Given: the constructor checks and stores its arguments; not part of a task.
MseObserver::MseObserver(int steps, std::size_t max_samples) : SamplingObserver(max_samples), steps_(steps) {
  if (steps < 1) throw value_error("MseObserver: steps must be >= 1, got " + std::to_string(steps));
}

double MseObserver::quantization_mse(const std::vector<float>& values, float lo, float hi) {
  // TODO(17.3): mean of (dequantize(quantize(v)) - v)² with choose_qparams(lo, hi, affine).
  TT_UNIMPLEMENTED("17.3 MseObserver::quantization_mse");
}

Range MseObserver::range() const {
  // Two scans as the header describes (max first, then min); keep only strict improvements.
  // TODO(17.3): the MSE-minimizing clipping range.
  TT_UNIMPLEMENTED("17.3 MseObserver::range");
}

}  // namespace tt::quant
