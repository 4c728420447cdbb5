// Tests of task 16.4: generate() with and without the cache, sampling, and cache reuse after reset.
// Not speed: the benchmark measures the speedup; here only equality of tokens and logits.
#include "tt/memory/generate.hpp"
#include "tt/memory/cached_forward.hpp"

#include "m16_fixtures.hpp"

using tt::memory::generate;
using tt::memory::GenerateOptions;
using tt::memory::sample_next;

TEST_CASE("generate with and without the cache gives identical tokens and logits at every step", "[m16][16.4][points=3]") {
  const std::uint64_t seed = GENERATE(1, 2, 3);
  const std::size_t B = GENERATE(1, 2);
  const std::size_t P = GENERATE(1, 4);
  const bool greedy = GENERATE(true, false);
  const tt::GPTConfig cfg = m16::small_config(seed);
  tt::GPT model(cfg);
  const tt::TokenBatch prompt = m16::random_tokens(B, P, cfg.vocab, seed * 31 + P);
  const std::size_t n_new = 14;

  GenerateOptions opt;
  opt.greedy = greedy;
  opt.temperature = 0.8F;
  opt.top_k = 10;
  opt.seed = seed;
  opt.keep_logits = true;
  opt.use_cache = true;
  const auto cached = generate(model, prompt, n_new, opt);
  opt.use_cache = false;
  const auto plain = generate(model, prompt, n_new, opt);

  REQUIRE(cached.tokens.size() == B);
  REQUIRE(cached.tokens[0].size() == P + n_new);
  CHECK(cached.tokens == plain.tokens);
  for (std::size_t b = 0; b < B; ++b)
    CHECK(std::vector<std::int32_t>(cached.tokens[b].begin(), cached.tokens[b].begin() + P) == prompt[b]);
  REQUIRE(cached.step_logits.size() == n_new);
  REQUIRE(plain.step_logits.size() == n_new);
  for (std::size_t s = 0; s < n_new; ++s) {
    INFO("step " << s);
    CHECK(cached.step_logits[s].shape() == plain.step_logits[s].shape());
    CHECK_THAT(cached.step_logits[s], tt::testing::AllClose(plain.step_logits[s], m16::kSameLogits));
  }
  // Greedy tokens really are the argmax of the step's logits.
  if (greedy) {
    for (std::size_t s = 0; s < n_new; ++s) {
      const tt::Tensor& lg = plain.step_logits[s];
      for (std::size_t b = 0; b < B; ++b) {
        std::size_t best = 0;
        for (std::size_t i = 1; i < cfg.vocab; ++i)
          if (lg(b, i) > lg(b, best)) best = i;
        CHECK(plain.tokens[b][P + s] == static_cast<std::int32_t>(best));
      }
    }
  }
}

TEST_CASE("greedy decoding takes the first argmax and top_k = 1 sampling equals greedy", "[m16][16.4][points=1]") {
  const std::vector<float> logits{0.5F, 2.0F, -1.0F, 2.0F, 1.9F};
  tt::Rng rng(0);
  GenerateOptions opt;
  CHECK(sample_next(logits.data(), logits.size(), opt, rng) == 1);
  opt.greedy = false;
  opt.top_k = 1;
  for (int i = 0; i < 50; ++i) CHECK(sample_next(logits.data(), logits.size(), opt, rng) == 1);
  opt.temperature = 0.0F;
  REQUIRE_THROWS_AS(sample_next(logits.data(), logits.size(), opt, rng), tt::value_error);

  tt::GPT model(m16::small_config());
  GenerateOptions g;
  REQUIRE_THROWS_AS(generate(model, m16::random_tokens(1, 60, 50, 1), 10, g), tt::value_error);  // past max_seq 64
  REQUIRE_THROWS_AS(generate(model, {{1, 2, 3}, {4, 5}}, 2, g), tt::shape_error);
}

TEST_CASE("sampling is reproducible with a seed and follows softmax(logits / T) over the top k", "[m16][16.4][points=2]") {
  const std::vector<float> logits{1.0F, 0.0F, 2.0F, -3.0F, 0.5F};
  GenerateOptions opt;
  opt.greedy = false;
  opt.temperature = 0.7F;
  opt.seed = 12;

  SECTION("frequencies") {
    const int n = 20000;
    std::vector<int> count(logits.size(), 0);
    tt::Rng rng(opt.seed);
    for (int i = 0; i < n; ++i) ++count[sample_next(logits.data(), logits.size(), opt, rng)];
    double z = 0;
    for (float l : logits) z += std::exp(l / 0.7);
    for (std::size_t i = 0; i < logits.size(); ++i) {
      INFO("id " << i);
      CHECK(static_cast<double>(count[i]) / n == Approx(std::exp(logits[i] / 0.7) / z).margin(0.015));
    }
  }
  SECTION("top-k keeps only the k best") {
    opt.top_k = 2;
    tt::Rng rng(3);
    std::vector<int> count(logits.size(), 0);
    for (int i = 0; i < 2000; ++i) ++count[sample_next(logits.data(), logits.size(), opt, rng)];
    CHECK(count[2] + count[0] == 2000);
    CHECK(count[0] > 200);  // e^{-1/0.7} ≈ 0.24 of the top one
  }
  SECTION("same seed, same tokens; another seed, other tokens") {
    tt::GPT model(m16::small_config());
    const tt::TokenBatch prompt{{3, 1, 4}};
    const auto a = generate(model, prompt, 20, opt);
    const auto b = generate(model, prompt, 20, opt);
    opt.seed = 13;
    const auto c = generate(model, prompt, 20, opt);
    CHECK(a.tokens == b.tokens);
    CHECK(a.tokens != c.tokens);
    CHECK(a.step_logits.empty());
  }
}

TEST_CASE("a cache reused after reset gives the same logits as a fresh cache", "[m16][16.4][points=2]") {
  const tt::GPTConfig cfg = m16::small_config(9);
  tt::GPT model(cfg);
  const tt::TokenBatch first = m16::random_tokens(2, 10, cfg.vocab, 1);
  const tt::TokenBatch second = m16::random_tokens(2, 6, cfg.vocab, 2);
  auto run = [&](tt::memory::KVCache& cache, const tt::TokenBatch& tokens) {
    std::vector<tt::Tensor> out;
    out.push_back(tt::memory::forward_cached(model, m16::slice(tokens, 0, 3), 0, cache));
    for (std::size_t p = 3; p < tokens[0].size(); ++p)
      out.push_back(tt::memory::forward_cached(model, m16::slice(tokens, p, p + 1), p, cache));
    return out;
  };
  tt::memory::KVCache reused(cfg, 2, 12);
  (void)run(reused, first);
  reused.reset();
  const auto again = run(reused, second);
  tt::memory::KVCache fresh(cfg, 2, 12);
  const auto expected = run(fresh, second);
  REQUIRE(again.size() == expected.size());
  for (std::size_t i = 0; i < again.size(); ++i)
    CHECK_THAT(again[i], tt::testing::AllClose(expected[i], {0, 0}));  // bit-identical
}
