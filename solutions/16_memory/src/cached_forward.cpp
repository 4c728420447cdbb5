// The cached decoder forward, reference: the core GPT's layers with attend_incremental in place of full attention.
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
                      " sequences of ≥ 1 token (the cache's batch), got " + std::to_string(tokens.size()) +
                      (tokens.empty() ? "" : " of " + std::to_string(tokens[0].size())));
  }
  if (start_pos != cache.position()) {
    throw value_error("forward_cached: start_pos " + std::to_string(start_pos) + " but the cache's next position is " +
                      std::to_string(cache.position()) +
                      "; pass cache.position() (or reset() the cache to start over)");
  }
  const std::size_t t = tokens[0].size();
  Tensor x = model.embed(tokens, start_pos);  // (B, t, d): true positions, also for a sliding window
  cache.make_room(t);
  for (std::size_t l = 0; l < model.blocks.size(); ++l) {
    Block& blk = model.blocks[l];
    const Tensor a = blk.ln1.forward(x);
    const Tensor q = split_heads(blk.attn.q_proj.forward(a), cfg.n_heads);  // (B, H, t, hd)
    cache.update(l, split_heads(blk.attn.k_proj.forward(a), cfg.n_heads),
                 split_heads(blk.attn.v_proj.forward(a), cfg.n_heads));
    const Tensor o = attend_incremental(q, cache, l);  // (B, H, t, hd)
    x += blk.attn.o_proj.forward(merge_heads(o));
    x += blk.mlp(blk.ln2.forward(x));
  }
  cache.advance(t);
  return model.head(x);  // (B, t, vocab)
}

}  // namespace tt::memory
