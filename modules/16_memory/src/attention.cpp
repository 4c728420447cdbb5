// Incremental attention (task 16.3): per (batch, head), scores = q·Kᵀ over the cache, causal softmax, · V.
// Not the full-sequence attention of the core: the queries are only the step's new tokens.
#include "tt/memory/attention.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "tt/matmul.hpp"

namespace tt::memory {

Tensor attend_incremental(const Tensor& q_new, const KVCache& cache, std::size_t layer) {
  const std::size_t len = cache.layer_len(layer);  // index_error for a bad layer
  const std::size_t B = cache.batch();
  const std::size_t H = cache.n_heads();
  const std::size_t hd = cache.head_dim();
  if (q_new.dimension() != 4 || q_new.shape()[0] != B || q_new.shape()[1] != H || q_new.shape()[3] != hd ||
      q_new.shape()[2] == 0 || q_new.shape()[2] > len) {
    throw shape_error("attend_incremental: q_new must be (batch " + std::to_string(B) + ", heads " + std::to_string(H) +
                      ", 1 ≤ t_new ≤ " + std::to_string(len) + " cached positions, head_dim " + std::to_string(hd) +
                      "), got " + shape_of(q_new) + "; write the step's keys and values with cache.update() first");
  }
  const std::size_t t = q_new.shape()[2];
  // For every (b, h):
  //   1. scores (t, len) = q (t, hd) · Kᵀ: current_backend().gemm(q_view, cache.keys(layer, b, h).t(),
  //      scores_view). The transpose is a view (swapped strides), not a copy.
  //   2. row i belongs to the new token at cache row len - t + i: scale by 1/sqrt(hd), softmax over
  //      columns 0 … len - t + i (subtract the max first), zero the columns after it.
  //      Off-by-one check: the token must see its own column.
  //   3. out (t, hd) = P (t, len) · V (len, hd): gemm(P_view, cache.values(layer, b, h), out_view).
  // Allocate out (B, H, t, hd) and one (t, len) scores tensor, reused for every (b, h).
  // TODO(16.3): the loop over (b, h).
  (void)t;
  TT_UNIMPLEMENTED("16.3 attend_incremental");
}

}  // namespace tt::memory
