// Tests for 20.2: percentiles, the accuracy gate, the trade-off score, and the harness measuring a fake submission.
// Not timing tests: latencies are checked for consistency (p50 ≤ p90, count), never against a speed.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "capstone_fixtures.hpp"
#include "tt/capstone/harness.hpp"
#include "tt/capstone/scoring.hpp"
#include "tt/errors.hpp"

using namespace tt::capstone;

TEST_CASE("percentile interpolates linearly between the closest ranks like NumPy", "[m20][20.2][points=3]") {
  const std::vector<double> x{15, 20, 35, 40, 50};
  CHECK(percentile(x, 0) == Approx(15));
  CHECK(percentile(x, 100) == Approx(50));
  CHECK(percentile(x, 50) == Approx(35));
  CHECK(percentile(x, 40) == Approx(29));                     // pos 1.6 → 20 + 0.6·15
  CHECK(percentile(x, 90) == Approx(46));                     // pos 3.6 → 40 + 0.6·10
  CHECK(percentile({40, 15, 50, 35, 20}, 90) == Approx(46));  // order does not matter
  CHECK(percentile({7.5}, 90) == Approx(7.5));
  std::vector<double> many;
  for (int i = 1; i <= 1000; ++i) many.push_back(1001 - i);
  CHECK(percentile(many, 90) == Approx(900.1));
  REQUIRE_THROWS_AS(percentile({}, 50), tt::value_error);
  REQUIRE_THROWS_AS(percentile(x, 101), tt::value_error);
  REQUIRE_THROWS_AS(percentile(x, -1), tt::value_error);
  REQUIRE_THROWS_AS(percentile({1.0, std::numeric_limits<double>::quiet_NaN()}, 50), tt::value_error);
}

TEST_CASE("the gate keeps 99% of the baseline accuracy and the score trades accuracy for size", "[m20][20.2][points=1]") {
  CHECK(passes_gate(0.8812, 0.89));        // 0.8812 ≥ 0.8811
  CHECK_FALSE(passes_gate(0.8810, 0.89));  // 0.8810 < 0.8811
  CHECK(passes_gate(0.95, 0.89));
  REQUIRE_THROWS_AS(passes_gate(1.2, 0.89), tt::value_error);
  REQUIRE_THROWS_AS(passes_gate(0.8, 0.0), tt::value_error);
  CHECK(tradeoff_score(0.9, 0.9, 1000, 1000) == Approx(1.0));
  CHECK(tradeoff_score(0.9, 0.9, 250, 1000) == Approx(4.0));
  CHECK(tradeoff_score(0.891, 0.9, 250, 1000) == Approx(4.0 * std::pow(0.99, 10)));
  CHECK(tradeoff_score(0.891, 0.9, 250, 1000) < tradeoff_score(0.9, 0.9, 260, 1000));
  REQUIRE_THROWS_AS(tradeoff_score(0.9, 0.9, 0, 1000), tt::value_error);
  REQUIRE_THROWS_AS(tradeoff_score(-0.1, 0.9, 10, 1000), tt::value_error);
}

TEST_CASE("the harness measures a fake submission: counts and accuracy and bytes and memory and its checks", "[m20][20.2][points=3]") {
  const tt::Dataset test = m20::synthetic_test_set(400, 4);  // every 4th answer wrong → 0.75
  m20::FakeSubmission fake;
  const MeasureOptions o = m20::small_options();
  const Measurement m = measure(fake, test, o);
  CHECK(m.queries == o.queries);
  REQUIRE(m.latency_samples_ms.size() == o.queries);
  CHECK(m.latency_p50_ms > 0);
  CHECK(m.latency_p50_ms <= m.latency_p90_ms);
  CHECK(m.latency_p50_ms == Approx(percentile(m.latency_samples_ms, 50)));
  CHECK(m.latency_p90_ms <= *std::max_element(m.latency_samples_ms.begin(), m.latency_samples_ms.end()));
  CHECK(m.throughput_batch == o.throughput_batch);
  CHECK(m.throughput_ips > 0);
  CHECK(m.test_images == 400);
  CHECK(m.accuracy == Approx(0.75).margin(1e-12));
  CHECK(m.model_bytes == m20::FakeSubmission::kModelBytes);
  CHECK(m.baseline_model_bytes == o.baseline_bytes);
  CHECK(m.baseline_accuracy == Approx(0.8));
  const std::size_t scratch = m20::FakeSubmission::kScratchFloats * sizeof(float);
  CHECK(m.tracked_peak_bytes >= scratch);
  CHECK(m.generation_peak_bytes >= 2 * scratch);
  CHECK(m.max_rss_bytes >= m.tracked_peak_bytes);
  CHECK(m.generation_tokens == o.generation_tokens);
  CHECK(m.generation_tokens_per_s > 0);
  // warm-up + queries + throughput warm-up + batches + accuracy batches (400 / 256 → 2)
  CHECK(fake.classify_calls == o.warmup_queries + o.queries + 1 + o.throughput_batches + 2);
  CHECK_FALSE(passes_gate(m.accuracy, m.baseline_accuracy));

  SECTION("wrong logits shape is a shape_error") {
    m20::FakeSubmission bad;
    bad.bad_shape = true;
    REQUIRE_THROWS_AS(measure(bad, test, o), tt::shape_error);
  }
  SECTION("a generation of the wrong length is a shape_error") {
    m20::FakeSubmission bad;
    bad.bad_generation = true;
    REQUIRE_THROWS_AS(measure(bad, test, o), tt::shape_error);
  }
}

TEST_CASE("an entry at exactly 99% of the baseline accuracy passes the gate", "[m20][20.2][points=1]") {
  // The gate is "at least". 0.99 · 1 and 0.99 · 0.5 are exact in double, so these sit on the line.
  CHECK(passes_gate(0.99, 1.0));
  CHECK(passes_gate(0.495, 0.5));
  CHECK_FALSE(passes_gate(std::nextafter(0.99, 0.0), 1.0));
}
