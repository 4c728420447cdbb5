// Your code for 17.4: fixed-point multipliers and requantization of int32 accumulators to int8.
// Not floating point at run time: quantize_multiplier runs once per layer, the rest is integer.
#include <algorithm>
#include <cmath>
#include <string>

#include "tt/errors.hpp"
#include "tt/quant/requantize.hpp"

namespace tt::quant {

// Given: bookkeeping, not part of a task.
double FixedPointMultiplier::real() const { return std::ldexp(static_cast<double>(multiplier), -(31 + shift)); }

FixedPointMultiplier quantize_multiplier(double real_multiplier) {
  // std::frexp splits M into q · 2^e, q in [0.5, 1). Watch the edge where round(q · 2^31)
  // reaches 2^31 (it does not fit in int32).
  // TODO(17.4): multiplier and shift.
  TT_UNIMPLEMENTED("17.4 quantize_multiplier");
}

std::int32_t multiply_by_quantized_multiplier(std::int32_t x, FixedPointMultiplier m) {
  // The 64-bit product x · multiplier, then a rounding right shift by 31 + shift: add half of
  // the divisor to the magnitude, shift, restore the sign (half away from zero). Saturate to
  // int32 for multipliers >= 1.
  // TODO(17.4): one correctly rounded fixed-point multiply.
  TT_UNIMPLEMENTED("17.4 multiply_by_quantized_multiplier");
}

std::int8_t requantize(std::int32_t acc, FixedPointMultiplier m, std::int32_t zero_point, std::int32_t lo,
                       std::int32_t hi) {
  // value_error unless -128 <= lo <= hi <= 127; add the zero point in 64 bits, then clamp.
  // TODO(17.4): requantize one accumulator.
  TT_UNIMPLEMENTED("17.4 requantize");
}

}  // namespace tt::quant
