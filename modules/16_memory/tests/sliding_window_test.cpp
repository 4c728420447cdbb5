// Tests of task 16.5: the sliding-window cache: bounded memory, exact while it fits, banded attention after.
// Not the trade-off table: the benchmark prints that.
#include "tt/memory/sliding_window.hpp"
#include "tt/memory/cached_forward.hpp"
#include "tt/memory/generate.hpp"

#include "m16_fixtures.hpp"

using tt::memory::forward_cached;
using tt::memory::KVCache;
using tt::memory::SlidingWindowKVCache;

TEST_CASE("a sliding window equals the full cache while the sequence fits the window", "[m16][16.5][points=2]") {
  const tt::GPTConfig cfg = m16::small_config(GENERATE(1, 2));
  tt::GPT model(cfg);
  const std::size_t W = 16, P = 5;
  const tt::TokenBatch tokens = m16::random_tokens(2, W, cfg.vocab, 77);
  SlidingWindowKVCache window(cfg, 2, W);
  KVCache full(cfg, 2, cfg.max_seq);
  CHECK(window.memory_bytes() == KVCache::bytes_for(cfg, 2, W));
  CHECK(window.window() == W);

  CHECK_THAT(forward_cached(model, m16::slice(tokens, 0, P), 0, window),
             tt::testing::AllClose(forward_cached(model, m16::slice(tokens, 0, P), 0, full), {0, 0}));
  for (std::size_t p = P; p < W; ++p) {
    INFO("position " << p);
    CHECK_THAT(forward_cached(model, m16::slice(tokens, p, p + 1), p, window),
               tt::testing::AllClose(forward_cached(model, m16::slice(tokens, p, p + 1), p, full), {0, 0}));
  }
  CHECK(window.evicted() == 0);
  CHECK(window.seq_len() == W);

  tt::memory::GenerateOptions opt;
  opt.keep_logits = true;
  const auto a = tt::memory::generate(model, m16::slice(tokens, 0, P), W - P + 1, opt);
  opt.window = W;
  const auto b = tt::memory::generate(model, m16::slice(tokens, 0, P), W - P + 1, opt);
  CHECK(a.tokens == b.tokens);
}

TEST_CASE("past the window each token attends to the last window positions at its true position", "[m16][16.5][points=3]") {
  const tt::GPTConfig cfg = m16::small_config(6);
  tt::GPT model(cfg);
  const std::size_t W = GENERATE(1, 4, 7);
  const std::size_t P = std::min<std::size_t>(3, W), T = 20;
  const tt::TokenBatch tokens = m16::random_tokens(2, T, cfg.vocab, W);
  const tt::Tensor banded = m16::naive_forward(model, tokens, W);  // position p sees p-W+1 … p
  const tt::Tensor full = model.forward(tokens);

  SlidingWindowKVCache cache(cfg, 2, W);
  CHECK_THAT(forward_cached(model, m16::slice(tokens, 0, P), 0, cache),
             tt::testing::AllClose(m16::rows(banded, 0, P), m16::kOracle));
  double max_diff_vs_full = 0;
  for (std::size_t p = P; p < T; ++p) {
    INFO("position " << p);
    const tt::Tensor step = forward_cached(model, m16::slice(tokens, p, p + 1), cache.position(), cache);
    CHECK_THAT(step, tt::testing::AllClose(m16::rows(banded, p, p + 1), m16::kOracle));
    CHECK(cache.seq_len() == std::min(p + 1, W));
    CHECK(cache.position() == p + 1);
    CHECK(cache.evicted() == p + 1 - cache.seq_len());
    const tt::Tensor diff = xt::abs(step - m16::rows(full, p, p + 1));
    max_diff_vs_full = std::max(max_diff_vs_full, static_cast<double>(xt::amax(diff)()));
  }
  // Forgetting the past changes the logits (the effect the benchmark tabulates).
  CHECK(max_diff_vs_full > 1e-3);
}

TEST_CASE("the sliding window keeps its memory bounded and refuses a step longer than the window", "[m16][16.5][points=1]") {
  const tt::GPTConfig cfg = m16::small_config();
  tt::GPT model(cfg);
  SlidingWindowKVCache cache(cfg, 1, 4);
  REQUIRE_THROWS_AS(cache.make_room(5), tt::index_error);
  REQUIRE_THROWS_AS(forward_cached(model, m16::random_tokens(1, 5, cfg.vocab, 1), 0, cache), tt::index_error);
  CHECK(cache.seq_len() == 0);
  const tt::TokenBatch tokens = m16::random_tokens(1, 30, cfg.vocab, 2);
  (void)forward_cached(model, m16::slice(tokens, 0, 4), 0, cache);
  for (std::size_t p = 4; p < 30; ++p) (void)forward_cached(model, m16::slice(tokens, p, p + 1), p, cache);
  CHECK(cache.seq_len() == 4);
  CHECK(cache.evicted() == 26);
  CHECK(cache.memory_bytes() == KVCache::bytes_for(cfg, 1, 4));
  cache.reset();
  CHECK(cache.position() == 0);
  CHECK(cache.evicted() == 0);
}
