// Shared fixtures of module 16's tests: a small GPT, random prompts, a FLOP-counting backend and a naive oracle.
// Not graded code and not fast: the oracle loops in double precision on purpose.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "tt/gpt.hpp"
#include "tt/matmul.hpp"
#include "tt/random.hpp"
#include "tt/testing.hpp"

namespace m16 {

// Small enough for fast tests, with every dimension distinct so a transposed index shows up.
inline tt::GPTConfig small_config(std::uint64_t seed = 7) {
  tt::GPTConfig c;
  c.vocab = 50;
  c.d_model = 32;
  c.n_heads = 4;
  c.n_layers = 2;
  c.max_seq = 64;
  c.d_ff = 48;
  c.seed = seed;
  return c;
}

// `batch` sequences of `len` random ids in [0, vocab).
inline tt::TokenBatch random_tokens(std::size_t batch, std::size_t len, std::size_t vocab, std::uint64_t seed) {
  tt::Rng rng(seed);
  std::uniform_int_distribution<std::int32_t> pick(0, static_cast<std::int32_t>(vocab) - 1);
  tt::TokenBatch out(batch, std::vector<std::int32_t>(len));
  for (auto& s : out)
    for (auto& id : s) id = pick(rng);
  return out;
}

// Columns [from, to) of every sequence.
inline tt::TokenBatch slice(const tt::TokenBatch& tokens, std::size_t from, std::size_t to) {
  tt::TokenBatch out;
  for (const auto& s : tokens)
    out.emplace_back(s.begin() + static_cast<std::ptrdiff_t>(from), s.begin() + static_cast<std::ptrdiff_t>(to));
  return out;
}

// Rows [from, to) of axis 1 of a (B, T, V) tensor → (B, to - from, V).
inline tt::Tensor rows(const tt::Tensor& x, std::size_t from, std::size_t to) {
  const std::size_t B = x.shape()[0], T = x.shape()[1], V = x.shape()[2];
  tt::Tensor out = tt::Tensor::from_shape({B, to - from, V});
  for (std::size_t b = 0; b < B; ++b)
    std::copy_n(x.data() + (b * T + from) * V, (to - from) * V, out.data() + b * (to - from) * V);
  return out;
}

// a and b, both (B, H, ·, hd), concatenated along axis 2 (positions).
inline tt::Tensor concat_positions(const tt::Tensor& a, const tt::Tensor& b) {
  const std::size_t B = a.shape()[0], H = a.shape()[1], ta = a.shape()[2], tb = b.shape()[2], hd = a.shape()[3];
  tt::Tensor out = tt::Tensor::from_shape({B, H, ta + tb, hd});
  for (std::size_t bh = 0; bh < B * H; ++bh) {
    std::copy_n(a.data() + bh * ta * hd, ta * hd, out.data() + bh * (ta + tb) * hd);
    std::copy_n(b.data() + bh * tb * hd, tb * hd, out.data() + bh * (ta + tb) * hd + ta * hd);
  }
  return out;
}

// Matmul FLOPs of one decoder forward over t new tokens after `past` cached ones, written out
// independently of task 16.1 (2·m·n·k per product; attention over the full t × ctx rectangle).
inline double decoder_flops(const tt::GPTConfig& c, std::size_t B, std::size_t t, std::size_t past) {
  const double rows = static_cast<double>(B * t), ctx = static_cast<double>(past + t);
  const double per_layer = 4 * 2 * rows * c.d_model * c.d_model + 2 * 2 * rows * c.d_model * c.d_ff +
                           static_cast<double>(B * c.n_heads) * 2 * 2 * t * ctx * c.head_dim();
  return c.n_layers * per_layer + 2 * rows * c.d_model * c.vocab;
}

// A backend that forwards to the reference one and adds up 2·m·n·k per gemm call.
class CountingBackend : public tt::Backend {
 public:
  std::string name() const override { return "counting"; }
  void gemm(tt::ConstMatrixRef a, tt::ConstMatrixRef b, tt::MatrixRef c) override {
    flops += tt::gemm_flops(a.rows, b.cols, a.cols);
    ++calls;
    tt::reference_backend().gemm(a, b, c);
  }
  double flops = 0;
  std::size_t calls = 0;
};

// Naive attention in double: q, k, v (B, H, T, hd) → (B, H, T, hd). Position i attends to
// positions max(0, i - window + 1) … i (window 0: all of 0 … i).
inline tt::Tensor naive_attention(const tt::Tensor& q, const tt::Tensor& k, const tt::Tensor& v,
                                  std::size_t window = 0) {
  const std::size_t B = q.shape()[0], H = q.shape()[1], T = q.shape()[2], hd = q.shape()[3];
  tt::Tensor out = tt::Tensor::from_shape({B, H, T, hd});
  const double scale = 1.0 / std::sqrt(static_cast<double>(hd));
  std::vector<double> p(T);
  for (std::size_t b = 0; b < B; ++b)
    for (std::size_t h = 0; h < H; ++h)
      for (std::size_t i = 0; i < T; ++i) {
        const std::size_t lo = (window == 0 || i + 1 <= window) ? 0 : i + 1 - window;
        double mx = -1e300;
        for (std::size_t j = lo; j <= i; ++j) {
          double s = 0;
          for (std::size_t d = 0; d < hd; ++d) s += static_cast<double>(q(b, h, i, d)) * k(b, h, j, d);
          p[j] = s * scale;
          mx = std::max(mx, p[j]);
        }
        double sum = 0;
        for (std::size_t j = lo; j <= i; ++j) sum += (p[j] = std::exp(p[j] - mx));
        for (std::size_t d = 0; d < hd; ++d) {
          double acc = 0;
          for (std::size_t j = lo; j <= i; ++j) acc += p[j] / sum * v(b, h, j, d);
          out(b, h, i, d) = static_cast<float>(acc);
        }
      }
  return out;
}

// The whole decoder over `tokens` with naive (optionally sliding-window) attention, using the
// model's own layers: the oracle for the cached forward. → logits (B, T, vocab).
inline tt::Tensor naive_forward(tt::GPT& model, const tt::TokenBatch& tokens, std::size_t window = 0) {
  const std::size_t H = model.config().n_heads;
  tt::Tensor x = model.embed(tokens, 0);
  for (auto& blk : model.blocks) {
    const tt::Tensor a = blk.ln1.forward(x);
    const tt::Tensor att =
        naive_attention(tt::split_heads(blk.attn.q_proj.forward(a), H), tt::split_heads(blk.attn.k_proj.forward(a), H),
                        tt::split_heads(blk.attn.v_proj.forward(a), H), window);
    x = x + blk.attn.o_proj.forward(tt::merge_heads(att));
    x = x + blk.mlp(blk.ln2.forward(x));
  }
  return model.head(x);
}

// Logits match "within 1e-5" (the bar), absolute.
inline constexpr tt::Tolerance kSameLogits{1e-5F, 0.0F};
// Float against a double-precision oracle.
inline constexpr tt::Tolerance kOracle{2e-5F, 1e-4F};

}  // namespace m16
