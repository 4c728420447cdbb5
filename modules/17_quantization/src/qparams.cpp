// Your code for 17.1: scale and zero point from a float range, and quantizing one value.
// Not the tensor-level Quantizer (quantizer.cpp, 17.2).
#include <algorithm>
#include <cmath>
#include <string>

#include "tt/quant/qparams.hpp"

namespace tt::quant {

// Given: text for reports and messages, not part of a task.
std::string to_string(Scheme s) { return s == Scheme::affine ? "affine" : "symmetric"; }

QParams choose_qparams(float min, float max, Scheme scheme) {
  // Check the bounds first (finite, min <= max: value_error otherwise). Handle the two
  // degenerate ranges exactly as the header says. Then widen [min, max] to include 0 and
  // spread it over the 256 (affine) or 2·127 (symmetric) steps. Work the README's example by
  // hand before you code it: [-1, 3] gives scale 4/255 and zero point -64.
  // TODO(17.1): compute scale and zero point.
  TT_UNIMPLEMENTED("17.1 choose_qparams");
}

std::int8_t quantize_value(float x, QParams p) {
  // round(x / scale) + zero_point, then saturate to [kQMin, kQMax]. std::round rounds half
  // away from zero; NaN has no int8 value (value_error).
  // TODO(17.1): quantize one value.
  TT_UNIMPLEMENTED("17.1 quantize_value");
}

float dequantize_value(std::int8_t q, QParams p) {
  // TODO(17.1): scale · (q - zero_point), in int32 before converting to float.
  TT_UNIMPLEMENTED("17.1 dequantize_value");
}

}  // namespace tt::quant
