// Part 3 of module 17: calibration observers that watch activations and choose a clipping range.
// Not quantizers: an observer only produces a range; choose_qparams turns it into scale and zero point.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tt/quant/qparams.hpp"

namespace tt::quant {

struct Range {
  float min = 0;
  float max = 0;
};

// Fed batches of activations with observe(); range() is the clipping range to quantize with.
class Observer {
 public:
  virtual ~Observer() = default;
  // "minmax", "moving_average", "percentile(99.99)", "mse"
  virtual std::string name() const = 0;
  // x: any shape. NaN or Inf → value_error; an empty tensor is ignored.
  virtual void observe(const Tensor& x) = 0;
  // The chosen range; tt::error if nothing has been observed yet.
  virtual Range range() const = 0;
  // A fresh observer of the same kind and settings (one per layer).
  virtual std::unique_ptr<Observer> clone() const = 0;
  // choose_qparams(range().min, range().max, scheme)
  QParams qparams(Scheme scheme = Scheme::affine) const;
};

// 17.3 — the running minimum and maximum of everything seen.
class MinMaxObserver : public Observer {
 public:
  std::string name() const override { return "minmax"; }
  void observe(const Tensor& x) override;
  Range range() const override;
  std::unique_ptr<Observer> clone() const override { return std::make_unique<MinMaxObserver>(); }

 private:
  bool seen_ = false;
  Range r_;
};

// 17.3 — exponential moving average of each batch's min and max:
// first batch sets the range; then r = r + momentum · (batch - r).
class MovingAverageMinMaxObserver : public Observer {
 public:
  explicit MovingAverageMinMaxObserver(float momentum = 0.1F);  // momentum in (0, 1] else value_error
  std::string name() const override { return "moving_average"; }
  void observe(const Tensor& x) override;
  Range range() const override;
  std::unique_ptr<Observer> clone() const override { return std::make_unique<MovingAverageMinMaxObserver>(momentum_); }

 private:
  float momentum_;
  bool seen_ = false;
  Range r_;
};

// Observers that keep a sample of the values they see (at most max_samples, reservoir
// sampling with a fixed seed beyond that): the percentile and MSE observers.
class SamplingObserver : public Observer {
 public:
  explicit SamplingObserver(std::size_t max_samples);
  void observe(const Tensor& x) override;
  const std::vector<float>& samples() const { return samples_; }

 protected:
  std::size_t max_samples_;
  std::size_t seen_ = 0;
  std::vector<float> samples_;
  std::uint64_t rng_state_ = 0x9E3779B97F4A7C15ULL;
};

// 17.3 — clips the tails: range = [the (100 - p)th percentile, the pth percentile] of the
// sample (nearest rank on the sorted sample: index round(p/100 · (n - 1))).
class PercentileObserver : public SamplingObserver {
 public:
  // percentile in (50, 100] else value_error
  explicit PercentileObserver(double percentile = 99.99, std::size_t max_samples = 1U << 20);
  std::string name() const override;
  Range range() const override;
  std::unique_ptr<Observer> clone() const override {
    return std::make_unique<PercentileObserver>(percentile_, max_samples_);
  }

 private:
  double percentile_;
};

// 17.3 — searches the clipping range that minimizes the mean squared quantization error
// (affine int8) of the sample, one side at a time: first max' = a·max for a = i / steps,
// i = 1..steps, with min fixed; then min' = a·min with max' fixed. Each scan keeps the
// smallest a among equal errors.
class MseObserver : public SamplingObserver {
 public:
  explicit MseObserver(int steps = 100, std::size_t max_samples = 1U << 16);
  std::string name() const override { return "mse"; }
  Range range() const override;
  std::unique_ptr<Observer> clone() const override { return std::make_unique<MseObserver>(steps_, max_samples_); }
  // Mean squared error of quantize-dequantize of `values` with the affine params of [lo, hi].
  static double quantization_mse(const std::vector<float>& values, float lo, float hi);

 private:
  int steps_;
};

}  // namespace tt::quant
