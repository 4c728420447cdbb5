// Reference for 17.3: calibration observers (min-max, moving average, percentile, MSE clipping search).
// Not the conversion that uses them (convert.cpp).
#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <string>

#include "tt/quant/observers.hpp"

namespace tt::quant {
namespace {

Range batch_range(const Tensor& x, const std::string& who) {
  Range r{std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity()};
  for (std::size_t i = 0; i < x.size(); ++i) {
    const float v = x.flat(i);
    if (!std::isfinite(v)) {
      throw value_error(who + "::observe: element " + std::to_string(i) + " is " + std::to_string(v) +
                        "; calibration data must be finite (check the model for NaN/Inf)");
    }
    r.min = std::min(r.min, v);
    r.max = std::max(r.max, v);
  }
  return r;
}

[[noreturn]] void nothing_observed(const std::string& who) {
  throw error(who + "::range: nothing observed yet; call observe() with calibration batches first");
}

}  // namespace

QParams Observer::qparams(Scheme scheme) const {
  const Range r = range();
  return choose_qparams(r.min, r.max, scheme);
}

void MinMaxObserver::observe(const Tensor& x) {
  if (x.size() == 0) return;
  const Range b = batch_range(x, "MinMaxObserver");
  if (!seen_) {
    r_ = b;
    seen_ = true;
  } else {
    r_.min = std::min(r_.min, b.min);
    r_.max = std::max(r_.max, b.max);
  }
}

Range MinMaxObserver::range() const {
  if (!seen_) nothing_observed("MinMaxObserver");
  return r_;
}

MovingAverageMinMaxObserver::MovingAverageMinMaxObserver(float momentum) : momentum_(momentum) {
  if (!(momentum > 0.0F && momentum <= 1.0F)) {
    throw value_error("MovingAverageMinMaxObserver: momentum must be in (0, 1], got " + std::to_string(momentum));
  }
}

void MovingAverageMinMaxObserver::observe(const Tensor& x) {
  if (x.size() == 0) return;
  const Range b = batch_range(x, "MovingAverageMinMaxObserver");
  if (!seen_) {
    r_ = b;
    seen_ = true;
  } else {
    r_.min += momentum_ * (b.min - r_.min);
    r_.max += momentum_ * (b.max - r_.max);
  }
}

Range MovingAverageMinMaxObserver::range() const {
  if (!seen_) nothing_observed("MovingAverageMinMaxObserver");
  return r_;
}

SamplingObserver::SamplingObserver(std::size_t max_samples) : max_samples_(max_samples) {
  if (max_samples == 0) throw value_error("SamplingObserver: max_samples must be >= 1");
}

void SamplingObserver::observe(const Tensor& x) {
  if (x.size() == 0) return;
  batch_range(x, name());  // NaN/Inf check
  for (std::size_t i = 0; i < x.size(); ++i) {
    ++seen_;
    if (samples_.size() < max_samples_) {
      samples_.push_back(x.flat(i));
      continue;
    }
    // Reservoir sampling (algorithm R) with a splitmix64 stream: every value seen so far is
    // kept with probability max_samples / seen.
    rng_state_ += 0x9E3779B97F4A7C15ULL;
    std::uint64_t z = rng_state_;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    const std::size_t j = z % seen_;
    if (j < max_samples_) samples_[j] = x.flat(i);
  }
}

PercentileObserver::PercentileObserver(double percentile, std::size_t max_samples)
    : SamplingObserver(max_samples), percentile_(percentile) {
  if (!(percentile > 50.0 && percentile <= 100.0)) {
    throw value_error("PercentileObserver: percentile must be in (50, 100], got " + std::to_string(percentile));
  }
}

std::string PercentileObserver::name() const {
  std::ostringstream s;
  s << "percentile(" << percentile_ << ")";
  return s.str();
}

Range PercentileObserver::range() const {
  if (samples_.empty()) nothing_observed("PercentileObserver");
  std::vector<float> v = samples_;
  const std::size_t n = v.size();
  const auto rank = [&](double p) {
    return static_cast<std::size_t>(std::llround(p / 100.0 * static_cast<double>(n - 1)));
  };
  const std::size_t hi_i = rank(percentile_);
  const std::size_t lo_i = rank(100.0 - percentile_);
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(hi_i), v.end());
  const float hi = v[hi_i];
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(lo_i), v.end());
  const float lo = v[lo_i];
  return {lo, hi};
}

MseObserver::MseObserver(int steps, std::size_t max_samples) : SamplingObserver(max_samples), steps_(steps) {
  if (steps < 1) throw value_error("MseObserver: steps must be >= 1, got " + std::to_string(steps));
}

double MseObserver::quantization_mse(const std::vector<float>& values, float lo, float hi) {
  if (values.empty()) return 0;
  const QParams p = choose_qparams(lo, hi, Scheme::affine);
  double sum = 0;
  for (const float v : values) {
    const double e = static_cast<double>(dequantize_value(quantize_value(v, p), p)) - v;
    sum += e * e;
  }
  return sum / static_cast<double>(values.size());
}

Range MseObserver::range() const {
  if (samples_.empty()) nothing_observed("MseObserver");
  const auto extremes = std::minmax_element(samples_.begin(), samples_.end());
  const float mn = *extremes.first;
  const float mx = *extremes.second;
  // One pass of coordinate descent: the best max (min fixed), then the best min (max fixed).
  // Scanning a upwards and keeping only strict improvements picks the smallest a among equals.
  const auto search = [&](auto candidate) {
    Range best = candidate(1.0F);
    double best_mse = std::numeric_limits<double>::infinity();
    for (int i = 1; i <= steps_; ++i) {
      const Range r = candidate(static_cast<float>(i) / static_cast<float>(steps_));
      const double mse = quantization_mse(samples_, r.min, r.max);
      if (mse < best_mse) {
        best_mse = mse;
        best = r;
      }
    }
    return best;
  };
  const Range hi = search([&](float a) { return Range{mn, a * mx}; });
  return search([&](float a) { return Range{a * mn, hi.max}; });
}

}  // namespace tt::quant
