// Tests of task 16.2: KVCache storage, appends, views, errors, reset and exact memory accounting.
// Not attention: the cache is filled with random tensors here, no model involved.
#include "tt/memory/kv_cache.hpp"

#include "m16_fixtures.hpp"

using tt::memory::KVCache;

namespace {

// (B, H, t, hd) random tensors for one step.
tt::Tensor random_kv(const KVCache& c, std::size_t t, tt::Rng& rng) {
  return tt::rand_normal({c.batch(), c.n_heads(), t, c.head_dim()}, 0.0F, 1.0F, rng);
}

}  // namespace

TEST_CASE("KVCache::memory_bytes is the formula and exactly what the tracking allocator saw", "[m16][16.2][points=3]") {
  const tt::GPTConfig cfg = m16::small_config();
  const std::size_t B = GENERATE(1, 3);
  const std::size_t cap = GENERATE(1, 17, 64);
  const std::size_t formula = 2 * cfg.n_layers * B * cfg.n_heads * cap * cfg.head_dim() * sizeof(float);
  CHECK(KVCache::bytes_for(cfg, B, cap) == formula);

  tt::tracking::Scope outer;
  {
    tt::tracking::Scope scope;
    const KVCache cache(cfg, B, cap);
    CHECK(cache.memory_bytes() == formula);
    CHECK(scope.allocated_bytes() == formula);
    CHECK(scope.net_bytes() == static_cast<std::int64_t>(formula));
    CHECK(cache.capacity() == cap);
    CHECK(cache.batch() == B);
    CHECK(cache.n_layers() == cfg.n_layers);
    CHECK(cache.n_heads() == cfg.n_heads);
    CHECK(cache.head_dim() == cfg.head_dim());
    CHECK(cache.seq_len() == 0);
  }
  CHECK(outer.net_bytes() == 0);  // all of it returned on destruction
}

TEST_CASE("KVCache::update appends at the current position and the views show the valid prefix", "[m16][16.2][points=3]") {
  const tt::GPTConfig cfg = m16::small_config();
  const std::size_t B = 2;
  KVCache cache(cfg, B, 10);
  tt::Rng rng(3);

  std::vector<tt::Tensor> k0, v0, k1, v1;
  cache.make_room(3);
  for (std::size_t l = 0; l < cfg.n_layers; ++l) {
    k0.push_back(random_kv(cache, 3, rng));
    v0.push_back(random_kv(cache, 3, rng));
    cache.update(l, k0[l], v0[l]);
    CHECK(cache.layer_len(l) == 3);
    CHECK(cache.seq_len() == 0);  // pending until advance()
  }
  cache.advance(3);
  CHECK(cache.seq_len() == 3);
  CHECK(cache.position() == 3);
  for (std::size_t l = 0; l < cfg.n_layers; ++l) {
    CHECK_THAT(cache.keys_tensor(l), tt::testing::AllClose(k0[l], {0, 0}));
    CHECK_THAT(cache.values_tensor(l), tt::testing::AllClose(v0[l], {0, 0}));
  }

  cache.make_room(2);
  {
    tt::tracking::Scope scope;  // update() copies into the preallocated blocks: no allocation
    for (std::size_t l = 0; l < cfg.n_layers; ++l) {
      k1.push_back(random_kv(cache, 2, rng));
      v1.push_back(random_kv(cache, 2, rng));
      const std::size_t before = scope.allocated_bytes();
      cache.update(l, k1[l], v1[l]);
      CHECK(scope.allocated_bytes() == before);
    }
  }
  cache.advance(2);
  CHECK(cache.seq_len() == 5);
  for (std::size_t l = 0; l < cfg.n_layers; ++l) {
    CHECK_THAT(cache.keys_tensor(l), tt::testing::AllClose(m16::concat_positions(k0[l], k1[l]), {0, 0}));
    CHECK_THAT(cache.values_tensor(l), tt::testing::AllClose(m16::concat_positions(v0[l], v1[l]), {0, 0}));
  }

  // The raw view of (layer 1, batch row 1, head 2): 5 rows of head_dim, element (i, j) = K[1, 2, i, j].
  const tt::ConstMatrixRef kv = cache.keys(1, 1, 2);
  REQUIRE(kv.rows == 5);
  REQUIRE(kv.cols == cfg.head_dim());
  const tt::Tensor full = m16::concat_positions(k0[1], k1[1]);
  for (std::size_t i = 0; i < 5; ++i)
    for (std::size_t j = 0; j < cfg.head_dim(); ++j) CHECK(kv(i, j) == full(1, 2, i, j));
  const tt::ConstMatrixRef vv = cache.values(0, 0, 3);
  CHECK(vv.rows == 5);
  CHECK(vv(4, 1) == v1[0](0, 3, 1, 1));
}

