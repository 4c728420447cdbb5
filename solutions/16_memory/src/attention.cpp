// Incremental attention reference: per (batch, head), scores = q·Kᵀ over the cache, causal softmax, · V.
// Not the full-sequence attention of the core: the queries are only the step's new tokens.
#include "tt/memory/attention.hpp"

#include <cmath>
#include <string>

#include "tt/activations.hpp"
#include "tt/matmul.hpp"

namespace tt::memory {

Tensor attend_incremental(const Tensor& q_new, const KVCache& cache, std::size_t layer) {
  const std::size_t len = cache.layer_len(layer);  // index_error for a bad layer
  const std::size_t B = cache.batch();
  const std::size_t H = cache.n_heads();
  const std::size_t hd = cache.head_dim();
  if (q_new.dimension() != 4 || q_new.shape()[0] != B || q_new.shape()[1] != H || q_new.shape()[3] != hd ||
      q_new.shape()[2] == 0) {
    throw shape_error("attend_incremental: q_new must be (batch " + std::to_string(B) + ", heads " + std::to_string(H) +
                      ", t_new ≥ 1, head_dim " + std::to_string(hd) + "), got " + shape_of(q_new));
  }
  const std::size_t t = q_new.shape()[2];
  if (t > len) {
    throw shape_error("attend_incremental: " + std::to_string(t) + " new queries but layer " + std::to_string(layer) +
                      " holds only " + std::to_string(len) +
                      " positions; write the step's keys and values with cache.update() first");
  }

  Backend& backend = current_backend();
  const float scale = 1.0F / std::sqrt(static_cast<float>(hd));
  Tensor out = Tensor::from_shape({B, H, t, hd});
  Tensor scores = Tensor::from_shape({t, len});
  const MatrixRef s{scores.data(), t, len, static_cast<std::ptrdiff_t>(len)};
  const auto ld = static_cast<std::ptrdiff_t>(hd);
  for (std::size_t b = 0; b < B; ++b) {
    for (std::size_t h = 0; h < H; ++h) {
      const std::size_t off = (b * H + h) * t * hd;
      const ConstMatrixRef q{q_new.data() + off, t, hd, ld, 1};
      backend.gemm(q, cache.keys(layer, b, h).t(), s);  // (t, hd)·(hd, len) → (t, len)
      for (std::size_t i = 0; i < t; ++i) {
        // New token i sits at cache row len - t + i and sees rows 0 … len - t + i.
        const std::size_t visible = len - t + i + 1;
        masked_softmax_row(scores.data() + i * len, len, visible, scale);
      }
      const ConstMatrixRef p{scores.data(), t, len, static_cast<std::ptrdiff_t>(len), 1};
      backend.gemm(p, cache.values(layer, b, h), MatrixRef{out.data() + off, t, hd, ld});  // (t, len)·(len, hd)
    }
  }
  return out;
}

}  // namespace tt::memory
