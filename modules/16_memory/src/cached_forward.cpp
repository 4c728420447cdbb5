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
  // What your step must guarantee (the header states the contract; the tests check each point):
  //   - the logits equal the last t rows of model.forward() over the whole sequence so far: the
  //     same layers in the same order as Block::forward (common/src/gpt.cpp), except that
  //     attention reads this step's queries against every cached key and value of its layer;
  //   - the tokens sit at their true positions start_pos … start_pos + t - 1, and start_pos must
  //     be cache.position() (a tt::value_error that says what to pass, the classic off-by-one);
  //   - the cache protocol of kv_cache.hpp, once per step: room before any layer writes, each
  //     layer writes its own new keys and values before it attends, and position() moves by t
  //     only after every layer has written — so an exception leaves the committed positions as
  //     they were.
  // TODO(16.3): the step (attend_incremental, task 16.3 too, does the attention itself).
  TT_UNIMPLEMENTED("16.3 forward_cached");
}

}  // namespace tt::memory
