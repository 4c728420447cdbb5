// Tests of Conv2d, im2col/col2im, MaxPool2d and Flatten against direct loops and finite differences.
// Not tests of the dense layers (layers_test.cpp) or of whole models (sequential_test.cpp).
#include <catch2/catch.hpp>

#include <algorithm>
#include <numeric>
#include <random>
#include <utility>
#include <vector>

#include "layer_fixtures.hpp"
#include "tt/conv2d.hpp"
#include "tt/shape_layers.hpp"

using tt::testing::AllClose;
using tt::testing::check_layer_gradients;

namespace {

// Direct convolution in double: the oracle for im2col + matmul. x (N,C,H,W), w (O,C,k,k).
tt::Tensor conv_oracle(const tt::Tensor& x, const tt::Tensor& w, const tt::Tensor& b, std::size_t s, std::size_t p) {
  const std::size_t n = x.shape()[0], c = x.shape()[1], h = x.shape()[2], wd = x.shape()[3];
  const std::size_t o = w.shape()[0], k = w.shape()[2];
  const std::size_t oh = (h + 2 * p - k) / s + 1, ow = (wd + 2 * p - k) / s + 1;
  tt::Tensor y = tt::zeros({n, o, oh, ow});
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t f = 0; f < o; ++f)
      for (std::size_t r = 0; r < oh; ++r)
        for (std::size_t q = 0; q < ow; ++q) {
          double acc = b.size() == o ? b(f) : 0.0;
          for (std::size_t ch = 0; ch < c; ++ch)
            for (std::size_t a = 0; a < k; ++a)
              for (std::size_t e = 0; e < k; ++e) {
                const long ih = long(r * s + a) - long(p), iw = long(q * s + e) - long(p);
                if (ih < 0 || iw < 0 || ih >= long(h) || iw >= long(wd)) continue;
                acc += double(x(i, ch, std::size_t(ih), std::size_t(iw))) * w(f, ch, a, e);
              }
          y(i, f, r, q) = float(acc);
        }
  return y;
}

double dot(const tt::Tensor& a, const tt::Tensor& b) {
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += double(a.flat(i)) * b.flat(i);
  return s;
}

struct ConvCase {
  std::size_t n, c, h, w, out, k, stride, pad;
};

}  // namespace

