// Tests of the core's dense layers: Linear, ReLU, GELU, Softmax, LayerNorm, Embedding, cross-entropy.
// Not the convolution and pooling layers (conv_test.cpp) or optimizers (optim_test.cpp).
#include <catch2/catch.hpp>

#include <cmath>
#include <memory>
#include <numbers>
#include <string>
#include <utility>
#include <vector>

#include "layer_fixtures.hpp"
#include "tt/activations.hpp"
#include "tt/layernorm.hpp"
#include "tt/linear.hpp"
#include "tt/loss.hpp"
#include "tt/matmul.hpp"
#include "tt/profile_hooks.hpp"

using tt::testing::AllClose;
using tt::testing::check_layer_gradients;

namespace {

// y = x·Wᵀ + b computed in double, one element at a time: the oracle for Linear.
tt::Tensor linear_oracle(const tt::Tensor& x2, const tt::Tensor& w, const tt::Tensor& b) {
  const std::size_t rows = x2.shape()[0], in = x2.shape()[1], out = w.shape()[0];
  tt::Tensor y = tt::zeros({rows, out});
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t o = 0; o < out; ++o) {
      double s = b.size() == out ? b(o) : 0.0;
      for (std::size_t i = 0; i < in; ++i) s += static_cast<double>(x2(r, i)) * w(o, i);
      y(r, o) = static_cast<float>(s);
    }
  }
  return y;
}

}  // namespace

TEST_CASE("Linear computes x times W transposed plus b, also for inputs of rank 3", "[core][linear]") {
  tt::Rng rng(1);
  tt::Linear lin(5, 3, rng);
  CHECK(lin.weight.value.shape() == tt::Tensor::shape_type{3, 5});
  CHECK(lin.bias.value.shape() == tt::Tensor::shape_type{3});
  CHECK(lin.describe() == "Linear(5 -> 3)");

  SECTION("rank 2") {
    const tt::Tensor x = tt::rand_uniform({4, 5}, -1, 1, rng);
    CHECK_THAT(lin.forward(x), AllClose(linear_oracle(x, lin.weight.value, lin.bias.value), {1e-5F, 1e-5F}));
  }
  SECTION("rank 3 flattens the leading dimensions") {
    const tt::Tensor x = tt::rand_uniform({2, 3, 5}, -1, 1, rng);
    const tt::Tensor y = lin.forward(x);
    REQUIRE(y.shape() == tt::Tensor::shape_type{2, 3, 3});
    tt::Tensor x2 = x;
    x2.reshape({6, 5});
    tt::Tensor expected = linear_oracle(x2, lin.weight.value, lin.bias.value);
    expected.reshape({2, 3, 3});
    CHECK_THAT(y, AllClose(expected, {1e-5F, 1e-5F}));
  }
  SECTION("without bias") {
    tt::Linear nb(5, 3, rng, false);
    CHECK_FALSE(nb.has_bias());
    CHECK(nb.params().size() == 1);
    CHECK(nb.describe() == "Linear(5 -> 3, no bias)");
    const tt::Tensor x = tt::rand_uniform({4, 5}, -1, 1, rng);
    CHECK_THAT(nb.forward(x), AllClose(linear_oracle(x, nb.weight.value, tt::Tensor()), {1e-5F, 1e-5F}));
  }
}

TEST_CASE("Linear backward matches finite differences for input, weight and bias", "[core][linear]") {
  tt::Rng rng(2);
  SECTION("rank 2 with bias") {
    tt::Linear lin(4, 3, rng);
    check_layer_gradients(lin, tt::rand_uniform({5, 4}, -1, 1, rng));
  }
  SECTION("rank 3 without bias") {
    tt::Linear lin(4, 2, rng, false);
    check_layer_gradients(lin, tt::rand_uniform({2, 3, 4}, -1, 1, rng));
  }
}

TEST_CASE("Linear accumulates gradients over two backward calls until zero_grad", "[core][linear]") {
  tt::Rng rng(3);
  tt::Linear lin(3, 2, rng);
  const tt::Tensor x = tt::rand_uniform({4, 3}, -1, 1, rng);
  const tt::Tensor g = tt::rand_uniform({4, 2}, -1, 1, rng);
  lin.forward(x);
  lin.backward(g);
  const tt::Tensor once = lin.weight.grad;
  lin.forward(x);
  lin.backward(g);
  CHECK_THAT(lin.weight.grad, AllClose(tt::Tensor(2.0F * once)));
  lin.zero_grad();
  for (float v : lin.weight.grad) CHECK(v == 0.0F);
  for (float v : lin.bias.grad) CHECK(v == 0.0F);
}

