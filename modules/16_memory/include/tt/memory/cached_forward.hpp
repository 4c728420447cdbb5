// The GPT decoder's forward pass with a KV cache: a prefill of many tokens or a decode step of one.
// Not a new model: it runs the core GPT's own layers (tt/gpt.hpp), only the attention changes.
#pragma once

#include <cstddef>

#include "tt/gpt.hpp"
#include "tt/memory/kv_cache.hpp"

namespace tt::memory {

// tokens: batch sequences of t_new new tokens each, at absolute positions start_pos … start_pos
// + t_new - 1 → logits (batch, t_new, vocab), equal (up to rounding) to the last t_new rows of
// model.forward() over the whole sequence so far.
// One step of the cache protocol (kv_cache.hpp): make_room(t_new); per layer: ln1, q/k/v
// projections, update, attend_incremental, o_proj + residual, MLP + residual; advance(t_new).
// start_pos must equal cache.position() (tt::value_error otherwise: the classic off-by-one);
// cache.batch() must equal tokens.size() and the cache must fit the model's layers, heads and
// head_dim (tt::shape_error). On an exception the cache keeps its committed positions only.
Tensor forward_cached(GPT& model, const TokenBatch& tokens, std::size_t start_pos, KVCache& cache);

}  // namespace tt::memory
