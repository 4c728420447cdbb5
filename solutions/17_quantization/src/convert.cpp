// Reference for 17.7: post-training static quantization (calibrate, convert every Linear/Conv2d, report).
// Not a general graph rewriter: only the top-level layers of a Sequential are replaced.
#include <cmath>
#include <iomanip>
#include <limits>
#include <sstream>

#include <xtensor/xview.hpp>

#include "tt/quant/convert.hpp"
#include "tt/tracking.hpp"

namespace tt::quant {
namespace {

bool quantizable(Sequential& model, std::size_t i) {
  return model.as<Linear>(i) != nullptr || model.as<Conv2d>(i) != nullptr;
}

Tensor rows(const Tensor& images, std::size_t begin, std::size_t end) {
  return xt::view(images, xt::range(begin, end));
}

}  // namespace

double sqnr_db(const Tensor& reference, const Tensor& approx) {
  check_same_shape(reference, approx, "sqnr_db");
  double signal = 0, noise = 0;
  for (std::size_t i = 0; i < reference.size(); ++i) {
    const double r = reference.flat(i), d = r - static_cast<double>(approx.flat(i));
    signal += r * r;
    noise += d * d;
  }
  if (noise == 0) return std::numeric_limits<double>::infinity();
  return 10.0 * std::log10(signal / noise);
}

std::map<std::size_t, Range> calibrate(Sequential& model, const Tensor& images, const Observer& prototype,
                                       std::size_t batch_size) {
  if (batch_size == 0) throw value_error("calibrate: batch_size must be >= 1");
  if (images.dimension() == 0 || images.shape()[0] == 0) {
    throw shape_error("calibrate: expected a non-empty batch of calibration images (N, ...), got " + shape_of(images));
  }
  EvalModeGuard eval(model);
  std::map<std::size_t, std::unique_ptr<Observer>> observers;
  for (std::size_t i = 0; i < model.size(); ++i) {
    if (quantizable(model, i)) observers[i] = prototype.clone();
  }
  const std::size_t n = images.shape()[0];
  for (std::size_t b = 0; b < n; b += batch_size) {
    Tensor x = rows(images, b, std::min(n, b + batch_size));
    for (std::size_t i = 0; i < model.size(); ++i) {
      if (auto it = observers.find(i); it != observers.end()) it->second->observe(x);
      x = model.at(i).forward(x);
    }
  }
  std::map<std::size_t, Range> ranges;
  for (const auto& [i, obs] : observers) ranges[i] = obs->range();
  return ranges;
}

std::size_t PtqReport::bytes_before() const {
  std::size_t s = 0;
  for (const auto& l : layers) s += l.bytes_before;
  return s;
}

std::size_t PtqReport::bytes_after() const {
  std::size_t s = 0;
  for (const auto& l : layers) s += l.bytes_after;
  return s;
}

double PtqReport::size_ratio() const {
  std::size_t fp = 0, q = 0;
  for (const auto& l : layers) {
    fp += l.weight_bytes_fp32;
    q += l.weight_bytes_int8;
  }
  return q == 0 ? 0.0 : static_cast<double>(fp) / static_cast<double>(q);
}

std::string PtqReport::summary() const {
  std::ostringstream s;
  s << std::fixed << std::setprecision(1);
  for (const auto& l : layers) {
    s << l.index << "  " << l.before << " -> " << l.after << "  bytes " << l.bytes_before << " -> " << l.bytes_after
      << "  weights " << l.weight_bytes_fp32 << " -> " << l.weight_bytes_int8 << "  SQNR " << l.sqnr << " dB\n";
  }
  return s.str();
}

PtqReport quantize_model(Sequential& model, const Dataset& calibration, const PtqOptions& options) {
  if (calibration.size() == 0) throw value_error("quantize_model: the calibration set is empty");
  if (options.calibration_batches == 0 || options.batch_size == 0) {
    throw value_error("quantize_model: calibration_batches and batch_size must be >= 1");
  }
  const MinMaxObserver default_observer;
  const Observer& proto = options.observer != nullptr ? *options.observer : default_observer;
  const std::size_t n = std::min(calibration.size(), options.calibration_batches * options.batch_size);
  const Tensor& all = calibration.images;
  const Tensor images = rows(all, 0, n);
  const std::map<std::size_t, Range> ranges = calibrate(model, images, proto, options.batch_size);

  EvalModeGuard eval(model);
  // The fp32 input and output of every quantizable layer on the first batch (for SQNR).
  std::map<std::size_t, std::pair<Tensor, Tensor>> probe;
  {
    Tensor x = rows(images, 0, std::min(n, options.batch_size));
    for (std::size_t i = 0; i < model.size(); ++i) {
      Tensor y = model.at(i).forward(x);
      if (ranges.count(i) != 0) probe[i] = {x, y};
      x = std::move(y);
    }
  }

  PtqReport report;
  for (const auto& [i, range] : ranges) {
    LayerReport lr;
    lr.index = i;
    lr.input_range = range;
    lr.before = model.at(i).describe();
    const QParams in = choose_qparams(range.min, range.max, Scheme::affine);
    const std::size_t live0 = tracking::live_bytes();
    std::unique_ptr<Module> q;
    if (auto* lin = model.as<Linear>(i)) {
      lr.weight_bytes_fp32 = lin->weight.value.size() * sizeof(float);
      auto ql = std::make_unique<QuantizedLinear>(*lin, in, options.per_channel_weights);
      lr.weight_bytes_int8 = ql->weight_bytes();
      q = std::move(ql);
    } else {
      auto* conv = model.as<Conv2d>(i);
      lr.weight_bytes_fp32 = conv->weight.value.size() * sizeof(float);
      auto qc = std::make_unique<QuantizedConv2d>(*conv, in, options.per_channel_weights);
      lr.weight_bytes_int8 = qc->weight_bytes();
      q = std::move(qc);
    }
    const std::size_t live1 = tracking::live_bytes();
    lr.bytes_after = live1 > live0 ? live1 - live0 : 0;
    lr.after = q->describe();
    {
      std::unique_ptr<Module> old = model.replace(i, std::move(q));
      const std::size_t before_free = tracking::live_bytes();
      old.reset();
      const std::size_t after_free = tracking::live_bytes();
      lr.bytes_before = before_free > after_free ? before_free - after_free : 0;
    }
    const auto& [x, y] = probe.at(i);
    lr.sqnr = sqnr_db(y, model.at(i).forward(x));
    report.layers.push_back(std::move(lr));
  }
  return report;
}

}  // namespace tt::quant
