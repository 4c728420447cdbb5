// Tests for 17.6: QuantizedLinear and QuantizedConv2d against fp32 oracles, in tt::Sequential, bytes held.
// Not tests of the kernels themselves (gemm_i8_test.cpp) or of whole-model conversion (convert_test.cpp).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <memory>

#include "quant_fixtures.hpp"
#include "tt/activations.hpp"
#include "tt/quant/quantized_layers.hpp"
#include "tt/sequential.hpp"
#include "tt/testing.hpp"
#include "tt/tracking.hpp"

using namespace tt::quant;
using tt::Tensor;
using tt::testing::AllClose;
namespace qt = tt::quant::testing;

namespace {
QParams params_of(const Tensor& x) {
  const auto [lo, hi] = std::minmax_element(x.begin(), x.end());
  return choose_qparams(*lo, *hi);
}

// What the int8 layer computes, in fp32: the quantize-dequantized input through the dequantized weights.
Tensor fake_quant(const Tensor& x, QParams p) {
  const QuantParams qp{Scheme::affine, std::nullopt, {p}};
  return Quantizer::dequantize(Quantizer::quantize_with(x, qp), qp);
}
}  // namespace

TEST_CASE("QuantizedLinear computes the int8 product of its quantized input and weights", "[m17][17.6][points=2]") {
  const bool per_channel = GENERATE(true, false);
  CAPTURE(per_channel);
  tt::Rng rng(3);
  tt::Linear fp(20, 7, rng);
  const Tensor x = qt::uniform({9, 20}, -1.0F, 2.0F, 4);
  const QParams in = params_of(x);
  QuantizedLinear q(fp, in, per_channel);
  CHECK(q.in_features() == 20);
  CHECK(q.out_features() == 7);
  REQUIRE(q.weight_params().params.size() == (per_channel ? 7U : 1U));
  CHECK(q.weight_params().scheme == Scheme::symmetric);
  // Symmetric weights: the largest |w| of each row (per channel) or of the matrix hits ±127.
  const tt::TensorI8 w8 = q.weight_int8();
  int widest = 0;
  for (std::size_t j = 0; j < 7; ++j) {
    int row_max = 0;
    for (std::size_t k = 0; k < 20; ++k) row_max = std::max(row_max, std::abs(int{w8(j, k)}));
    if (per_channel) CHECK(row_max == 127);
    widest = std::max(widest, row_max);
  }
  CHECK(widest == 127);

  const Tensor y = q.forward(x);
  REQUIRE(y.shape() == fp.forward(x).shape());
  // Exact oracle: fp32 Linear with the dequantized weights on the fake-quantized input.
  tt::Linear oracle(q.dequantized_weight(), fp.bias.value);
  CHECK_THAT(y, AllClose(oracle.forward(fake_quant(x, in)), {1e-4F, 1e-4F}));
  // And close to the original fp32 layer.
  CHECK_THAT(y, AllClose(fp.forward(x), {0.05F, 0.02F}));
  // Leading dimensions are kept: (3, 3, 20) → (3, 3, 7).
  Tensor x3 = x;
  x3.reshape({3, 3, 20});
  const Tensor y3 = q.forward(x3);
  REQUIRE(y3.dimension() == 3);
  CHECK(y3.shape()[2] == 7);
  REQUIRE_THROWS_AS(q.forward(qt::uniform({2, 19}, 0.0F, 1.0F, 1)), tt::shape_error);
}

TEST_CASE("QuantizedLinear holds int8 weights: about 4x fewer bytes than fp32", "[m17][17.6][points=1]") {
  tt::Rng rng(5);
  tt::Linear fp(256, 64, rng);
  const std::size_t before = tt::tracking::live_bytes();
  auto q = std::make_unique<QuantizedLinear>(fp, QParams{0.02F, -10});
  const std::size_t held = tt::tracking::live_bytes() - before;
  // packed int8 values + int32 column sums + (float scale, int32 zero point) per channel
  CHECK(q->weight_bytes() == 64 * 256 + 64 * 4 + 64 * 8);
  const std::size_t fp32_bytes = std::size_t{256} * 64 * sizeof(float);
  CHECK(static_cast<double>(fp32_bytes) / static_cast<double>(q->weight_bytes()) > 3.8);
  CHECK(held < fp32_bytes / 3);  // no fp32 copy of the weights is kept
}

