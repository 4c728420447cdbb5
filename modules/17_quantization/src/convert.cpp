// Your code for 17.7: post-training static quantization (calibrate, convert every Linear/Conv2d, report).
// Not a general graph rewriter: only the top-level layers of a Sequential are replaced.
#include <cmath>
#include <iomanip>
#include <limits>
#include <sstream>

#include <xtensor/xview.hpp>

#include "tt/quant/convert.hpp"
#include "tt/tracking.hpp"

namespace tt::quant {

double sqnr_db(const Tensor& reference, const Tensor& approx) {
  // check_same_shape, then 10·log10(Σ ref² / Σ (ref - approx)²) in double; +infinity when the
  // noise is exactly 0.
  // TODO(17.7): SQNR in dB.
  TT_UNIMPLEMENTED("17.7 sqnr_db");
}

std::map<std::size_t, Range> calibrate(Sequential& model, const Tensor& images, const Observer& prototype,
                                       std::size_t batch_size) {
  // Eval mode (restore the previous mode at the end, also on exceptions). One prototype.clone()
  // per layer that is a Linear or a Conv2d (model.as<Linear>(i)). For each batch
  // (xt::view(images, xt::range(b, e))), run the layers one by one with model.at(i).forward,
  // feeding each observer its layer's input.
  // TODO(17.7): layer index → observed input range.
  TT_UNIMPLEMENTED("17.7 calibrate");
}

// Given: bookkeeping, not part of a task.
std::size_t PtqReport::bytes_before() const {
  std::size_t s = 0;
  for (const auto& l : layers) s += l.bytes_before;
  return s;
}

// Given: bookkeeping, not part of a task.
std::size_t PtqReport::bytes_after() const {
  std::size_t s = 0;
  for (const auto& l : layers) s += l.bytes_after;
  return s;
}

// Given: bookkeeping, not part of a task.
double PtqReport::size_ratio() const {
  std::size_t fp = 0, q = 0;
  for (const auto& l : layers) {
    fp += l.weight_bytes_fp32;
    q += l.weight_bytes_int8;
  }
  return q == 0 ? 0.0 : static_cast<double>(fp) / static_cast<double>(q);
}

// Given: text for reports and messages, not part of a task.
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
  // 1. calibrate on the first calibration_batches · batch_size images (MinMaxObserver when
  //    options.observer is null);
  // 2. in eval mode, record the fp32 input and output of each quantizable layer on the first
  //    batch (for the SQNR);
  // 3. for each layer: QParams from its range (affine); build the QuantizedLinear or
  //    QuantizedConv2d, measuring tt::tracking::live_bytes() around the construction
  //    (bytes_after); model.replace(i, …) and measure what destroying the old layer frees
  //    (bytes_before); SQNR of the new layer's output on the recorded input.
  // TODO(17.7): post-training static quantization.
  TT_UNIMPLEMENTED("17.7 quantize_model");
}

}  // namespace tt::quant
