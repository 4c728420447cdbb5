// Tests for 17.2: the Quantizer (affine/symmetric, per-tensor/per-channel) and its round trip.
// Not tests of calibration (observers_test.cpp) or of int8 arithmetic (gemm_i8_test.cpp).
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "quant_fixtures.hpp"
#include "tt/quant/qparams.hpp"

using namespace tt::quant;
using tt::Tensor;
using tt::TensorI8;

namespace {
std::vector<int> as_ints(const TensorI8& q) { return {q.begin(), q.end()}; }
}  // namespace

TEST_CASE("Quantizer quantizes known values per tensor", "[m17][17.2][points=2]") {
  SECTION("affine: [-1, 0, 0.5, 3] with scale 4/255 and zero point -64") {
    const Tensor x = tt::from_vector({4}, {-1.0F, 0.0F, 0.5F, 3.0F});
    const QTensor q = Quantizer(Scheme::affine).quantize(x);
    REQUIRE(q.params.params.size() == 1);
    CHECK_FALSE(q.params.per_channel());
    CHECK(q.params.params[0].zero_point == -64);
    CHECK(as_ints(q.values) == std::vector<int>{-128, -64, -32, 127});
    CHECK(q.bytes() == 4 + 8);
  }
  SECTION("symmetric: [-2, 0.8, 0.25] with scale 2/127 and zero point 0") {
    const Tensor x = tt::from_vector({3}, {-2.0F, 0.8F, 0.25F});
    const QTensor q = Quantizer(Scheme::symmetric).quantize(x);
    CHECK(q.params.params[0].zero_point == 0);
    CHECK(as_ints(q.values) == std::vector<int>{-127, 51, 16});
  }
  SECTION("quantize_with saturates values outside the parameters' range") {
    const Tensor x = tt::from_vector({3}, {-10.0F, 0.0F, 10.0F});
    const QuantParams p{Scheme::affine, std::nullopt, {QParams{0.01F, 0}}};
    CHECK(as_ints(Quantizer::quantize_with(x, p)) == std::vector<int>{-128, 0, 127});
  }
}

TEST_CASE("Quantize-dequantize error is at most scale/2 for every element", "[m17][17.2][points=2]") {
  const Scheme scheme = GENERATE(Scheme::affine, Scheme::symmetric);
  const auto axis = GENERATE(std::optional<std::size_t>{}, std::optional<std::size_t>{0}, std::optional<std::size_t>{1},
                             std::optional<std::size_t>{2});
  CAPTURE(to_string(scheme), axis.value_or(99));
  const Tensor x = tt::quant::testing::uniform({5, 7, 3}, -3.0F, 2.0F, 17);
  const Quantizer quantizer(scheme, axis);
  const QTensor q = quantizer.quantize(x);
  REQUIRE(q.values.shape() == x.shape());
  REQUIRE(q.params.params.size() == (axis ? x.shape()[*axis] : 1));
  const Tensor back = Quantizer::dequantize(q);
  REQUIRE(back.shape() == x.shape());
  for (std::size_t i = 0; i < x.size(); ++i) {
    const std::size_t c = !axis ? 0 : *axis == 0 ? i / 21
                                  : *axis == 1   ? (i / 3) % 7
                                                 : i % 3;
    const float scale = q.params.params[c].scale;
    INFO("element " << i << ": x " << x.flat(i) << ", back " << back.flat(i) << ", scale " << scale);
    REQUIRE(std::fabs(back.flat(i) - x.flat(i)) <= scale * 0.5F * (1 + 1e-5F) + 1e-7F);
  }
}

TEST_CASE("Per-channel parameters come from each slice along the axis", "[m17][17.2][points=1]") {
  const Tensor w = tt::from_vector({2, 3}, {-1.0F, 0.5F, 3.0F, 0.2F, 0.4F, -0.1F});
  const QuantParams rows = Quantizer(Scheme::affine, 0).fit(w);
  REQUIRE(rows.params.size() == 2);
  CHECK(rows.params[0].scale == choose_qparams(-1.0F, 3.0F).scale);
  CHECK(rows.params[0].zero_point == choose_qparams(-1.0F, 3.0F).zero_point);
  CHECK(rows.params[1].scale == choose_qparams(-0.1F, 0.4F).scale);
  CHECK(rows.params[1].zero_point == choose_qparams(-0.1F, 0.4F).zero_point);
  const QuantParams cols = Quantizer(Scheme::symmetric, 1).fit(w);
  REQUIRE(cols.params.size() == 3);
  CHECK(cols.params[0].scale == choose_qparams(-1.0F, 0.2F, Scheme::symmetric).scale);
  CHECK(cols.params[2].scale == choose_qparams(-0.1F, 3.0F, Scheme::symmetric).scale);
}

TEST_CASE("Constant and all-zero tensors round-trip exactly", "[m17][17.2][points=1]") {
  const Scheme scheme = GENERATE(Scheme::affine, Scheme::symmetric);
  for (const float c : {0.0F, 2.5F, -0.7F, 1e-3F, 123.456F}) {
    CAPTURE(c, to_string(scheme));
    const Tensor x = tt::full({3, 4}, c);
    CHECK((Quantizer::dequantize(Quantizer(scheme).quantize(x)) == x));
    CHECK((Quantizer::dequantize(Quantizer(scheme, 1).quantize(x)) == x));
  }
  // A per-channel tensor with a constant row and a zero row next to an ordinary one.
  const Tensor w = tt::from_vector({3, 2}, {0.3F, 0.3F, 0.0F, 0.0F, -1.0F, 2.0F});
  const Tensor back = Quantizer::dequantize(Quantizer(scheme, 0).quantize(w));
  for (std::size_t i = 0; i < 4; ++i) CHECK(back.flat(i) == w.flat(i));
}

TEST_CASE("Quantizer rejects NaN/Inf, bad axes and mismatched parameters", "[m17][17.2][points=2]") {
  Tensor x = tt::quant::testing::uniform({4, 3}, -1.0F, 1.0F, 3);
  const QuantParams good = Quantizer(Scheme::affine, 1).fit(x);
  CHECK(good.params.size() == 3);
  Tensor bad = x;
  bad(2, 1) = std::numeric_limits<float>::quiet_NaN();
  REQUIRE_THROWS_AS(Quantizer().fit(bad), tt::value_error);
  REQUIRE_THROWS_AS(Quantizer::quantize_with(bad, good), tt::value_error);
  bad(2, 1) = -std::numeric_limits<float>::infinity();
  REQUIRE_THROWS_AS(Quantizer(Scheme::symmetric, 0).quantize(bad), tt::value_error);
  REQUIRE_THROWS_AS(Quantizer(Scheme::affine, 2).fit(x), tt::shape_error);
  const QuantParams rows = Quantizer(Scheme::affine, 0).fit(x);  // 4 pairs
  QuantParams wrong = rows;
  wrong.axis = 1;  // 4 pairs for 3 columns
  REQUIRE_THROWS_AS(Quantizer::quantize_with(x, wrong), tt::shape_error);
  REQUIRE_THROWS_AS(Quantizer::dequantize(Quantizer::quantize_with(x, rows), wrong), tt::shape_error);
}
