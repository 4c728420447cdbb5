// Shared fixtures of module 18's tests: a hand-made two-layer model, random sparse matrices, and a
// small synthetic classification data set.
// Not a test itself: the *_test.cpp files include it.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "tt/activations.hpp"
#include "tt/fashion_mnist.hpp"
#include "tt/linear.hpp"
#include "tt/random.hpp"
#include "tt/sequential.hpp"

namespace m18 {

// Linear(3 -> 2) ReLU Linear(2 -> 2) with hand-picked weights (10 weights in all):
// |w| of layer 0: 0.1 5 0.3 / 4 0.2 6 — layer 2: 0.05 2 / 0.5 0.01. Biases 7 (never pruned).
inline tt::Sequential hand_model() {
  tt::Sequential m;
  m.emplace<tt::Linear>(tt::from_vector({2, 3}, {0.1F, -5.0F, 0.3F, 4.0F, -0.2F, 6.0F}),
                        tt::from_vector({2}, {7.0F, 7.0F}));
  m.emplace<tt::ReLU>();
  m.emplace<tt::Linear>(tt::from_vector({2, 2}, {0.05F, 2.0F, 0.5F, -0.01F}), tt::from_vector({2}, {7.0F, 7.0F}));
  return m;
}

// (rows, cols) with about `sparsity` of the entries exactly 0 and every `empty_every`-th row
// all zero (0: none).
inline tt::Tensor random_sparse(std::size_t rows, std::size_t cols, double sparsity, std::uint64_t seed,
                                std::size_t empty_every = 0) {
  tt::Rng rng(seed);
  tt::Tensor w = tt::rand_uniform({rows, cols}, -1.0F, 1.0F, rng);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < cols; ++c) {
      if (u(rng) < sparsity || (empty_every != 0 && r % empty_every == 0)) w(r, c) = 0.0F;
    }
  }
  return w;
}

// n samples of `features` values; the label is the argmax of a fixed random linear map, so a
// small MLP can learn it.
inline tt::Dataset synthetic_data(std::size_t n, std::size_t features, std::size_t classes, std::uint64_t seed) {
  tt::Rng rng(seed);
  tt::Rng map_rng(1234);  // the same labelling rule for every seed
  const tt::Tensor map = tt::rand_normal({classes, features}, 0.0F, 1.0F, map_rng);
  tt::Dataset d;
  d.images = tt::rand_normal({n, features}, 0.0F, 1.0F, rng);
  d.labels.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t best = 0;
    double best_v = -1e30;
    for (std::size_t c = 0; c < classes; ++c) {
      double v = 0;
      for (std::size_t f = 0; f < features; ++f) v += static_cast<double>(map(c, f)) * d.images(i, f);
      if (v > best_v) {
        best_v = v;
        best = c;
      }
    }
    d.labels[i] = static_cast<std::int32_t>(best);
  }
  return d;
}

// y = x · Wᵀ in double: the oracle for the sparse kernels. x: (batch, in), w: (out, in).
inline tt::Tensor dense_oracle_nt(const tt::Tensor& x, const tt::Tensor& w) {
  const std::size_t batch = x.shape()[0], out = w.shape()[0], in = w.shape()[1];
  tt::Tensor y = tt::zeros({batch, out});
  for (std::size_t b = 0; b < batch; ++b) {
    for (std::size_t o = 0; o < out; ++o) {
      double s = 0;
      for (std::size_t j = 0; j < in; ++j) s += static_cast<double>(x(b, j)) * w(o, j);
      y(b, o) = static_cast<float>(s);
    }
  }
  return y;
}

}  // namespace m18
