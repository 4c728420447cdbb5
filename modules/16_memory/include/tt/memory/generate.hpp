// Autoregressive generation with the core GPT: greedy or temperature + top-k sampling, with or without a KV cache.
// Not a tokenizer or a chat loop: token ids in, token ids (and optionally logits) out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "tt/gpt.hpp"
#include "tt/random.hpp"

namespace tt::memory {

struct GenerateOptions {
  bool use_cache = true;     // false: model.forward() over the whole sequence at every step
  std::size_t window = 0;    // with use_cache: 0 = full KVCache, else SlidingWindowKVCache(window)
  bool greedy = true;        // argmax (lowest id on ties); else sample
  float temperature = 1.0F;  // sampling: logits / temperature (> 0)
  std::size_t top_k = 0;     // sampling: keep the k largest logits (0 = all)
  std::uint64_t seed = 0;    // sampling: one tt::Rng(seed) per call, rows drawn in batch order
  bool keep_logits = false;  // fill GenerateResult::step_logits
};

struct GenerateResult {
  TokenBatch tokens;                // batch sequences: the prompt followed by n_new generated ids
  std::vector<Tensor> step_logits;  // keep_logits: n_new tensors (batch, vocab), the logits each
                                    // generated token was chosen from
};

// Picks the next id from one row of logits (vocab values) per the options (greedy / sampling).
// Sampling: softmax(logits / temperature) over the top_k largest (ties at the k-th value by
// lowest id), computed in double, then one uniform draw from `rng`. tt::value_error for a
// temperature ≤ 0 or NaN logits.
std::int32_t sample_next(const float* logits, std::size_t vocab, const GenerateOptions& opt, Rng& rng);

// prompt: batch ≥ 1 sequences of equal length P ≥ 1 → P + n_new tokens each. With the cache:
// one prefill of P tokens, then one decode step per new token; without: model.forward over
// the whole sequence at every step. Both give the same tokens and logits (up to rounding).
// tt::value_error if P + n_new - 1 > model's max_seq (positions past the embedding table) or
// the prompt is empty; tt::shape_error for prompts of unequal length.
GenerateResult generate(GPT& model, const TokenBatch& prompt, std::size_t n_new, const GenerateOptions& opt = {});

}  // namespace tt::memory