TEST_CASE("Linear from given tensors checks their shapes", "[core][linear]") {
  tt::Linear lin(tt::from_vector({2, 3}, {1, 2, 3, 4, 5, 6}), tt::from_vector({2}, {10, 20}));
  CHECK(lin.in_features() == 3);
  CHECK(lin.out_features() == 2);
  CHECK_THAT(lin.forward(tt::from_vector({1, 3}, {1, 1, 1})), AllClose(tt::from_vector({1, 2}, {16, 35})));
  tt::Linear no_bias(tt::from_vector({2, 3}, {1, 2, 3, 4, 5, 6}), tt::Tensor());
  CHECK_FALSE(no_bias.has_bias());
  REQUIRE_THROWS_AS(tt::Linear(tt::zeros({2, 3}), tt::zeros({3})), tt::shape_error);
  REQUIRE_THROWS_AS(tt::Linear(tt::zeros({6}), tt::Tensor()), tt::shape_error);
}

TEST_CASE("Linear rejects wrong and empty shapes with shape_error naming both", "[core][linear]") {
  tt::Rng rng(4);
  tt::Linear lin(5, 3, rng);
  REQUIRE_THROWS_WITH(lin.forward(tt::zeros({2, 4})), Catch::Contains("(..., 5)") && Catch::Contains("(2, 4)"));
  REQUIRE_THROWS_AS(lin.forward(tt::zeros({2, 4})), tt::shape_error);
  REQUIRE_THROWS_AS(lin.forward(tt::zeros({5})), tt::shape_error);
  REQUIRE_THROWS_AS(lin.forward(tt::zeros({0, 5})), tt::shape_error);
  REQUIRE_THROWS_AS(lin.forward(tt::Tensor()), tt::shape_error);
  lin.forward(tt::zeros({2, 5}));
  REQUIRE_THROWS_AS(lin.backward(tt::zeros({2, 4})), tt::shape_error);
  REQUIRE_THROWS_AS(lin.backward(tt::zeros({3, 3})), tt::shape_error);
  REQUIRE_THROWS_AS(tt::Linear(0, 3, rng), tt::value_error);
}

TEST_CASE("Linear sends every product through the installed backend and opens a profile scope", "[core][linear]") {
  tt::Rng rng(5);
  tt::Linear lin(6, 4, rng);
  tt::testing::InstrumentedScope probe;
  lin.forward(tt::rand_uniform({3, 6}, -1, 1, rng));
  lin.backward(tt::rand_uniform({3, 4}, -1, 1, rng));
  CHECK(probe.backend.calls == 3);  // forward, weight gradient, input gradient
  CHECK(probe.sink.flops_of("Linear") == Approx(2.0 * 3 * 6 * 4));
}

TEST_CASE("layers cache only in training mode and backward without forward throws", "[core][layers]") {
  tt::Rng rng(6);
  std::vector<std::unique_ptr<tt::Module>> layers;
  layers.push_back(std::make_unique<tt::Linear>(3, 3, rng));
  layers.push_back(std::make_unique<tt::ReLU>());
  layers.push_back(std::make_unique<tt::GELU>());
  layers.push_back(std::make_unique<tt::Softmax>());
  layers.push_back(std::make_unique<tt::LayerNorm>(3));
  const tt::Tensor x = tt::rand_uniform({2, 3}, -1, 1, rng);
  const tt::Tensor g = tt::full({2, 3}, 1.0F);
  const auto not_cached = Catch::Contains("before forward");
  for (auto& m : layers) {
    INFO(m->kind());
    REQUIRE_THROWS_WITH(m->backward(g), not_cached);
    m->set_training(false);
    CHECK(m->forward(x).shape() == g.shape());
    REQUIRE_THROWS_WITH(m->backward(g), not_cached);
    m->set_training(true);
    m->forward(x);
    REQUIRE_NOTHROW(m->backward(g));
    // An eval-mode forward drops the cache of the earlier training forward.
    m->set_training(false);
    m->forward(x);
    REQUIRE_THROWS_AS(m->backward(g), tt::error);
  }
}

