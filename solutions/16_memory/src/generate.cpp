// generate() reference: a prefill then one cached decode step per token, or the uncached full forward each step.
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
  if (vocab == 0) throw value_error("sample_next: empty logits row");
  for (std::size_t i = 0; i < vocab; ++i) {
    if (std::isnan(logits[i])) throw value_error("sample_next: logit " + std::to_string(i) + " is NaN");
  }
  if (opt.greedy) {
    return static_cast<std::int32_t>(std::max_element(logits, logits + vocab) - logits);  // first max
  }
  if (!(opt.temperature > 0.0F)) {
    throw value_error("sample_next: temperature must be > 0, got " + std::to_string(opt.temperature) +
                      "; use greedy = true for argmax decoding");
  }
  // Candidate ids by logit, descending; ties by lowest id (stable on an ascending id list).
  std::vector<std::int32_t> ids(vocab);
  std::iota(ids.begin(), ids.end(), 0);
  std::stable_sort(ids.begin(), ids.end(), [&](std::int32_t a, std::int32_t b) { return logits[a] > logits[b]; });
  const std::size_t k = (opt.top_k == 0 || opt.top_k > vocab) ? vocab : opt.top_k;
  std::vector<double> p(k);
  const double mx = logits[ids[0]];
  double sum = 0;
  for (std::size_t i = 0; i < k; ++i) {
    p[i] = std::exp((static_cast<double>(logits[ids[i]]) - mx) / opt.temperature);
    sum += p[i];
  }
  const double u = std::uniform_real_distribution<double>(0.0, 1.0)(rng) * sum;
  double acc = 0;
  for (std::size_t i = 0; i < k; ++i) {
    acc += p[i];
    if (u < acc) return ids[i];
  }
  return ids[k - 1];  // u rounded up to sum
}

GenerateResult generate(GPT& model, const TokenBatch& prompt, std::size_t n_new, const GenerateOptions& opt) {
  if (prompt.empty() || prompt[0].empty()) throw value_error("generate: the prompt needs ≥ 1 sequence of ≥ 1 token");
  const std::size_t B = prompt.size();
  const std::size_t P = prompt[0].size();
  for (const auto& s : prompt) {
    if (s.size() != P) {
      throw shape_error("generate: prompts must have equal length, got " + std::to_string(P) + " and " +
                        std::to_string(s.size()) + "; pad them or generate one at a time");
    }
  }
  const GPTConfig& cfg = model.config();
  // The last generated token is never fed back, so positions 0 … P + n_new - 2 are processed.
  const std::size_t positions = P + (n_new == 0 ? 0 : n_new - 1);
  if (positions > cfg.max_seq) {
    throw value_error("generate: prompt " + std::to_string(P) + " + " + std::to_string(n_new) + " new tokens needs " +
                      std::to_string(positions) + " positions, the model has max_seq " + std::to_string(cfg.max_seq));
  }

  GenerateResult res;
  res.tokens = prompt;
  if (n_new == 0) return res;
  Rng rng(opt.seed);
  std::unique_ptr<KVCache> cache;
  if (opt.use_cache) {
    cache = opt.window > 0 ? std::make_unique<SlidingWindowKVCache>(cfg, B, opt.window)
                           : std::make_unique<KVCache>(cfg, B, positions);
  }
  TokenBatch step = prompt;  // what the next cached forward consumes
  for (std::size_t s = 0; s < n_new; ++s) {
    Tensor logits;  // (B, T, vocab); its last row per sequence picks the next token
    if (opt.use_cache) {
      logits = forward_cached(model, step, cache->position(), *cache);
    } else {
      logits = model.forward(res.tokens);
    }
    const std::size_t T = logits.shape()[1];
    const std::size_t V = logits.shape()[2];
    Tensor last = Tensor::from_shape({B, V});
    for (std::size_t b = 0; b < B; ++b) {
      const float* row = logits.data() + (b * T + T - 1) * V;
      std::copy_n(row, V, last.data() + b * V);
      const std::int32_t id = sample_next(row, V, opt, rng);
      res.tokens[b].push_back(id);
      step[b].assign(1, id);
    }
    if (opt.keep_logits) res.step_logits.push_back(std::move(last));
  }
  return res;
}

}  // namespace tt::memory