TEST_CASE("KVCache reports a full cache or a bad layer or mismatched shapes with typed errors", "[m16][16.2][points=2]") {
  const tt::GPTConfig cfg = m16::small_config();
  KVCache cache(cfg, 2, 4);
  tt::Rng rng(5);
  const tt::Tensor k3 = tt::rand_normal({2, cfg.n_heads, 3, cfg.head_dim()}, 0, 1, rng);
  cache.make_room(3);
  cache.update(0, k3, k3);
  cache.update(1, k3, k3);
  cache.advance(3);

  SECTION("past capacity") {
    REQUIRE_THROWS_AS(cache.make_room(2), tt::index_error);
    const tt::Tensor k2 = tt::rand_normal({2, cfg.n_heads, 2, cfg.head_dim()}, 0, 1, rng);
    REQUIRE_THROWS_AS(cache.update(0, k2, k2), tt::index_error);
    CHECK(cache.seq_len() == 3);
  }
  SECTION("layer index") {
    cache.make_room(1);
    const tt::Tensor k1 = tt::rand_normal({2, cfg.n_heads, 1, cfg.head_dim()}, 0, 1, rng);
    REQUIRE_THROWS_AS(cache.update(cfg.n_layers, k1, k1), tt::index_error);
    REQUIRE_THROWS_AS(cache.keys(cfg.n_layers, 0, 0), tt::index_error);
    REQUIRE_THROWS_AS(cache.values(0, 2, 0), tt::index_error);
    REQUIRE_THROWS_AS(cache.layer_len(7), tt::index_error);
  }
  SECTION("shapes") {
    cache.make_room(1);
    const tt::Tensor wrong_heads = tt::rand_normal({2, cfg.n_heads + 1, 1, cfg.head_dim()}, 0, 1, rng);
    const tt::Tensor wrong_batch = tt::rand_normal({1, cfg.n_heads, 1, cfg.head_dim()}, 0, 1, rng);
    const tt::Tensor wrong_dim = tt::rand_normal({2, cfg.n_heads, 1, cfg.head_dim() + 1}, 0, 1, rng);
    const tt::Tensor merged = tt::rand_normal({2, 1, cfg.d_model}, 0, 1, rng);
    const tt::Tensor k1 = tt::rand_normal({2, cfg.n_heads, 1, cfg.head_dim()}, 0, 1, rng);
    const tt::Tensor v2 = tt::rand_normal({2, cfg.n_heads, 2, cfg.head_dim()}, 0, 1, rng);
    REQUIRE_THROWS_AS(cache.update(0, wrong_heads, wrong_heads), tt::shape_error);
    REQUIRE_THROWS_AS(cache.update(0, wrong_batch, wrong_batch), tt::shape_error);
    REQUIRE_THROWS_AS(cache.update(0, wrong_dim, wrong_dim), tt::shape_error);
    REQUIRE_THROWS_AS(cache.update(0, merged, merged), tt::shape_error);
    REQUIRE_THROWS_AS(cache.update(0, k1, v2), tt::shape_error);
  }
  SECTION("advance before every layer is updated") {
    cache.make_room(1);
    const tt::Tensor k1 = tt::rand_normal({2, cfg.n_heads, 1, cfg.head_dim()}, 0, 1, rng);
    cache.update(0, k1, k1);
    REQUIRE_THROWS_AS(cache.advance(1), tt::value_error);
    CHECK(cache.seq_len() == 3);
  }
  SECTION("construction") {
    REQUIRE_THROWS_AS(KVCache(cfg, 0, 4), tt::value_error);
    REQUIRE_THROWS_AS(KVCache(cfg, 1, 0), tt::value_error);
  }
}

TEST_CASE("KVCache::reset forgets every position and keeps its memory and refills like a fresh cache", "[m16][16.2][points=2]") {
  const tt::GPTConfig cfg = m16::small_config();
  KVCache used(cfg, 1, 6);
  auto fill = [&](KVCache& c, std::size_t t, std::uint64_t seed) {
    tt::Rng r(seed);
    c.make_room(t);
    for (std::size_t l = 0; l < cfg.n_layers; ++l) c.update(l, random_kv(c, t, r), random_kv(c, t, r));
    c.advance(t);
  };
  fill(used, 6, 1);
  REQUIRE(used.seq_len() == 6);
  {
    tt::tracking::Scope scope;
    used.reset();
    CHECK(scope.allocated_bytes() == 0);
    CHECK(scope.freed_bytes() == 0);
  }
  CHECK(used.seq_len() == 0);
  CHECK(used.position() == 0);
  CHECK(used.layer_len(0) == 0);
  CHECK(used.memory_bytes() == KVCache::bytes_for(cfg, 1, 6));

  KVCache fresh(cfg, 1, 6);
  fill(used, 2, 99);
  fill(fresh, 2, 99);
  fill(used, 3, 100);
  fill(fresh, 3, 100);
  CHECK(used.seq_len() == 5);
  for (std::size_t l = 0; l < cfg.n_layers; ++l) {
    CHECK_THAT(used.keys_tensor(l), tt::testing::AllClose(fresh.keys_tensor(l), {0, 0}));
    CHECK_THAT(used.values_tensor(l), tt::testing::AllClose(fresh.values_tensor(l), {0, 0}));
  }
}
