// Reference for 17.4: fixed-point multipliers and requantization of int32 accumulators to int8.
// Not floating point at run time: quantize_multiplier runs once per layer, the rest is integer.
#include <algorithm>
#include <cmath>
#include <string>

#include "tt/errors.hpp"
#include "tt/quant/requantize.hpp"

namespace tt::quant {

double FixedPointMultiplier::real() const { return std::ldexp(static_cast<double>(multiplier), -(31 + shift)); }

FixedPointMultiplier quantize_multiplier(double real_multiplier) {
  if (!std::isfinite(real_multiplier) || real_multiplier <= 0.0 || real_multiplier >= 0x1p30) {
    throw value_error("quantize_multiplier: expected a finite multiplier in (0, 2^30), got " +
                      std::to_string(real_multiplier));
  }
  int e = 0;
  const double q = std::frexp(real_multiplier, &e);  // real = q · 2^e, q in [0.5, 1)
  auto m = static_cast<std::int64_t>(std::llround(q * 0x1p31));
  if (m == (std::int64_t{1} << 31)) {
    m /= 2;
    ++e;
  }
  if (31 - e > 62) return {0, 0};  // below 2^-31: every int32 product rounds to 0
  return {static_cast<std::int32_t>(m), -e};
}

std::int32_t multiply_by_quantized_multiplier(std::int32_t x, FixedPointMultiplier m) {
  if (m.multiplier == 0) return 0;
  const int s = 31 + m.shift;  // in [1, 62] by construction
  const std::int64_t prod = static_cast<std::int64_t>(x) * m.multiplier;
  const std::int64_t half = std::int64_t{1} << (s - 1);
  // Round half away from zero: round the magnitude, restore the sign.
  const std::int64_t r = prod >= 0 ? (prod + half) >> s : -((-prod + half) >> s);
  return static_cast<std::int32_t>(std::clamp<std::int64_t>(r, INT32_MIN, INT32_MAX));
}

std::int8_t requantize(std::int32_t acc, FixedPointMultiplier m, std::int32_t zero_point, std::int32_t lo,
                       std::int32_t hi) {
  if (lo > hi || lo < -128 || hi > 127) {
    throw value_error("requantize: expected -128 <= lo <= hi <= 127, got lo " + std::to_string(lo) + ", hi " +
                      std::to_string(hi));
  }
  const std::int64_t v = static_cast<std::int64_t>(zero_point) + multiply_by_quantized_multiplier(acc, m);
  return static_cast<std::int8_t>(std::clamp<std::int64_t>(v, lo, hi));
}

}  // namespace tt::quant
