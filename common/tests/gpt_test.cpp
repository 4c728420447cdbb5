// Tests of the GPT decoder: head layout, attention against a double-precision oracle, causality,
// determinism, batching and bad input. Not a test of generation quality (the weights are random).
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "tt/gpt.hpp"
#include "tt/matmul.hpp"
#include "tt/random.hpp"
#include "tt/testing.hpp"
#include "tt/testing/temp_dir.hpp"

namespace {

using tt::testing::AllClose;

tt::GPTConfig small_config(std::uint64_t seed = 0) {
  tt::GPTConfig c;
  c.vocab = 50;
  c.d_model = 32;
  c.n_heads = 4;
  c.n_layers = 2;
  c.max_seq = 16;
  c.d_ff = 64;
  c.seed = seed;
  return c;
}

const std::vector<std::int32_t> kTokens = {3, 17, 42, 0, 49, 8, 8, 21};

// Rows [t0, t1) of a (T, vocab) logits tensor.
tt::Tensor rows(const tt::Tensor& logits, std::size_t t0, std::size_t t1) {
  const std::size_t v = logits.shape()[1];
  tt::Tensor out = tt::Tensor::from_shape({t1 - t0, v});
  std::copy(logits.data() + t0 * v, logits.data() + t1 * v, out.data());
  return out;
}

// Attention in double precision, straight from the definition.
tt::Tensor naive_attention(const tt::Tensor& q, const tt::Tensor& k, const tt::Tensor& v) {
  const std::size_t B = q.shape()[0], H = q.shape()[1], T = q.shape()[2], hd = q.shape()[3];
  tt::Tensor out = tt::zeros({B, H, T, hd});
  for (std::size_t b = 0; b < B; ++b)
    for (std::size_t h = 0; h < H; ++h)
      for (std::size_t i = 0; i < T; ++i) {
        std::vector<double> w(i + 1);
        double mx = -1e300, sum = 0;
        for (std::size_t j = 0; j <= i; ++j) {
          double s = 0;
          for (std::size_t d = 0; d < hd; ++d) s += double(q(b, h, i, d)) * double(k(b, h, j, d));
          w[j] = s / std::sqrt(double(hd));
          mx = std::max(mx, w[j]);
        }
        for (double& x : w) sum += (x = std::exp(x - mx));
        for (std::size_t d = 0; d < hd; ++d) {
          double acc = 0;
          for (std::size_t j = 0; j <= i; ++j) acc += w[j] / sum * double(v(b, h, j, d));
          out(b, h, i, d) = static_cast<float>(acc);
        }
      }
  return out;
}

// A backend that counts its calls and forwards them to the reference one.
class CountingBackend : public tt::Backend {
 public:
  std::string name() const override { return "counting"; }
  void gemm(tt::ConstMatrixRef a, tt::ConstMatrixRef b, tt::MatrixRef c) override {
    ++calls;
    tt::reference_backend().gemm(a, b, c);
  }
  int calls = 0;
};

}  // namespace

TEST_CASE("split_heads and merge_heads move head h of token t to [b, h, t] and back", "[core][gpt]") {
  tt::Rng rng(1);
  const tt::Tensor x = tt::rand_uniform({2, 5, 12}, -1, 1, rng);
  const tt::Tensor s = tt::split_heads(x, 3);
  REQUIRE(s.shape() == std::vector<std::size_t>{2, 3, 5, 4});
  CHECK(s(1, 2, 4, 3) == x(1, 4, 2 * 4 + 3));
  CHECK(s(0, 1, 2, 0) == x(0, 2, 4));
  CHECK_THAT(tt::merge_heads(s), AllClose(x, {0, 0}));
  CHECK_THROWS_AS(tt::split_heads(x, 5), tt::shape_error);
  CHECK_THROWS_AS(tt::merge_heads(x), tt::shape_error);
}

TEST_CASE("causal_attention matches a double-precision oracle on every backend", "[core][gpt]") {
  const auto shape = GENERATE(tt::Shape{2, 3, 7, 5}, tt::Shape{1, 1, 1, 8}, tt::Shape{1, 2, 33, 16});
  tt::Rng rng(shape[2]);
  const tt::Tensor q = tt::rand_normal(shape, 0, 1, rng);
  const tt::Tensor k = tt::rand_normal(shape, 0, 1, rng);
  const tt::Tensor v = tt::rand_normal(shape, 0, 1, rng);
  const tt::Tensor expected = naive_attention(q, k, v);
  SECTION("reference backend") {
    tt::BackendGuard g(tt::reference_backend());
    CHECK_THAT(tt::causal_attention(q, k, v), AllClose(expected, {1e-5F, 1e-4F}));
  }
  SECTION("BLAS backend") {
    tt::BackendGuard g(tt::blas_backend());
    CHECK_THAT(tt::causal_attention(q, k, v), AllClose(expected, {1e-5F, 1e-4F}));
  }
  SECTION("both products go through the installed backend, two per (batch, head)") {
    CountingBackend counting;
    tt::BackendGuard g(counting);
    CHECK_THAT(tt::causal_attention(q, k, v), AllClose(expected, {1e-5F, 1e-4F}));
    CHECK(counting.calls == static_cast<int>(2 * shape[0] * shape[1]));
  }
  CHECK_THROWS_AS(tt::causal_attention(q, k, tt::zeros({1, 1, 1, 1})), tt::shape_error);
}

