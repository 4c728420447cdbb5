// generate() (task 16.4): a prefill then one cached decode step per token, or the uncached full forward each step.
// Not beam search: one candidate per sequence, greedy or sampled.
#include "tt/memory/generate.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>
#include <string>

#include "tt/memory/cached_forward.hpp"
#include "tt/memory/sliding_window.hpp"

namespace tt::memory {

std::int32_t sample_next(const float* logits, std::size_t vocab, const GenerateOptions& opt, Rng& rng) {
  // Greedy: the index of the first maximum (std::max_element).
  // Sampling: value_error unless temperature > 0; order ids by logit, descending, ties by
  // lowest id (std::stable_sort of 0 … vocab-1); keep the top_k (0 = all); weights
  // exp((logit - max) / temperature) in double; u = uniform_real_distribution<double>(0, 1)(rng)
  // times their sum; return the first id whose running sum exceeds u.
  // NaN logits: value_error.
  // TODO(16.4): greedy and sampling.
  TT_UNIMPLEMENTED("16.4 sample_next");
}

GenerateResult generate(GPT& model, const TokenBatch& prompt, std::size_t n_new, const GenerateOptions& opt) {
  if (prompt.empty() || prompt[0].empty()) throw value_error("generate: the prompt needs ≥ 1 sequence of ≥ 1 token");
  const std::size_t P = prompt[0].size();
  for (const auto& s : prompt) {
    if (s.size() != P) {
      throw shape_error("generate: prompts must have equal length, got " + std::to_string(P) + " and " +
                        std::to_string(s.size()) + "; pad them or generate one at a time");
    }
  }
  // The last generated token is never fed back, so positions 0 … P + n_new - 2 are processed.
  const std::size_t positions = P + (n_new == 0 ? 0 : n_new - 1);
  if (positions > model.config().max_seq) {
    throw value_error("generate: prompt " + std::to_string(P) + " + " + std::to_string(n_new) + " new tokens needs " +
                      std::to_string(positions) + " positions, the model has max_seq " +
                      std::to_string(model.config().max_seq));
  }
  // One Rng(opt.seed). With the cache: a KVCache(cfg, batch, positions) (or a
  // SlidingWindowKVCache(cfg, batch, opt.window) when window > 0); step 0 feeds the prompt at
  // position 0, each later step feeds the token just chosen at cache->position(). Without:
  // model.forward(all tokens so far) every step. Either way the last row of the logits, per
  // sequence in batch order, goes to sample_next; keep_logits stores those rows, (batch, vocab).
  // TODO(16.4): the generation loop.
  TT_UNIMPLEMENTED("16.4 generate");
}

}  // namespace tt::memory
