// Hidden tests of tasks 16.2 and 16.5 (instructor-only): a cache filled exactly to capacity, and a window wrapping.
// Not shipped to students (scripts/make-student-release drops tests/hidden/); no model involved, only the caches.
#include "tt/memory/kv_cache.hpp"
#include "tt/memory/sliding_window.hpp"

#include "m16_fixtures.hpp"

using tt::memory::KVCache;
using tt::memory::SlidingWindowKVCache;

namespace {

// One committed step of t random positions in every layer; returns the step's K per layer.
std::vector<tt::Tensor> step(KVCache& c, std::size_t t, tt::Rng& rng) {
  std::vector<tt::Tensor> ks;
  c.make_room(t);
  for (std::size_t l = 0; l < c.n_layers(); ++l) {
    ks.push_back(tt::rand_normal({c.batch(), c.n_heads(), t, c.head_dim()}, 0.0F, 1.0F, rng));
    c.update(l, ks.back(), ks.back());
  }
  c.advance(t);
  return ks;
}

// A (B, H, T, hd) tensor as (B·H, T, hd), so that m16::rows slices its positions.
tt::Tensor merged_heads(tt::Tensor x) {
  x.reshape({x.shape()[0] * x.shape()[1], x.shape()[2], x.shape()[3]});
  return x;
}

}  // namespace

TEST_CASE("KVCache fills exactly to capacity, refuses one more, and a restarted step discards its pending rows", "[m16][16.2][points=2][hidden]") {
  const tt::GPTConfig cfg = m16::small_config();
  KVCache cache(cfg, 2, 6);
  tt::Rng rng(41);
  const auto first = step(cache, 3, rng);

  // An interrupted step: layer 0 written, then the step starts again. The abandoned rows must
  // not count, and the retried step must fit exactly (3 + 3 = capacity 6).
  cache.make_room(3);
  const tt::Tensor abandoned = tt::rand_normal({2, cfg.n_heads, 3, cfg.head_dim()}, 5.0F, 1.0F, rng);
  cache.update(0, abandoned, abandoned);
  CHECK(cache.layer_len(0) == 6);
  const auto second = step(cache, 3, rng);
  CHECK(cache.seq_len() == 6);
  CHECK(cache.position() == 6);
  for (std::size_t l = 0; l < cfg.n_layers; ++l) {
    CHECK(cache.layer_len(l) == 6);
    CHECK_THAT(cache.keys_tensor(l), tt::testing::AllClose(m16::concat_positions(first[l], second[l]), {0, 0}));
  }

  // Full: one more token is refused, by make_room and by update, and nothing changes.
  REQUIRE_THROWS_AS(cache.make_room(1), tt::index_error);
  const tt::Tensor one = tt::rand_normal({2, cfg.n_heads, 1, cfg.head_dim()}, 0.0F, 1.0F, rng);
  REQUIRE_THROWS_AS(cache.update(1, one, one), tt::index_error);
  CHECK(cache.seq_len() == 6);
  CHECK(cache.layer_len(1) == 6);
  CHECK_THAT(cache.values_tensor(1), tt::testing::AllClose(m16::concat_positions(first[1], second[1]), {0, 0}));

  // A cache of capacity 1 holds exactly one position.
  KVCache tiny(cfg, 1, 1);
  step(tiny, 1, rng);
  CHECK(tiny.seq_len() == 1);
  REQUIRE_THROWS_AS(tiny.make_room(1), tt::index_error);
}

TEST_CASE("A sliding window wraps with multi-token steps and keeps the last window positions in order", "[m16][16.5][points=2][hidden]") {
  const tt::GPTConfig cfg = m16::small_config();
  const std::size_t W = 5;
  SlidingWindowKVCache cache(cfg, 2, W);
  tt::Rng rng(43);
  // Every key ever appended, per layer: (B, H, positions, hd), empty at first.
  std::vector<tt::Tensor> all(cfg.n_layers, tt::Tensor::from_shape({2, cfg.n_heads, 0, cfg.head_dim()}));
  std::size_t total = 0;
  // First: 3 fits; 2 fills the window exactly (no eviction); 1 evicts 1; 3 evicts 3 (a shift by
  // more than it keeps); 5, as long as the window, evicts everything; 4 evicts 4.
  // Second: 2, 2 fit; 3 overflows a window that is not yet full (evicts 2, not 3); 1; 4.
  const std::vector<std::size_t> steps =
      GENERATE(std::vector<std::size_t>{3, 2, 1, 3, 5, 4}, std::vector<std::size_t>{2, 2, 3, 1, 4});
  for (const std::size_t t : steps) {
    const auto ks = step(cache, t, rng);
    total += t;
    INFO("after a step of " << t << " (" << total << " positions seen)");
    const std::size_t kept = std::min(total, W);
    CHECK(cache.seq_len() == kept);
    CHECK(cache.position() == total);
    CHECK(cache.evicted() == total - kept);
    for (std::size_t l = 0; l < cfg.n_layers; ++l) {
      all[l] = m16::concat_positions(all[l], ks[l]);
      const tt::Tensor expected = m16::rows(merged_heads(all[l]), total - kept, total);
      CHECK_THAT(merged_heads(cache.keys_tensor(l)), tt::testing::AllClose(expected, {0, 0}));
      CHECK_THAT(merged_heads(cache.values_tensor(l)), tt::testing::AllClose(expected, {0, 0}));
    }
  }
  CHECK(cache.memory_bytes() == KVCache::bytes_for(cfg, 2, W));
}