TEST_CASE("GPT forward gives (B, T, vocab) logits and exposes its parts", "[core][gpt]") {
  const tt::GPTConfig cfg = small_config();
  tt::GPT gpt(cfg);
  CHECK(gpt.blocks.size() == cfg.n_layers);
  CHECK(gpt.blocks[0].attn.n_heads == 4);
  CHECK(gpt.blocks[0].attn.head_dim == 8);
  CHECK(gpt.config().head_dim() == 8);

  const tt::Tensor batch = gpt.forward(tt::TokenBatch{kTokens, kTokens});
  CHECK(batch.shape() == std::vector<std::size_t>{2, kTokens.size(), cfg.vocab});
  const tt::Tensor single = gpt.forward(kTokens);
  CHECK(single.shape() == std::vector<std::size_t>{kTokens.size(), cfg.vocab});
  for (const float x : single) REQUIRE(std::isfinite(x));
  CHECK(gpt.embed({{1, 2, 3}}, 13).shape() == std::vector<std::size_t>{1, 3, cfg.d_model});

  const tt::NamedParams params = gpt.named_params();
  std::vector<std::string> names;
  std::size_t count = 0;
  for (const auto& [name, p] : params) {
    names.push_back(name);
    count += p->value.size();
  }
  CHECK(gpt.parameter_count() == count);
  for (const char* expected : {"tok_emb.table", "pos_emb.table", "blocks.0.ln1.gamma", "blocks.0.attn.q_proj.weight",
                               "blocks.1.attn.o_proj.bias", "blocks.1.fc2.weight", "ln_f.beta", "lm_head.weight"}) {
    CHECK(std::find(names.begin(), names.end(), expected) != names.end());
  }
}

TEST_CASE("Changing a later token never changes earlier positions' logits", "[core][gpt]") {
  tt::GPT gpt(small_config(3));
  const tt::Tensor base = gpt.forward(kTokens);
  const std::size_t j = GENERATE(1, 4, 7);
  std::vector<std::int32_t> changed = kTokens;
  changed[j] = (changed[j] + 11) % 50;
  const tt::Tensor after = gpt.forward(changed);
  CHECK_THAT(rows(after, 0, j), AllClose(rows(base, 0, j), {1e-6F, 0}));
  // …and the changed position does see the new token.
  CHECK_FALSE(tt::allclose(rows(after, j, j + 1), rows(base, j, j + 1), {1e-3F, 0}));
}

TEST_CASE("The same seed gives the same model, another seed another model", "[core][gpt]") {
  tt::GPT a(small_config(5));
  tt::GPT b(small_config(5));
  tt::GPT c(small_config(6));
  const tt::Tensor la = a.forward(kTokens);
  CHECK_THAT(b.forward(kTokens), AllClose(la, {0, 0}));
  CHECK_FALSE(tt::allclose(c.forward(kTokens), la, {1e-3F, 0}));
}

TEST_CASE("A batch of two sequences equals two single runs", "[core][gpt]") {
  tt::GPT gpt(small_config(1));
  const std::vector<std::int32_t> other = {9, 9, 1, 2, 3, 4, 5, 6};
  const tt::Tensor batch = gpt.forward(tt::TokenBatch{kTokens, other});
  const std::size_t T = kTokens.size(), V = 50;
  tt::Tensor first = tt::Tensor::from_shape({T, V}), second = tt::Tensor::from_shape({T, V});
  std::copy(batch.data(), batch.data() + T * V, first.data());
  std::copy(batch.data() + T * V, batch.data() + 2 * T * V, second.data());
  CHECK_THAT(first, AllClose(gpt.forward(kTokens), {1e-5F, 1e-4F}));
  CHECK_THAT(second, AllClose(gpt.forward(other), {1e-5F, 1e-4F}));
}

TEST_CASE("Saved GPT weights load into another GPT and give the same logits", "[core][gpt]") {
  tt::testing::TempDir dir;
  tt::GPT a(small_config(1));
  tt::GPT b(small_config(2));
  tt::save_weights(a.named_params(), dir.str());
  tt::load_weights(b.named_params(), dir.str());
  CHECK_THAT(b.forward(kTokens), AllClose(a.forward(kTokens), {0, 0}));
}

TEST_CASE("Bad token input is refused with a typed error", "[core][gpt]") {
  tt::GPT gpt(small_config());
  SECTION("ids outside [0, vocab)") {
    CHECK_THROWS_AS(gpt.forward(std::vector<std::int32_t>{1, -1, 2}), tt::value_error);
    CHECK_THROWS_AS(gpt.forward(std::vector<std::int32_t>{50}), tt::value_error);
  }
  SECTION("longer than max_seq") {
    CHECK_THROWS_AS(gpt.forward(std::vector<std::int32_t>(17, 1)), tt::value_error);
    CHECK_NOTHROW(gpt.forward(std::vector<std::int32_t>(16, 1)));
    CHECK_THROWS_AS(gpt.embed({{1, 2}}, 15), tt::value_error);
  }
  SECTION("unequal or empty sequences") {
    CHECK_THROWS_AS(gpt.forward(tt::TokenBatch{{1, 2, 3}, {1, 2}}), tt::shape_error);
    CHECK_THROWS_AS(gpt.forward(tt::TokenBatch{}), tt::shape_error);
    CHECK_THROWS_AS(gpt.forward(std::vector<std::int32_t>{}), tt::shape_error);
  }
  SECTION("heads that do not divide d_model") {
    tt::GPTConfig cfg = small_config();
    cfg.n_heads = 5;
    CHECK_THROWS_AS(tt::GPT(cfg), tt::value_error);
  }
}
