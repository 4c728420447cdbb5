// The cached decoder forward (task 16.3): the core GPT's layers with attend_incremental in place of full attention.
// Not a copy of the model: weights are read from the GPT passed in.
#include "tt/memory/cached_forward.hpp"

#include <string>

#include "tt/memory/attention.hpp"

namespace tt::memory {

Tensor forward_cached(GPT& model, const TokenBatch& tokens, std::size_t start_pos, KVCache& cache) {
  const GPTConfig& cfg = model.config();
  if (cache.n_layers() != cfg.n_layers || cache.n_heads() != cfg.n_heads || cache.head_dim() != cfg.head_dim()) {
    throw shape_error("forward_cached: the cache is for " + std::to_string(cache.n_layers()) + " layers × " +
                      std::to_string(cache.n_heads()) + " heads × head_dim " + std::to_string(cache.head_dim()) +
                      ", the model has " + std::to_string(cfg.n_layers) + " × " + std::to_string(cfg.n_heads) + " × " +
                      std::to_string(cfg.head_dim()) + "; build the cache from model.config()");
  }
  if (tokens.size() != cache.batch() || tokens.empty() || tokens[0].empty()) {
    throw shape_error("forward_cached: expected " + std::to_string(cache.batch()) +
                      " sequences of ≥ 1 token (the cache's batch), got " + std::to_string(tokens.size()));
  }
  // Then, in order:
  //   - start_pos must be cache.position() (tt::value_error saying what to pass);
  //   - x = model.embed(tokens, start_pos): (B, t, d) at the true positions;
  //   - cache.make_room(t);
  //   - per layer l (Block& blk = model.blocks[l]):
  //       a = blk.ln1.forward(x); q, k, v = split_heads(blk.attn.{q,k,v}_proj.forward(a), heads);
  //       cache.update(l, k, v); o = attend_incremental(q, cache, l);
  //       x += blk.attn.o_proj.forward(merge_heads(o)); x += blk.mlp(blk.ln2.forward(x));
  //   - cache.advance(t); return model.head(x).
  // TODO(16.3): the step.
  TT_UNIMPLEMENTED("16.3 forward_cached");
}

}  // namespace tt::memory