TEST_CASE("QuantizedLinear runs inside tt::Sequential and refuses backward", "[m17][17.6][points=1]") {
  tt::Rng rng(7);
  tt::Sequential model;
  model.emplace<tt::Linear>(10, 6, rng);
  model.emplace<tt::ReLU>();
  model.emplace<tt::Linear>(6, 3, rng);
  const Tensor x = qt::uniform({4, 10}, -1.0F, 1.0F, 8);
  const Tensor ref = model.forward(x);
  const Tensor hidden = model.at(1).forward(model.at(0).forward(x));
  model.replace(0, std::make_unique<QuantizedLinear>(*model.as<tt::Linear>(0), params_of(x)));
  model.replace(2, std::make_unique<QuantizedLinear>(*model.as<tt::Linear>(2), params_of(hidden)));
  CHECK(model.at(0).kind() == "QuantizedLinear");
  CHECK(model.at(0).describe() == "QuantizedLinear(10 -> 6, int8, per-channel)");
  const Tensor y = model.forward(x);
  CHECK_THAT(y, AllClose(ref, {0.05F, 0.05F}));
  REQUIRE_THROWS_WITH(model.at(2).backward(tt::zeros({4, 3})), Catch::Contains("inference-only"));
}

TEST_CASE("QuantizedLinear::forward_int8 stays in integers and agrees with the fp32 path", "[m17][17.6][points=2]") {
  tt::Rng rng(9);
  tt::Linear fp(33, 21, rng);
  const Tensor x = qt::uniform({12, 33}, -0.5F, 3.0F, 10);
  const QParams in = params_of(x);
  const Tensor y_fp = QuantizedLinear(fp, in).forward(x);
  const QParams out = params_of(y_fp);
  const QuantizedLinear q(fp, in, true, out);
  const QuantParams in_p{Scheme::affine, std::nullopt, {in}};
  const tt::TensorI8 yq = q.forward_int8(Quantizer::quantize_with(x, in_p));
  REQUIRE(yq.shape()[0] == 12);
  REQUIRE(yq.shape()[1] == 21);
  // Accumulators: Σ (xq - zx) · wq, checked against int64 arithmetic.
  const tt::TensorI8 xq = Quantizer::quantize_with(x, in_p);
  const tt::TensorI32 acc = q.accumulate(xq);
  const tt::TensorI8 w8 = q.weight_int8();
  for (std::size_t i = 0; i < 12; ++i) {
    for (std::size_t j = 0; j < 21; ++j) {
      std::int64_t s = 0;
      for (std::size_t k = 0; k < 33; ++k) s += (std::int64_t{xq(i, k)} - in.zero_point) * w8(j, k);
      REQUIRE(acc(i, j) == s);
    }
  }
  // Requantized output within one output step of the fp32 path (bias and output rounding).
  float max_step = 0;
  for (const auto& p : q.weight_params().params) max_step = std::max(max_step, in.scale * p.scale);
  for (std::size_t i = 0; i < 12; ++i) {
    for (std::size_t j = 0; j < 21; ++j) {
      const float back = dequantize_value(yq(i, j), out);
      INFO("(" << i << ", " << j << "): int8 path " << back << ", fp32 path " << y_fp(i, j));
      REQUIRE(std::fabs(back - y_fp(i, j)) <= 0.5F * out.scale + 0.5F * max_step + 1e-5F);
    }
  }
  REQUIRE_THROWS_AS(QuantizedLinear(fp, in).forward_int8(xq), tt::error);
}

TEST_CASE("QuantizedConv2d matches a convolution of the dequantized input and weights", "[m17][17.6][points=2]") {
  tt::Rng rng(11);
  tt::Conv2d fp(3, 5, 3, rng, 2, 1);
  const Tensor x = qt::uniform({2, 3, 9, 7}, -1.0F, 1.5F, 12);
  const QParams in = params_of(x);
  QuantizedConv2d q(fp, in);
  CHECK(q.describe() == "QuantizedConv2d(3 -> 5, k=3, stride=2, pad=1, int8, per-channel)");
  CHECK(q.weight_bytes() == 5 * 28 + 5 * 4 + 5 * 8);  // k = 27 padded to 28
  const Tensor y = q.forward(x);
  const Tensor y_fp = fp.forward(x);
  REQUIRE(y.shape() == y_fp.shape());
  Tensor w = q.gemm().dequantized_weight();
  w.reshape({5, 3, 3, 3});
  tt::Conv2d oracle(w, fp.bias.value, 2, 1);
  CHECK_THAT(y, AllClose(oracle.forward(fake_quant(x, in)), {1e-4F, 1e-4F}));
  CHECK_THAT(y, AllClose(y_fp, {0.05F, 0.02F}));
  REQUIRE_THROWS_AS(q.forward(qt::uniform({1, 2, 9, 7}, 0.0F, 1.0F, 1)), tt::shape_error);
  REQUIRE_THROWS_WITH(q.backward(y), Catch::Contains("inference-only"));
}
