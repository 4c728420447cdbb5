// Part 4 of module 17: integer-only requantization of int32 accumulators to int8 (fixed-point multiplier + shift).
// Not floating point: production int8 inference never leaves the integers between layers.
#pragma once

#include <cstdint>

namespace tt::quant {

// A positive real multiplier M ≈ multiplier · 2^-(31 + shift), multiplier in [2^30, 2^31)
// (or 0 for a multiplier too small to matter).
struct FixedPointMultiplier {
  std::int32_t multiplier = 0;
  int shift = 0;  // right shift beyond the 31 fraction bits; negative for M >= 1
  double real() const;
};

// 17.4 — M = q · 2^e with q in [0.5, 1) (std::frexp): multiplier = round(q · 2^31) (if that is
// 2^31: halve it and e += 1), shift = -e. M must be finite, > 0 and < 2^30 (value_error);
// M < 2^-31 gives {0, 0} (every product rounds to 0).
FixedPointMultiplier quantize_multiplier(double real_multiplier);

// 17.4 — round(x · multiplier / 2^(31 + shift)) with a 64-bit product and ONE rounding step,
// half away from zero (gemmlowp rounds twice; we round once, so the result is the correctly
// rounded value of x · m.real()).
std::int32_t multiply_by_quantized_multiplier(std::int32_t x, FixedPointMultiplier m);

// 17.4 — int32 accumulator → int8: clamp(zero_point + multiply_by_quantized_multiplier(acc, m),
// lo, hi) with [lo, hi] ⊆ [-128, 127] (pass lo = zero_point to fuse a ReLU).
std::int8_t requantize(std::int32_t acc, FixedPointMultiplier m, std::int32_t zero_point, std::int32_t lo = -128,
                       std::int32_t hi = 127);

}  // namespace tt::quant
