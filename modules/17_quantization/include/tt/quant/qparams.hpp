// Part 1–2 of module 17: the numbers of int8 quantization (scale, zero point) and the Quantizer.
// Not calibration (observers.hpp) and not kernels (gemm_i8.hpp): this maps float ranges to int8.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tt/tensor.hpp"

namespace tt::quant {

// The int8 range. Every quantized value is saturated to [kQMin, kQMax].
inline constexpr std::int32_t kQMin = -128;
inline constexpr std::int32_t kQMax = 127;
// Symmetric quantization uses [-kQSymMax, kQSymMax] so that +a and -a are both exact steps.
inline constexpr std::int32_t kQSymMax = 127;

// affine: real = scale · (q - zero_point), zero_point in [-128, 127] (any float range);
// symmetric: zero_point = 0, scale = max|x| / 127 (weights).
enum class Scheme { affine, symmetric };
std::string to_string(Scheme s);

// One scale and zero point.
struct QParams {
  float scale = 1.0F;
  std::int32_t zero_point = 0;
};

// 17.1 — scale and zero point for values in [min, max].
// The range is first widened to include 0, so 0.0 is exactly the integer zero_point.
// affine:    scale = (max - min) / 255, zero_point = round(-128 - min / scale), clamped to [-128, 127]
// symmetric: scale = max(|min|, |max|) / 127, zero_point = 0
// Degenerate ranges round-trip exactly: an all-zero range gives {scale 1, zero point 0}; a
// constant range min == max = c ≠ 0 gives scale |c| (c is one step from the zero point:
// affine zero point -128 for c > 0, 127 for c < 0).
// Throws value_error for NaN/Inf bounds or min > max.
QParams choose_qparams(float min, float max, Scheme scheme = Scheme::affine);

// 17.1 — one value: q = clamp(round(x / scale) + zero_point, -128, 127), rounding half away
// from zero (std::round); NaN → value_error, ±Inf saturate. dequantize_value: scale · (q - zero_point).
std::int8_t quantize_value(float x, QParams p);
float dequantize_value(std::int8_t q, QParams p);

// The quantization parameters of a whole tensor: one QParams (per-tensor) or one per index
// along `axis` (per-channel, e.g. axis 0 of a (out, in) weight).
struct QuantParams {
  Scheme scheme = Scheme::affine;
  std::optional<std::size_t> axis;  // empty: per-tensor
  std::vector<QParams> params;      // 1 (per-tensor) or shape[axis] entries
  bool per_channel() const { return axis.has_value(); }
  // Bytes this metadata takes when stored (a float scale and an int32 zero point each).
  std::size_t bytes() const { return params.size() * (sizeof(float) + sizeof(std::int32_t)); }
};

// An int8 tensor and the parameters that map it back to float.
struct QTensor {
  TensorI8 values;
  QuantParams params;
  // Bytes held: the int8 values plus scales and zero points.
  std::size_t bytes() const { return values.size() * sizeof(std::int8_t) + params.bytes(); }
};

// 17.2 — FP32 → INT8 conversion with a fixed scheme and granularity.
class Quantizer {
 public:
  // axis empty: per-tensor; else per-channel along that axis.
  explicit Quantizer(Scheme scheme = Scheme::affine, std::optional<std::size_t> axis = std::nullopt);

  // Parameters from the min and max of x (per tensor, or per slice along the axis).
  // Throws value_error if x holds NaN or Inf, shape_error if x is empty or axis >= x.dimension().
  QuantParams fit(const Tensor& x) const;
  // fit(x), then quantize x with those parameters.
  QTensor quantize(const Tensor& x) const;

  // x quantized elementwise with p (p.params.size() must match x's extent along p.axis, else
  // shape_error; NaN/Inf → value_error). x: any shape → same shape, int8.
  static TensorI8 quantize_with(const Tensor& x, const QuantParams& p);
  // The same into `out`, reusing its storage when it already has x's size (layers call this on
  // every batch; fresh allocations cost page faults). out gets x's shape.
  static void quantize_into(const Tensor& x, const QuantParams& p, TensorI8& out);
  // q: any shape → float tensor of the same shape.
  static Tensor dequantize(const TensorI8& q, const QuantParams& p);
  static Tensor dequantize(const QTensor& q) { return dequantize(q.values, q.params); }

  Scheme scheme() const { return scheme_; }
  std::optional<std::size_t> axis() const { return axis_; }

 private:
  Scheme scheme_;
  std::optional<std::size_t> axis_;
};

}  // namespace tt::quant
