// Reference for 17.1: scale and zero point from a float range, and quantizing one value.
// Not the tensor-level Quantizer (quantizer.cpp).
#include <algorithm>
#include <cmath>
#include <string>

#include "tt/quant/qparams.hpp"

namespace tt::quant {

std::string to_string(Scheme s) { return s == Scheme::affine ? "affine" : "symmetric"; }

QParams choose_qparams(float min, float max, Scheme scheme) {
  if (!std::isfinite(min) || !std::isfinite(max)) {
    throw value_error("choose_qparams: the range must be finite, got [" + std::to_string(min) + ", " +
                      std::to_string(max) + "]; check the data for NaN/Inf");
  }
  if (min > max) {
    throw value_error("choose_qparams: expected min <= max, got min " + std::to_string(min) + " > max " +
                      std::to_string(max));
  }
  if (min == 0.0F && max == 0.0F) return {1.0F, 0};
  if (min == max) {
    // A constant: c sits one step from the zero point, so it round-trips exactly.
    const float c = min;
    if (scheme == Scheme::symmetric) return {std::fabs(c), 0};
    return c > 0 ? QParams{c, kQMin} : QParams{-c, kQMax};
  }
  // Widen to include 0, so that 0.0 is exactly an integer (zero padding, ReLU zeros).
  const float lo = std::min(min, 0.0F);
  const float hi = std::max(max, 0.0F);
  if (scheme == Scheme::symmetric) {
    const float amax = std::max(-lo, hi);
    return {amax / static_cast<float>(kQSymMax), 0};
  }
  const float scale = (hi - lo) / static_cast<float>(kQMax - kQMin);
  const double zp = std::round(static_cast<double>(kQMin) - static_cast<double>(lo) / scale);
  return {scale, static_cast<std::int32_t>(std::clamp(zp, static_cast<double>(kQMin), static_cast<double>(kQMax)))};
}

std::int8_t quantize_value(float x, QParams p) {
  if (std::isnan(x)) throw value_error("quantize_value: NaN cannot be quantized; check the data");
  const float q = std::round(x / p.scale) + static_cast<float>(p.zero_point);
  return static_cast<std::int8_t>(std::clamp(q, static_cast<float>(kQMin), static_cast<float>(kQMax)));
}

float dequantize_value(std::int8_t q, QParams p) {
  return p.scale * static_cast<float>(static_cast<std::int32_t>(q) - p.zero_point);
}

}  // namespace tt::quant