TEST_CASE("im2col lays out patches as rows (n, oh, ow) and col2im is its adjoint", "[core][conv]") {
  tt::Rng rng(20);
  SECTION("a 1x1x3x3 input, 2x2 kernel, no padding") {
    const tt::Tensor x = tt::from_vector({1, 1, 3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
    const tt::Tensor cols = tt::im2col(x, 2, 1, 0);
    CHECK_THAT(cols, AllClose(tt::from_vector({4, 4}, {1, 2, 4, 5, 2, 3, 5, 6, 4, 5, 7, 8, 5, 6, 8, 9})));
  }
  SECTION("padding inserts zeros") {
    const tt::Tensor x = tt::from_vector({1, 1, 1, 1}, {7});
    CHECK_THAT(tt::im2col(x, 3, 1, 1), AllClose(tt::from_vector({1, 9}, {0, 0, 0, 0, 7, 0, 0, 0, 0})));
  }
  SECTION("<im2col(x), c> == <x, col2im(c)> with stride and padding") {
    const auto [s, p] = GENERATE(std::pair<std::size_t, std::size_t>{1, 0}, std::pair<std::size_t, std::size_t>{2, 1},
                                 std::pair<std::size_t, std::size_t>{3, 2});
    const tt::ConvGeometry g{2, 5, 7, 3, s, p};
    const tt::Tensor x = tt::rand_uniform({2, 2, 5, 7}, -1, 1, rng);
    const tt::Tensor cols = tt::im2col(x, 3, s, p);
    REQUIRE(cols.shape() == tt::Tensor::shape_type{2 * g.out_height() * g.out_width(), 18});
    const tt::Tensor c = tt::rand_uniform({cols.shape()[0], cols.shape()[1]}, -1, 1, rng);
    CHECK(dot(cols, c) == Approx(dot(x, tt::col2im(c, 2, g))).epsilon(1e-5));
  }
  SECTION("bad input") {
    REQUIRE_THROWS_AS(tt::im2col(tt::zeros({1, 3, 3}), 2, 1, 0), tt::shape_error);
    REQUIRE_THROWS_AS(tt::im2col(tt::zeros({1, 1, 2, 2}), 3, 1, 0), tt::shape_error);
    REQUIRE_THROWS_AS(tt::im2col(tt::zeros({1, 1, 0, 2}), 1, 1, 0), tt::shape_error);
    REQUIRE_THROWS_AS(tt::im2col(tt::zeros({1, 1, 3, 3}), 2, 0, 0), tt::value_error);
    REQUIRE_THROWS_AS(tt::col2im(tt::zeros({4, 5}), 1, tt::ConvGeometry{1, 3, 3, 2, 1, 0}), tt::shape_error);
  }
}

TEST_CASE("Conv2d forward matches a direct convolution", "[core][conv]") {
  const ConvCase cc =
      GENERATE(ConvCase{2, 3, 5, 6, 4, 3, 1, 0}, ConvCase{1, 2, 7, 5, 3, 3, 2, 1}, ConvCase{3, 1, 6, 6, 2, 2, 2, 0},
               ConvCase{1, 4, 4, 4, 5, 1, 1, 0}, ConvCase{2, 1, 5, 5, 2, 5, 3, 2});
  tt::Rng rng(21);
  tt::Conv2d conv(cc.c, cc.out, cc.k, rng, cc.stride, cc.pad);
  const tt::Tensor x = tt::rand_uniform({cc.n, cc.c, cc.h, cc.w}, -1, 1, rng);
  CHECK_THAT(conv.forward(x),
             AllClose(conv_oracle(x, conv.weight.value, conv.bias.value, cc.stride, cc.pad), {1e-5F, 1e-4F}));
}

TEST_CASE("Conv2d backward matches finite differences, with stride and padding", "[core][conv]") {
  tt::Rng rng(22);
  SECTION("stride 1, padding 1") {
    tt::Conv2d conv(2, 3, 3, rng, 1, 1);
    check_layer_gradients(conv, tt::rand_uniform({2, 2, 4, 5}, -1, 1, rng));
  }
  SECTION("stride 2, padding 1, no bias") {
    tt::Conv2d conv(2, 2, 3, rng, 2, 1, false);
    CHECK(conv.params().size() == 1);
    check_layer_gradients(conv, tt::rand_uniform({1, 2, 5, 6}, -1, 1, rng));
  }
  SECTION("stride 3, padding 2, 2x2 kernel") {
    tt::Conv2d conv(1, 2, 2, rng, 3, 2);
    check_layer_gradients(conv, tt::rand_uniform({2, 1, 5, 4}, -1, 1, rng));
  }
}

TEST_CASE("Conv2d sends its products through the installed backend and opens a profile scope", "[core][conv]") {
  tt::Rng rng(26);
  tt::Conv2d conv(2, 3, 3, rng, 1, 1);
  tt::testing::InstrumentedScope probe;
  conv.forward(tt::rand_uniform({2, 2, 5, 4}, -1, 1, rng));
  conv.backward(tt::rand_uniform({2, 3, 5, 4}, -1, 1, rng));
  CHECK(probe.backend.calls == 3);  // forward, weight gradient, column gradient
  // (N·OH·OW, C·k·k) · (C·k·k, out_c): 2 · 40 · 18 · 3
  CHECK(probe.sink.flops_of("Conv2d") == Approx(2.0 * 40 * 18 * 3));
}

TEST_CASE("Conv2d checks shapes, caches columns only in training mode", "[core][conv]") {
  tt::Rng rng(23);
  tt::Conv2d conv(2, 3, 3, rng, 1, 1);
  CHECK(conv.describe() == "Conv2d(2 -> 3, k=3, stride=1, pad=1)");
  CHECK(conv.weight.value.shape() == tt::Tensor::shape_type{3, 2, 3, 3});
  const tt::Tensor x = tt::rand_uniform({1, 2, 4, 4}, -1, 1, rng);
  REQUIRE_THROWS_WITH(conv.forward(tt::zeros({1, 3, 4, 4})),
                      Catch::Contains("(N, 2, H, W)") && Catch::Contains("(1, 3, 4, 4)"));
  REQUIRE_THROWS_AS(conv.forward(tt::zeros({2, 4, 4})), tt::shape_error);
  REQUIRE_THROWS_AS(conv.forward(tt::zeros({0, 2, 4, 4})), tt::shape_error);
  REQUIRE_THROWS_AS(conv.backward(tt::zeros({1, 3, 4, 4})), tt::error);
  conv.set_training(false);
  conv.forward(x);
  REQUIRE_THROWS_AS(conv.backward(tt::zeros({1, 3, 4, 4})), tt::error);
  conv.set_training(true);
  conv.forward(x);
  REQUIRE_THROWS_AS(conv.backward(tt::zeros({1, 3, 4, 5})), tt::shape_error);
  REQUIRE_NOTHROW(conv.backward(tt::zeros({1, 3, 4, 4})));
  REQUIRE_THROWS_AS(tt::Conv2d(tt::zeros({3, 2, 3, 2}), tt::Tensor(), 1, 0), tt::shape_error);
  REQUIRE_THROWS_AS(tt::Conv2d(tt::zeros({3, 2, 3, 3}), tt::zeros({2}), 1, 0), tt::shape_error);
  REQUIRE_THROWS_AS(tt::Conv2d(2, 3, 3, rng, 0), tt::value_error);
}

TEST_CASE("MaxPool2d keeps window maxima and routes the gradient to them", "[core][pool]") {
  tt::Rng rng(24);
  SECTION("a 4x4 plane, 2x2 windows") {
    tt::MaxPool2d pool(2);
    CHECK(pool.describe() == "MaxPool2d(k=2, stride=2)");
    const tt::Tensor x = tt::from_vector({1, 1, 4, 4}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16, 15});
    CHECK_THAT(pool.forward(x), AllClose(tt::from_vector({1, 1, 2, 2}, {6, 8, 14, 16})));
    const tt::Tensor dx = pool.backward(tt::from_vector({1, 1, 2, 2}, {1, 2, 3, 4}));
    CHECK_THAT(dx, AllClose(tt::from_vector({1, 1, 4, 4}, {0, 0, 0, 0, 0, 1, 0, 2, 0, 0, 0, 0, 0, 3, 4, 0})));
  }
  SECTION("finite differences, overlapping windows (k=3, stride 2) and an odd size") {
    // Distinct values 0.1 apart: no two within a finite-difference step, so the argmax is stable.
    std::vector<float> values(std::size_t{2} * 2 * 5 * 7);
    std::iota(values.begin(), values.end(), 0.0F);
    std::shuffle(values.begin(), values.end(), rng);
    for (float& v : values) v *= 0.1F;
    tt::MaxPool2d pool(3, 2);
    const tt::Tensor x = tt::from_vector({2, 2, 5, 7}, values);
    CHECK(pool.forward(x).shape() == tt::Tensor::shape_type{2, 2, 2, 3});
    check_layer_gradients(pool, x);
  }
  SECTION("bad input and caching") {
    tt::MaxPool2d pool(2);
    REQUIRE_THROWS_AS(pool.forward(tt::zeros({1, 1, 1, 4})), tt::shape_error);
    REQUIRE_THROWS_AS(pool.forward(tt::zeros({1, 4, 4})), tt::shape_error);
    REQUIRE_THROWS_AS(pool.forward(tt::zeros({0, 1, 4, 4})), tt::shape_error);
    REQUIRE_THROWS_AS(pool.backward(tt::zeros({1, 1, 2, 2})), tt::error);
    pool.forward(tt::zeros({1, 1, 4, 4}));
    REQUIRE_THROWS_AS(pool.backward(tt::zeros({1, 1, 2, 3})), tt::shape_error);
    pool.set_training(false);
    pool.forward(tt::zeros({1, 1, 4, 4}));
    REQUIRE_THROWS_AS(pool.backward(tt::zeros({1, 1, 2, 2})), tt::error);
    REQUIRE_THROWS_AS(tt::MaxPool2d(0), tt::value_error);
  }
}

TEST_CASE("Flatten reshapes (N, ...) to (N, features) and back", "[core][flatten]") {
  tt::Rng rng(25);
  tt::Flatten flat;
  const tt::Tensor x = tt::rand_uniform({2, 3, 2, 2}, -1, 1, rng);
  const tt::Tensor y = flat.forward(x);
  REQUIRE(y.shape() == tt::Tensor::shape_type{2, 12});
  CHECK(std::equal(x.begin(), x.end(), y.begin()));
  check_layer_gradients(flat, x);
  REQUIRE_THROWS_AS(flat.backward(tt::zeros({2, 11})), tt::shape_error);
  REQUIRE_THROWS_AS(flat.forward(tt::zeros({4})), tt::shape_error);
  REQUIRE_THROWS_AS(flat.forward(tt::zeros({2, 0, 3})), tt::shape_error);
  REQUIRE_THROWS_AS(tt::Flatten().backward(tt::zeros({2, 12})), tt::error);
}