TEST_CASE("ReLU and GELU match their formulas and finite differences", "[core][activations]") {
  tt::Rng rng(8);
  const tt::Tensor x = tt::testing::away_from_zero({3, 4}, rng);
  SECTION("ReLU") {
    tt::ReLU relu;
    const tt::Tensor y = relu.forward(x);
    for (std::size_t i = 0; i < x.size(); ++i) CHECK(y.flat(i) == std::max(x.flat(i), 0.0F));
    check_layer_gradients(relu, x);
  }
  SECTION("GELU, tanh approximation") {
    tt::GELU gelu;
    const tt::Tensor y = gelu.forward(x);
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double v = x.flat(i);
      const double expected = 0.5 * v * (1 + std::tanh(std::sqrt(2 / std::numbers::pi) * (v + 0.044715 * v * v * v)));
      CHECK(y.flat(i) == Approx(expected).margin(1e-6));
    }
    CHECK_THAT(tt::gelu(x), AllClose(y));
    check_layer_gradients(gelu, tt::rand_uniform({2, 3, 2}, -3, 3, rng));
  }
  REQUIRE_THROWS_AS(tt::ReLU().forward(tt::zeros({0})), tt::shape_error);
  REQUIRE_THROWS_AS(tt::GELU().forward(tt::Tensor()), tt::shape_error);
}

TEST_CASE("softmax over the last axis is stable and its backward matches finite differences", "[core][activations]") {
  tt::Rng rng(9);
  SECTION("rows sum to one, even with huge logits") {
    const tt::Tensor x = tt::from_vector({2, 3}, {1000, 1001, 1002, -5, 0, 5});
    const tt::Tensor y = tt::softmax_last_axis(x);
    const double e1 = std::exp(-1.0), e2 = std::exp(-2.0), z = 1 + e1 + e2;
    CHECK_THAT(y, AllClose(tt::from_vector({2, 3}, {float(e2 / z), float(e1 / z), float(1 / z),
                                                    float(std::exp(-10.0) / (1 + std::exp(-5.0) + std::exp(-10.0))),
                                                    float(std::exp(-5.0) / (1 + std::exp(-5.0) + std::exp(-10.0))),
                                                    float(1 / (1 + std::exp(-5.0) + std::exp(-10.0)))}),
                           {1e-6F, 1e-5F}));
    const tt::Tensor log_y = tt::log_softmax_last_axis(x);
    CHECK(log_y(0, 2) == Approx(-std::log(z)).margin(1e-5));
    for (std::size_t i = 0; i < y.size(); ++i) CHECK(std::exp(log_y.flat(i)) == Approx(y.flat(i)).margin(1e-6));
  }
  SECTION("backward, rank 3") {
    tt::Softmax softmax;
    check_layer_gradients(softmax, tt::rand_uniform({2, 2, 4}, -2, 2, rng));
  }
  REQUIRE_THROWS_AS(tt::softmax_last_axis(tt::zeros({2, 0})), tt::shape_error);
  REQUIRE_THROWS_AS(tt::log_softmax_last_axis(tt::Tensor()), tt::shape_error);
}

TEST_CASE("LayerNorm normalizes the last axis and its backward matches finite differences", "[core][layernorm]") {
  tt::Rng rng(10);
  tt::LayerNorm ln(6);
  CHECK(ln.describe() == "LayerNorm(6)");
  const tt::Tensor x = tt::rand_uniform({2, 3, 6}, -2, 3, rng);
  SECTION("with gamma = 1, beta = 0 every row has mean 0 and variance 1") {
    const tt::Tensor y = ln.forward(x);
    for (std::size_t r = 0; r < 6; ++r) {
      double mean = 0, var = 0;
      for (std::size_t j = 0; j < 6; ++j) mean += y.flat(r * 6 + j) / 6.0;
      for (std::size_t j = 0; j < 6; ++j) var += std::pow(y.flat(r * 6 + j) - mean, 2) / 6.0;
      CHECK(mean == Approx(0).margin(1e-5));
      CHECK(var == Approx(1).margin(1e-3));
    }
  }
  SECTION("gradients of input, gamma and beta") {
    ln.gamma.value = tt::rand_uniform({6}, 0.5, 1.5, rng);
    ln.beta.value = tt::rand_uniform({6}, -1, 1, rng);
    check_layer_gradients(ln, x);
  }
  SECTION("bad input") {
    REQUIRE_THROWS_WITH(ln.forward(tt::zeros({2, 5})), Catch::Contains("(..., 6)") && Catch::Contains("(2, 5)"));
    REQUIRE_THROWS_AS(ln.forward(tt::zeros({0, 6})), tt::shape_error);
    REQUIRE_THROWS_AS(tt::LayerNorm(0), tt::value_error);
  }
}

