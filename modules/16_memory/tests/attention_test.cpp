// Tests of task 16.3: incremental attention over the cache and the cached decoder forward.
// Not generation (generate_test.cpp): one forward at a time, against full-sequence oracles.
#include "tt/memory/attention.hpp"
#include "tt/memory/cached_forward.hpp"

#include "m16_fixtures.hpp"

using tt::memory::attend_incremental;
using tt::memory::forward_cached;
using tt::memory::KVCache;

namespace {

// A config whose cache holds `heads` × `hd` attention heads (layers and vocab do not matter).
tt::GPTConfig attention_config(std::size_t heads, std::size_t hd, std::size_t layers = 1) {
  tt::GPTConfig c = m16::small_config();
  c.n_heads = heads;
  c.d_model = heads * hd;
  c.n_layers = layers;
  return c;
}

// Positions [from, to) of axis 2 of a (B, H, T, hd) tensor.
tt::Tensor positions(const tt::Tensor& x, std::size_t from, std::size_t to) {
  const std::size_t B = x.shape()[0], H = x.shape()[1], T = x.shape()[2], hd = x.shape()[3];
  tt::Tensor out = tt::Tensor::from_shape({B, H, to - from, hd});
  for (std::size_t bh = 0; bh < B * H; ++bh)
    std::copy_n(x.data() + (bh * T + from) * hd, (to - from) * hd, out.data() + bh * (to - from) * hd);
  return out;
}

}  // namespace

TEST_CASE("attend_incremental equals causal attention on the new rows for awkward shapes", "[m16][16.3][points=3]") {
  const std::size_t B = GENERATE(1, 2);
  const std::size_t H = GENERATE(1, 3);
  const std::size_t hd = GENERATE(1, 5, 16);
  const std::size_t T = 7;
  const std::size_t past = GENERATE(0, 1, 4, 6);  // the new block is positions past … T-1
  const tt::GPTConfig cfg = attention_config(H, hd);
  tt::Rng rng(B * 100 + H * 10 + hd + past);
  const tt::Tensor q = tt::rand_normal({B, H, T, hd}, 0, 1, rng);
  const tt::Tensor k = tt::rand_normal({B, H, T, hd}, 0, 1, rng);
  const tt::Tensor v = tt::rand_normal({B, H, T, hd}, 0, 1, rng);
  const tt::Tensor expected = positions(m16::naive_attention(q, k, v), past, T);

  KVCache cache(cfg, B, T + 2);
  if (past > 0) {
    cache.make_room(past);
    cache.update(0, positions(k, 0, past), positions(v, 0, past));
    cache.advance(past);
  }
  cache.make_room(T - past);
  cache.update(0, positions(k, past, T), positions(v, past, T));
  const tt::Tensor out = attend_incremental(positions(q, past, T), cache, 0);
  CHECK_THAT(out, tt::testing::AllClose(expected, m16::kOracle));
}

TEST_CASE("a new token attends to itself so alone in the cache its output is its own value", "[m16][16.3][points=1]") {
  const tt::GPTConfig cfg = attention_config(2, 4);
  tt::Rng rng(1);
  const tt::Tensor q = tt::rand_normal({1, 2, 1, 4}, 0, 3, rng);
  const tt::Tensor k = tt::rand_normal({1, 2, 1, 4}, 0, 1, rng);
  const tt::Tensor v = tt::rand_normal({1, 2, 1, 4}, 0, 1, rng);
  KVCache cache(cfg, 1, 4);
  cache.make_room(1);
  cache.update(0, k, v);
  CHECK_THAT(attend_incremental(q, cache, 0), tt::testing::AllClose(v, {1e-6F, 1e-6F}));

  // With a past position whose key matches the query far better, the token still gives
  // itself a nonzero share: its output is not just the past value.
  cache.advance(1);
  const tt::Tensor k2 = tt::rand_normal({1, 2, 1, 4}, 0, 1, rng);
  const tt::Tensor v2 = tt::full({1, 2, 1, 4}, 100.0F);
  cache.make_room(1);
  cache.update(0, k2, v2);
  const tt::Tensor out = attend_incremental(q, cache, 0);
  const tt::Tensor expected = positions(
      m16::naive_attention(m16::concat_positions(q, q), m16::concat_positions(k, k2), m16::concat_positions(v, v2)), 1,
      2);
  CHECK_THAT(out, tt::testing::AllClose(expected, m16::kOracle));
  REQUIRE_THROWS_AS(attend_incremental(tt::rand_normal({1, 2, 3, 4}, 0, 1, rng), cache, 0), tt::shape_error);
  REQUIRE_THROWS_AS(attend_incremental(tt::rand_normal({1, 3, 1, 4}, 0, 1, rng), cache, 0), tt::shape_error);
  REQUIRE_THROWS_AS(attend_incremental(q, cache, 1), tt::index_error);
}

