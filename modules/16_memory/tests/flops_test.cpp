// Tests of task 16.1: the analytic FLOP count of the decoder forward, with and without a cache.
// Not timing: counts are checked against the model's shapes and the matmuls actually run.
#include "tt/memory/flops.hpp"

#include "m16_fixtures.hpp"

using tt::memory::forward_flops;
using tt::memory::generation_flops;

TEST_CASE("forward_flops counts every matmul of the decoder from the model's layer shapes", "[m16][16.1][points=2]") {
  const tt::GPTConfig cfg = m16::small_config();
  tt::GPT model(cfg);
  const std::size_t B = GENERATE(1, 3);
  const std::size_t t = GENERATE(1, 5);
  const std::size_t past = GENERATE(0, 9);
  const std::size_t rows = B * t, ctx = past + t;

  double proj = 0, mlp = 0;
  for (auto& blk : model.blocks) {
    for (tt::Linear* lin : {&blk.attn.q_proj, &blk.attn.k_proj, &blk.attn.v_proj, &blk.attn.o_proj})
      proj += 2.0 * rows * lin->in_features() * lin->out_features();
    mlp += 2.0 * rows * blk.fc1.in_features() * blk.fc1.out_features();
    mlp += 2.0 * rows * blk.fc2.in_features() * blk.fc2.out_features();
  }
  // Per layer, batch row and head: (t, hd)·(hd, ctx) and (t, ctx)·(ctx, hd).
  const double att = cfg.n_layers * B * cfg.n_heads * 2.0 * (2.0 * t * ctx * cfg.head_dim());
  const double head = 2.0 * rows * model.lm_head.in_features() * model.lm_head.out_features();

  const auto f = forward_flops(cfg, B, t, past);
  CHECK(f.projections == proj);
  CHECK(f.attention == att);
  CHECK(f.mlp == mlp);
  CHECK(f.head == head);
  CHECK(f.total() == proj + att + mlp + head);
}

TEST_CASE("forward_flops of an uncached forward equals what a counting backend multiplies", "[m16][16.1][points=2]") {
  const tt::GPTConfig cfg = m16::small_config();
  tt::GPT model(cfg);
  const std::size_t B = GENERATE(1, 2);
  const std::size_t T = GENERATE(1, 6, 17);
  const auto expected = forward_flops(cfg, B, T, 0).total();

  m16::CountingBackend counter;
  {
    tt::BackendGuard guard(counter);
    (void)model.forward(m16::random_tokens(B, T, cfg.vocab, T));
  }
  CHECK(counter.flops == expected);
}

TEST_CASE("generation_flops grows quadratically per step without the cache and stays flat with it", "[m16][16.1][points=2]") {
  const tt::GPTConfig cfg = m16::small_config();
  const std::size_t B = 2, P = 4, n = 20;
  const auto plain = generation_flops(cfg, B, P, n, false);
  const auto cached = generation_flops(cfg, B, P, n, true);
  REQUIRE(plain.per_step.size() == n);
  REQUIRE(cached.per_step.size() == n);

  double plain_sum = 0, cached_sum = 0;
  for (std::size_t s = 0; s < n; ++s) {
    CHECK(plain.per_step[s] == forward_flops(cfg, B, P + s, 0).total());
    plain_sum += plain.per_step[s];
    cached_sum += cached.per_step[s];
  }
  CHECK(plain.total == plain_sum);
  CHECK(cached.total == cached_sum);
  // Step 0 is the same prefill either way; afterwards a cached step handles one token.
  CHECK(cached.per_step[0] == plain.per_step[0]);
  for (std::size_t s = 1; s < n; ++s) CHECK(cached.per_step[s] == forward_flops(cfg, B, 1, P + s - 1).total());

  // Uncached: second differences are constant and positive (the T² attention term); cached:
  // each step adds only one more key/value row to attend to (4·B·d per layer).
  const double d2 = plain.per_step[2] - 2 * plain.per_step[1] + plain.per_step[0];
  CHECK(d2 > 0);
  for (std::size_t s = 2; s < n; ++s)
    CHECK(plain.per_step[s] - 2 * plain.per_step[s - 1] + plain.per_step[s - 2] == Approx(d2).epsilon(1e-12));
  const double per_row = 4.0 * B * cfg.d_model * cfg.n_layers;
  for (std::size_t s = 2; s < n; ++s)
    CHECK(cached.per_step[s] - cached.per_step[s - 1] == Approx(per_row).epsilon(1e-12));
  CHECK(plain.total > 5 * cached.total);
}
