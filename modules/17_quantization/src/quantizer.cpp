// Your code for 17.2: the Quantizer (affine/symmetric, per-tensor/per-channel), quantize and dequantize.
// Not calibration (observers.cpp): the range here is the exact min and max of the tensor given.
#include <algorithm>
#include <cmath>
#include <string>

#include "tt/quant/qparams.hpp"

namespace tt::quant {

// Hint for every function below: view the tensor as (outer, channels, inner) around the axis
// (per-tensor: channels = 1, inner = size). Element i then belongs to channel
// (i / inner) % channels, and each channel's values come in runs of `inner` contiguous floats.

Quantizer::Quantizer(Scheme scheme, std::optional<std::size_t> axis) : scheme_(scheme), axis_(axis) {}

QuantParams Quantizer::fit(const Tensor& x) const {
  // Empty tensor or axis out of range: shape_error. NaN/Inf anywhere: value_error naming the
  // element. Then min and max per channel → choose_qparams(min, max, scheme_).
  // TODO(17.2): parameters per tensor or per channel.
  TT_UNIMPLEMENTED("17.2 Quantizer::fit");
}

QTensor Quantizer::quantize(const Tensor& x) const {
  // TODO(17.2): fit, then quantize_with.
  TT_UNIMPLEMENTED("17.2 Quantizer::quantize");
}

// Given: bookkeeping, not part of a task.
TensorI8 Quantizer::quantize_with(const Tensor& x, const QuantParams& p) {
  TensorI8 q;
  quantize_into(x, p, q);
  return q;
}

void Quantizer::quantize_into(const Tensor& x, const QuantParams& p, TensorI8& out) {
  // Check that p has one pair per channel (shape_error) and that x is finite (value_error).
  // Reuse out's storage when out.size() == x.size() (out.reshape(x.shape())), else allocate.
  // The layers call this on every batch of activations: keep the inner loop simple (no
  // per-element function call, no early exit) so the compiler can vectorize it — or write it
  // with AVX-512 intrinsics (GCC will not vectorize std::trunc/std::round by itself).
  // TODO(17.2): quantize every element with its channel's parameters.
  TT_UNIMPLEMENTED("17.2 Quantizer::quantize_into");
}

Tensor Quantizer::dequantize(const TensorI8& q, const QuantParams& p) {
  // TODO(17.2): scale · (q - zero_point) with each element's channel parameters.
  TT_UNIMPLEMENTED("17.2 Quantizer::dequantize");
}

}  // namespace tt::quant
