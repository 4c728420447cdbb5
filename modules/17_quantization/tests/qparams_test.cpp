// Tests for 17.1: scale and zero point from a range, and quantizing single values.
// Not tests of whole tensors (quantizer_test.cpp).
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "tt/quant/qparams.hpp"

using namespace tt::quant;

TEST_CASE("choose_qparams spans the range and puts 0.0 exactly on the zero point", "[m17][17.1][points=2]") {
  SECTION("affine [-1, 3]: scale 4/255, zero point round(-128 + 63.75) = -64") {
    const QParams p = choose_qparams(-1.0F, 3.0F, Scheme::affine);
    CHECK(p.scale == Approx(4.0 / 255.0).epsilon(1e-6));
    CHECK(p.zero_point == -64);
  }
  SECTION("a positive range is widened to [0, max]: zero point -128") {
    const QParams p = choose_qparams(0.5F, 2.0F, Scheme::affine);
    CHECK(p.scale == Approx(2.0 / 255.0).epsilon(1e-6));
    CHECK(p.zero_point == -128);
  }
  SECTION("a negative range is widened to [min, 0]: zero point 127") {
    const QParams p = choose_qparams(-3.0F, -1.0F, Scheme::affine);
    CHECK(p.scale == Approx(3.0 / 255.0).epsilon(1e-6));
    CHECK(p.zero_point == 127);
  }
  SECTION("symmetric [-2, 1]: scale 2/127, zero point 0") {
    const QParams p = choose_qparams(-2.0F, 1.0F, Scheme::symmetric);
    CHECK(p.scale == Approx(2.0 / 127.0).epsilon(1e-6));
    CHECK(p.zero_point == 0);
  }
  SECTION("degenerate ranges: all zero, and constants one step from the zero point") {
    const QParams z = choose_qparams(0.0F, 0.0F, Scheme::affine);
    CHECK(z.scale == 1.0F);
    CHECK(z.zero_point == 0);
    const QParams c = choose_qparams(2.5F, 2.5F, Scheme::affine);
    CHECK(c.scale == 2.5F);
    CHECK(c.zero_point == -128);
    const QParams n = choose_qparams(-4.0F, -4.0F, Scheme::affine);
    CHECK(n.scale == 4.0F);
    CHECK(n.zero_point == 127);
    const QParams s = choose_qparams(2.5F, 2.5F, Scheme::symmetric);
    CHECK(s.scale == 2.5F);
    CHECK(s.zero_point == 0);
  }
  SECTION("0.0 maps to the zero point and back to exactly 0.0") {
    for (const auto& [lo, hi] : {std::pair{-1.0F, 3.0F}, {0.3F, 7.0F}, {-5.0F, -0.1F}, {-0.37F, 0.91F}}) {
      const QParams p = choose_qparams(lo, hi, Scheme::affine);
      CHECK(quantize_value(0.0F, p) == p.zero_point);
      CHECK(dequantize_value(quantize_value(0.0F, p), p) == 0.0F);
    }
  }
}

TEST_CASE("quantize_value rounds half away from zero and saturates at -128 and 127", "[m17][17.1][points=1]") {
  const QParams half{0.5F, 0};
  CHECK(quantize_value(0.25F, half) == 1);  // 0.5 → 1 (half-to-even would give 0)
  CHECK(quantize_value(-0.25F, half) == -1);
  CHECK(quantize_value(0.74F, half) == 1);
  CHECK(quantize_value(0.76F, half) == 2);
  CHECK(quantize_value(1000.0F, half) == 127);
  CHECK(quantize_value(-1000.0F, half) == -128);
  CHECK(quantize_value(std::numeric_limits<float>::infinity(), half) == 127);
  const QParams shifted{0.25F, 10};
  CHECK(quantize_value(1.0F, shifted) == 14);
  CHECK(quantize_value(-40.0F, shifted) == -128);  // -160 + 10 saturates
  CHECK(dequantize_value(14, shifted) == 1.0F);
  CHECK(dequantize_value(-128, shifted) == -34.5F);
}

TEST_CASE("choose_qparams and quantize_value reject NaN, Inf and inverted ranges", "[m17][17.1][points=1]") {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  REQUIRE_THROWS_AS(choose_qparams(nan, 1.0F), tt::value_error);
  REQUIRE_THROWS_AS(choose_qparams(0.0F, inf), tt::value_error);
  REQUIRE_THROWS_AS(choose_qparams(-inf, 0.0F, Scheme::symmetric), tt::value_error);
  REQUIRE_THROWS_AS(choose_qparams(2.0F, 1.0F), tt::value_error);
  REQUIRE_THROWS_AS(quantize_value(nan, QParams{1.0F, 0}), tt::value_error);
}
