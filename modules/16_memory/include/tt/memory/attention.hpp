// Incremental attention: the new token(s) of a decoding step attend to the cached keys and values.
// Not full-sequence attention (that is tt::causal_attention in the core, the oracle for this one).
#pragma once

#include <cstddef>

#include "tt/memory/kv_cache.hpp"
#include "tt/tensor.hpp"

namespace tt::memory {

// q_new: (batch, heads, t_new, head_dim), the queries of the step's t_new new tokens, whose keys
// and values were already written with cache.update(layer, …) (so they are the last t_new of
// the cache.layer_len(layer) positions). → (batch, heads, t_new, head_dim).
//
// New token i (0-based within the step) attends to cached positions 0 … len - t_new + i: the
// whole past, the earlier new tokens and itself (causal inside the step). Scores are scaled by
// 1/sqrt(head_dim) and softmax-normalized per row. Per (batch, head) the two matmuls
// (q · Kᵀ and P · V) go through tt::current_backend().gemm on views of the cache, no copy.
// Throws tt::index_error for a bad layer, tt::shape_error if q_new does not match the cache
// (batch, heads, head_dim) or t_new exceeds layer_len(layer) (update the cache first).
Tensor attend_incremental(const Tensor& q_new, const KVCache& cache, std::size_t layer);

}  // namespace tt::memory