TEST_CASE("forward_cached with a prefill then one token per step matches model.forward at every position", "[m16][16.3][points=2]") {
  const tt::GPTConfig cfg = m16::small_config(GENERATE(1, 2));
  tt::GPT model(cfg);
  const std::size_t B = GENERATE(1, 2);
  const std::size_t P = GENERATE(1, 5);
  const std::size_t T = 12;
  const tt::TokenBatch tokens = m16::random_tokens(B, T, cfg.vocab, 40 + P);
  const tt::Tensor full = model.forward(tokens);  // (B, T, vocab)

  KVCache cache(cfg, B, cfg.max_seq);
  const tt::Tensor pre = forward_cached(model, m16::slice(tokens, 0, P), 0, cache);
  CHECK_THAT(pre, tt::testing::AllClose(m16::rows(full, 0, P), m16::kSameLogits));
  for (std::size_t p = P; p < T; ++p) {
    INFO("position " << p);
    const tt::Tensor step = forward_cached(model, m16::slice(tokens, p, p + 1), p, cache);
    CHECK_THAT(step, tt::testing::AllClose(m16::rows(full, p, p + 1), m16::kSameLogits));
  }
  CHECK(cache.seq_len() == T);
  // Both agree with the double-precision oracle too.
  CHECK_THAT(full, tt::testing::AllClose(m16::naive_forward(model, tokens), m16::kOracle));
}

TEST_CASE("a prefill of k tokens equals k single-token steps in logits and in the cache", "[m16][16.3][points=2]") {
  const tt::GPTConfig cfg = m16::small_config(3);
  tt::GPT model(cfg);
  const std::size_t B = 2;
  const std::size_t k = GENERATE(2, 7, 16);
  const tt::TokenBatch tokens = m16::random_tokens(B, k, cfg.vocab, k);

  KVCache one_shot(cfg, B, 20), stepwise(cfg, B, 20);
  const tt::Tensor pre = forward_cached(model, tokens, 0, one_shot);
  for (std::size_t p = 0; p < k; ++p) {
    const tt::Tensor step = forward_cached(model, m16::slice(tokens, p, p + 1), p, stepwise);
    CHECK_THAT(step, tt::testing::AllClose(m16::rows(pre, p, p + 1), m16::kSameLogits));
  }
  REQUIRE(stepwise.seq_len() == one_shot.seq_len());
  for (std::size_t l = 0; l < cfg.n_layers; ++l) {
    CHECK_THAT(stepwise.keys_tensor(l), tt::testing::AllClose(one_shot.keys_tensor(l), m16::kSameLogits));
    CHECK_THAT(stepwise.values_tensor(l), tt::testing::AllClose(one_shot.values_tensor(l), m16::kSameLogits));
  }
}

TEST_CASE("the first token's keys and values are cached and start_pos must be the cache position", "[m16][16.3][points=1]") {
  const tt::GPTConfig cfg = m16::small_config(4);
  tt::GPT model(cfg);
  const tt::TokenBatch tokens = m16::random_tokens(2, 3, cfg.vocab, 8);

  // Layer 0's K and V of position 0 depend on token 0 only: recompute them from the layers.
  const tt::Tensor a = model.blocks[0].ln1.forward(model.embed(m16::slice(tokens, 0, 1), 0));
  const tt::Tensor k0 = tt::split_heads(model.blocks[0].attn.k_proj.forward(a), cfg.n_heads);
  const tt::Tensor v0 = tt::split_heads(model.blocks[0].attn.v_proj.forward(a), cfg.n_heads);

  SECTION("prefill") {
    KVCache cache(cfg, 2, 8);
    (void)forward_cached(model, tokens, 0, cache);
    CHECK_THAT(positions(cache.keys_tensor(0), 0, 1), tt::testing::AllClose(k0, m16::kSameLogits));
    CHECK_THAT(positions(cache.values_tensor(0), 0, 1), tt::testing::AllClose(v0, m16::kSameLogits));
  }
  SECTION("one token at a time, and the wrong start position") {
    KVCache cache(cfg, 2, 8);
    (void)forward_cached(model, m16::slice(tokens, 0, 1), 0, cache);
    CHECK(cache.seq_len() == 1);
    CHECK_THAT(cache.keys_tensor(0), tt::testing::AllClose(k0, m16::kSameLogits));
    CHECK_THAT(cache.values_tensor(0), tt::testing::AllClose(v0, m16::kSameLogits));
    REQUIRE_THROWS_AS(forward_cached(model, m16::slice(tokens, 1, 2), 2, cache), tt::value_error);
    REQUIRE_THROWS_AS(forward_cached(model, m16::slice(tokens, 1, 2), 0, cache), tt::value_error);
    CHECK(cache.seq_len() == 1);
    KVCache wrong_batch(cfg, 1, 8);
    REQUIRE_THROWS_AS(forward_cached(model, tokens, 0, wrong_batch), tt::shape_error);
  }
}

TEST_CASE("a cached decode step runs only the matmuls of one new token", "[m16][16.3][points=1]") {
  const tt::GPTConfig cfg = m16::small_config(5);
  tt::GPT model(cfg);
  const std::size_t B = 2, P = 9;
  const tt::TokenBatch tokens = m16::random_tokens(B, P + 1, cfg.vocab, 2);
  KVCache cache(cfg, B, 16);
  m16::CountingBackend counter;
  tt::BackendGuard guard(counter);
  (void)forward_cached(model, m16::slice(tokens, 0, P), 0, cache);
  CHECK(counter.flops == m16::decoder_flops(cfg, B, P, 0));
  counter.flops = 0;
  (void)forward_cached(model, m16::slice(tokens, P, P + 1), P, cache);
  CHECK(counter.flops == m16::decoder_flops(cfg, B, 1, P));
}
