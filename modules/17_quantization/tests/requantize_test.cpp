// Tests for 17.4: fixed-point multipliers and integer requantization (rounding, saturation).
// Not tests of the GEMM (gemm_i8_test.cpp).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>

#include "tt/errors.hpp"
#include "tt/quant/requantize.hpp"

using namespace tt::quant;

TEST_CASE("quantize_multiplier normalizes M into 2^30 <= M < 2^31 with a shift", "[m17][17.4][points=1]") {
  const FixedPointMultiplier half = quantize_multiplier(0.5);
  CHECK(half.multiplier == (1 << 30));
  CHECK(half.shift == 0);
  CHECK(half.real() == 0.5);
  const FixedPointMultiplier tenth = quantize_multiplier(0.1);  // 0.8 · 2^-3
  CHECK(tenth.multiplier == 1717986918);                        // round(0.8 · 2^31)
  CHECK(tenth.shift == 3);
  const FixedPointMultiplier three = quantize_multiplier(3.0);  // 0.75 · 2^2
  CHECK(three.multiplier == 1610612736);
  CHECK(three.shift == -2);
  CHECK(quantize_multiplier(1e-12).multiplier == 0);
  REQUIRE_THROWS_AS(quantize_multiplier(0.0), tt::value_error);
  REQUIRE_THROWS_AS(quantize_multiplier(-0.5), tt::value_error);
  REQUIRE_THROWS_AS(quantize_multiplier(std::nan("")), tt::value_error);
  REQUIRE_THROWS_AS(quantize_multiplier(std::ldexp(1.0, 31)), tt::value_error);
}

TEST_CASE("multiply_by_quantized_multiplier rounds once, half away from zero", "[m17][17.4][points=1]") {
  const FixedPointMultiplier half = quantize_multiplier(0.5);
  CHECK(multiply_by_quantized_multiplier(3, half) == 2);    //  1.5
  CHECK(multiply_by_quantized_multiplier(-3, half) == -2);  // -1.5
  CHECK(multiply_by_quantized_multiplier(5, half) == 3);    //  2.5
  CHECK(multiply_by_quantized_multiplier(-5, half) == -3);
  CHECK(multiply_by_quantized_multiplier(4, half) == 2);
  CHECK(multiply_by_quantized_multiplier(std::numeric_limits<std::int32_t>::max(), half) == 1073741824);
  const FixedPointMultiplier quarter = quantize_multiplier(0.25);
  CHECK(multiply_by_quantized_multiplier(6, quarter) == 2);  // 1.5
  CHECK(multiply_by_quantized_multiplier(7, quarter) == 2);  // 1.75
  CHECK(multiply_by_quantized_multiplier(5, quarter) == 1);  // 1.25
  // 0.1 is stored as 1717986918 / 2^34 = 0.0999999999767: 15 · that is just below 1.5.
  const FixedPointMultiplier tenth = quantize_multiplier(0.1);
  CHECK(multiply_by_quantized_multiplier(15, tenth) == 1);
  CHECK(multiply_by_quantized_multiplier(-15, tenth) == -1);
  CHECK(multiply_by_quantized_multiplier(16, tenth) == 2);
  // Against exact arithmetic (long double holds the 62-bit products exactly) on random cases.
  std::mt19937_64 rng(11);
  std::uniform_int_distribution<std::int32_t> acc(-(1 << 24), 1 << 24);
  std::uniform_real_distribution<double> mult(-20.0, 2.0);
  for (int t = 0; t < 2000; ++t) {
    const FixedPointMultiplier m = quantize_multiplier(std::exp2(mult(rng)));
    const std::int32_t x = acc(rng);
    const long double exact = static_cast<long double>(x) * m.multiplier / std::ldexp(1.0L, 31 + m.shift);
    REQUIRE(multiply_by_quantized_multiplier(x, m) == static_cast<std::int32_t>(std::round(exact)));
  }
}

TEST_CASE("requantize adds the zero point and saturates to int8", "[m17][17.4][points=2]") {
  const FixedPointMultiplier half = quantize_multiplier(0.5);
  CHECK(requantize(100, half, 10) == 60);
  CHECK(requantize(-3, half, 10) == 8);  // -1.5 → -2, + 10
  CHECK(requantize(1000, half, 10) == 127);
  CHECK(requantize(-1000, half, 10) == -128);
  CHECK(requantize(std::numeric_limits<std::int32_t>::min(), half, 0) == -128);
  CHECK(requantize(-100, half, 10, 10) == 10);  // a fused ReLU: clamp at the zero point
  CHECK(requantize(300, half, -5, -128, 100) == 100);
  const FixedPointMultiplier big = quantize_multiplier(1000.0);
  CHECK(requantize(std::numeric_limits<std::int32_t>::max(), big, 0) == 127);
  CHECK(requantize(std::numeric_limits<std::int32_t>::min(), big, 0) == -128);
  REQUIRE_THROWS_AS(requantize(0, half, 0, 5, 4), tt::value_error);
  REQUIRE_THROWS_AS(requantize(0, half, 0, -129, 0), tt::value_error);
}