TEST_CASE("Embedding looks up rows, scatters gradients and rejects bad ids", "[core][embedding]") {
  tt::Rng rng(11);
  tt::Embedding emb(5, 3, rng);
  CHECK(emb.vocab() == 5);
  CHECK(emb.dim() == 3);
  CHECK(emb.describe() == "Embedding(5, 3)");
  const tt::Tensor ids = tt::from_vector({2, 2}, {4, 0, 4, 2});

  SECTION("forward gathers rows, shape (..., dim)") {
    const tt::Tensor y = emb.forward(ids);
    REQUIRE(y.shape() == tt::Tensor::shape_type{2, 2, 3});
    for (std::size_t j = 0; j < 3; ++j) {
      CHECK(y(0, 0, j) == emb.table.value(4, j));
      CHECK(y(1, 1, j) == emb.table.value(2, j));
    }
    tt::Tensor rows = y;
    rows.reshape({4, 3});
    CHECK_THAT(emb.lookup({4, 0, 4, 2}), AllClose(rows));
  }
  SECTION("the table gradient matches finite differences, repeated ids accumulate") {
    check_layer_gradients(emb, ids, /*check_input=*/false);
    CHECK(emb.backward(tt::zeros({2, 2, 3})).size() == 0);
  }
  SECTION("bad ids and shapes") {
    REQUIRE_THROWS_AS(emb.forward(tt::from_vector({2}, {1, 5})), tt::value_error);
    REQUIRE_THROWS_AS(emb.forward(tt::from_vector({2}, {1, -1})), tt::value_error);
    REQUIRE_THROWS_WITH(emb.forward(tt::from_vector({2}, {1, 2.5F})), Catch::Contains("2.5"));
    REQUIRE_THROWS_AS(emb.forward(tt::from_vector({1}, {std::nanf("")})), tt::value_error);
    REQUIRE_THROWS_AS(emb.lookup({0, 7}), tt::value_error);
    REQUIRE_THROWS_AS(emb.forward(tt::zeros({0})), tt::shape_error);
    emb.forward(ids);
    REQUIRE_THROWS_AS(emb.backward(tt::zeros({2, 2, 4})), tt::shape_error);
  }
  SECTION("eval mode keeps no ids") {
    REQUIRE_THROWS_AS(emb.backward(tt::zeros({2, 2, 3})), tt::error);
    emb.set_training(false);
    emb.forward(ids);
    REQUIRE_THROWS_AS(emb.backward(tt::zeros({2, 2, 3})), tt::error);
  }
}

TEST_CASE("CrossEntropyLoss is the mean negative log-softmax and its gradient matches finite differences",
          "[core][loss]") {
  tt::Rng rng(12);
  tt::CrossEntropyLoss ce;
  SECTION("value by hand") {
    const tt::Tensor logits = tt::from_vector({2, 3}, {0, 0, 0, 1, 2, 3});
    const float loss = ce.forward(logits, {1, 2});
    const double expected = (std::log(3.0) + std::log(std::exp(1.0) + std::exp(2.0) + std::exp(3.0)) - 3.0) / 2;
    CHECK(loss == Approx(expected).epsilon(1e-6));
  }
  SECTION("gradient") {
    const tt::Tensor logits = tt::rand_uniform({4, 5}, -2, 2, rng);
    const std::vector<std::int32_t> labels{0, 4, 2, 2};
    ce.forward(logits, labels);
    const tt::Tensor analytic = ce.backward();
    const tt::Tensor numeric = tt::testing::numeric_gradient(
        [&](const tt::Tensor& z) { return static_cast<double>(tt::CrossEntropyLoss().forward(z, labels)); }, logits,
        tt::testing::kGradStep);
    CHECK_THAT(analytic, AllClose(numeric, {2e-3F, 2e-2F}));
  }
  SECTION("bad input") {
    const tt::Tensor logits = tt::zeros({2, 3});
    REQUIRE_THROWS_AS(ce.forward(logits, {0, 3}), tt::value_error);
    REQUIRE_THROWS_AS(ce.forward(logits, {-1, 0}), tt::value_error);
    REQUIRE_THROWS_AS(ce.forward(logits, {0}), tt::shape_error);
    REQUIRE_THROWS_AS(ce.forward(tt::zeros({6}), {0}), tt::shape_error);
    REQUIRE_THROWS_AS(ce.forward(tt::zeros({0, 3}), {}), tt::shape_error);
    REQUIRE_THROWS_AS(tt::CrossEntropyLoss().backward(), tt::error);
  }
}

TEST_CASE("argmax_rows and accuracy pick the largest logit per row", "[core][loss]") {
  const tt::Tensor logits = tt::from_vector({3, 3}, {0.1F, 0.7F, 0.2F, 5, -1, 2, 0, 0, 3});
  CHECK(tt::argmax_rows(logits) == std::vector<std::int32_t>{1, 0, 2});
  CHECK(tt::accuracy(logits, {1, 0, 0}) == Approx(2.0 / 3.0));
  REQUIRE_THROWS_AS(tt::accuracy(logits, {1, 0}), tt::shape_error);
  REQUIRE_THROWS_AS(tt::argmax_rows(tt::zeros({3})), tt::shape_error);
}
