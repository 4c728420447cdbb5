// Hidden tests of tasks 17.1 and 17.6 (instructor-only): int8 saturation of huge values, and all-zero weight rows.
// Not shipped to students (scripts/make-student-release drops tests/hidden/); the visible tests cover the ordinary cases.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include "quant_fixtures.hpp"
#include "tt/quant/quantized_layers.hpp"

using namespace tt::quant;
using tt::Tensor;
namespace qt = tt::quant::testing;

TEST_CASE("quantize_value saturates values far outside int32, not only outside int8", "[m17][17.1][points=1][hidden]") {
  const auto q = [](float x, QParams p) { return int{quantize_value(x, p)}; };  // prints as a number
  const float big = std::numeric_limits<float>::max();
  const QParams unit{1.0F, 0};
  CHECK(q(3e9F, unit) == 127);  // round(x / scale) does not fit an int32
  CHECK(q(-3e9F, unit) == -128);
  CHECK(q(big, QParams{0.5F, 0}) == 127);  // x / scale overflows to +inf
  CHECK(q(-big, QParams{0.5F, 0}) == -128);
  CHECK(q(1e30F, QParams{1e-30F, -100}) == 127);
  CHECK(q(-1e30F, QParams{1e-30F, 100}) == -128);
  const QParams top{1.0F, 127};  // the zero point at an end of the range
  CHECK(q(2.2e9F, top) == 127);
  CHECK(q(-2.2e9F, top) == -128);
  CHECK(q(-255.0F, top) == -128);
  CHECK(q(-255.4F, top) == -128);
  // Rounding first, then saturating: ±0.5 beyond an end still lands on it.
  CHECK(q(127.5F, unit) == 127);
  CHECK(q(-128.5F, unit) == -128);
  CHECK(q(-127.4F, unit) == -127);
}

TEST_CASE("QuantizedLinear with an all-zero weight row (a pruned neuron) outputs exactly its bias", "[m17][17.6][points=2][hidden]") {
  tt::Rng rng(21);
  tt::Linear fp(16, 5, rng);
  for (std::size_t k = 0; k < 16; ++k) fp.weight.value(2, k) = 0.0F;
  const Tensor x = qt::uniform({6, 16}, -1.0F, 2.0F, 22);
  const auto [lo, hi] = std::minmax_element(x.begin(), x.end());
  const QParams in = choose_qparams(*lo, *hi);

  SECTION("per channel: the zero row gets a usable scale, the others still reach ±127") {
    const QuantizedLinear q0(fp, in, true);
    REQUIRE(q0.weight_params().params.size() == 5);
    const float zero_row_scale = q0.weight_params().params[2].scale;
    CHECK(std::isfinite(zero_row_scale));
    CHECK(zero_row_scale > 0.0F);
    const tt::TensorI8 w8 = q0.weight_int8();
    for (std::size_t j = 0; j < 5; ++j) {
      int row_max = 0;
      for (std::size_t k = 0; k < 16; ++k) row_max = std::max(row_max, std::abs(int{w8(j, k)}));
      CHECK(row_max == (j == 2 ? 0 : 127));
    }

    QuantizedLinear q(fp, in, true);
    const Tensor y = q.forward(x);
    const auto [ylo, yhi] = std::minmax_element(y.begin(), y.end());
    const QParams out = choose_qparams(*ylo, *yhi);
    for (std::size_t i = 0; i < 6; ++i) CHECK(y(i, 2) == fp.bias.value(2));

    // The integer path: the bias alone, requantized: within half an output step plus half an
    // accumulator step of the bias.
    const QuantizedLinear qi(fp, in, true, out);
    const QuantParams in_p{Scheme::affine, std::nullopt, {in}};
    const tt::TensorI8 yq = qi.forward_int8(Quantizer::quantize_with(x, in_p));
    for (std::size_t i = 0; i < 6; ++i) {
      INFO("row " << i << ": int8 path " << dequantize_value(yq(i, 2), out) << ", bias " << fp.bias.value(2));
      CHECK(std::fabs(dequantize_value(yq(i, 2), out) - fp.bias.value(2)) <=
            0.5F * out.scale + 0.5F * in.scale * zero_row_scale + 1e-6F);
    }
  }
  SECTION("an all-zero weight matrix, per tensor and per channel: every output is the bias") {
    const Tensor bias = qt::uniform({5}, -1.0F, 1.0F, 23);
    const tt::Linear dead(tt::zeros({5, 16}), bias);
    for (const bool per_channel : {false, true}) {
      CAPTURE(per_channel);
      QuantizedLinear q(dead, in, per_channel);
      for (const auto& p : q.weight_params().params) {
        CHECK(std::isfinite(p.scale));
        CHECK(p.scale > 0.0F);
      }
      const Tensor y = q.forward(x);
      for (std::size_t i = 0; i < 6; ++i)
        for (std::size_t j = 0; j < 5; ++j) CHECK(y(i, j) == bias(j));
    }
  }
}
