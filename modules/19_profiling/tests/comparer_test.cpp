// Tests of OptimizationComparer (Part 3): the bootstrap interval, verdicts, memory and accuracy deltas.
// Not speed tests: only directions of a 10x difference in work, and exact intervals on given samples.
#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "profile_fixtures.hpp"
#include "tt/profile/comparer.hpp"
#include "tt/tensor.hpp"

using tt::profile::ComparerOptions;
using tt::profile::OptimizationComparer;
using tt::profile::Variant;
using tt::profile::testing::busy;
using tt::profile::testing::kMillisecondOfWork;

TEST_CASE("The bootstrap interval of the speedup covers the true ratio and is reproducible", "[m19][19.9][points=1]") {
  const std::vector<double> base{1.0, 1.1, 0.9, 1.05, 0.95, 1.02, 0.98};
  std::vector<double> half;
  half.reserve(base.size());
  for (double b : base) half.push_back(b / 2);
  const auto ci = tt::profile::bootstrap_speedup_ci(base, half, 2000, 0.95, 7);
  CHECK(ci.contains(2.0));
  CHECK(ci.lo > 1.0);
  CHECK(ci.lo <= ci.hi);
  const auto again = tt::profile::bootstrap_speedup_ci(base, half, 2000, 0.95, 7);
  CHECK(again.lo == ci.lo);
  CHECK(again.hi == ci.hi);
  // Constant samples: every resample gives the same ratio.
  const auto exact = tt::profile::bootstrap_speedup_ci({2, 2, 2}, {1, 1, 1, 1}, 100, 0.9, 1);
  CHECK(exact.lo == 2.0);
  CHECK(exact.hi == 2.0);
  // The same samples on both sides: the interval contains 1.
  const auto same = tt::profile::bootstrap_speedup_ci({1, 2, 3, 4, 5}, {1, 2, 3, 4, 5}, 1000, 0.95, 3);
  CHECK(same.contains(1.0));
  // A higher confidence gives an interval at least as wide (same resamples for a seed).
  const auto wide = tt::profile::bootstrap_speedup_ci(base, half, 2000, 0.99, 7);
  CHECK(wide.lo <= ci.lo);
  CHECK(wide.hi >= ci.hi);
}

TEST_CASE("The bootstrap rejects empty samples and meaningless settings", "[m19][19.9][points=1]") {
  CHECK_THROWS_AS(tt::profile::bootstrap_speedup_ci({}, {1.0}, 100, 0.95, 1), tt::value_error);
  CHECK_THROWS_AS(tt::profile::bootstrap_speedup_ci({1.0}, {1.0}, 0, 0.95, 1), tt::value_error);
  CHECK_THROWS_AS(tt::profile::bootstrap_speedup_ci({1.0}, {1.0}, 100, 1.5, 1), tt::value_error);
  const auto ok = tt::profile::bootstrap_speedup_ci({1.0}, {0.5}, 10, 0.5, 1);
  CHECK(ok.lo == 2.0);
}

TEST_CASE("Two identical functions show no significant difference", "[m19][19.10][points=2]") {
  ComparerOptions opt;
  opt.runs = 21;
  opt.confidence = 0.99;
  opt.min_effect = 0.05;  // differences under 5% are not worth a verdict
  opt.min_seconds = 0.002;
  opt.clock = tt::profile::Clock::thread_cpu;  // robust to other processes on a shared machine
  const auto f = [] { busy(kMillisecondOfWork / 2); };
  const auto res = OptimizationComparer(opt).compare({Variant{"a", f, {}, {}}, Variant{"b", f, {}, {}}});
  REQUIRE(res.size() == 2);
  CHECK(res[0].name == "a");
  CHECK(res[0].verdict == "baseline");
  CHECK(res[0].speedup == Approx(1.0));
  CHECK(res[1].time.samples.size() == 21);
  CHECK_FALSE(res[1].significant);
  CHECK(res[1].verdict == "no significant difference");
  CHECK(res[1].speedup > 0.5);
  CHECK(res[1].speedup < 2.0);
  CHECK(res[1].speedup_ci.lo <= res[1].speedup_ci.hi);
}

TEST_CASE("A function against the same function doing 10x the work: the verdict has the right direction", "[m19][19.10][points=2]") {
  ComparerOptions opt;
  opt.runs = 21;
  opt.min_seconds = 0.002;
  opt.clock = tt::profile::Clock::thread_cpu;  // robust to other processes on a shared machine
  const auto f = [] { busy(kMillisecondOfWork / 4); };
  const auto f10 = [] { busy(10 * (kMillisecondOfWork / 4)); };
  SECTION("the slower variant is reported slower") {
    const auto res = OptimizationComparer(opt).compare({Variant{"f", f, {}, {}}, Variant{"10f", f10, {}, {}}});
    REQUIRE(res.size() == 2);
    CHECK(res[1].speedup < 0.5);
    CHECK(res[1].significant);
    CHECK(res[1].speedup_ci.hi < 1.0);
    CHECK(res[1].verdict.find("slower") != std::string::npos);
  }
  SECTION("the faster variant is reported faster") {
    const auto res = OptimizationComparer(opt).compare({Variant{"10f", f10, {}, {}}, Variant{"f", f, {}, {}}});
    REQUIRE(res.size() == 2);
    CHECK(res[1].speedup > 2.0);
    CHECK(res[1].significant);
    CHECK(res[1].speedup_ci.lo > 1.0);
    CHECK(res[1].verdict.find("faster") != std::string::npos);
  }
}

TEST_CASE("The comparer reports memory and accuracy deltas and skips variants without work", "[m19][19.10][points=1]") {
  ComparerOptions opt;
  opt.runs = 5;
  Variant base{"fp32", [] { tt::Tensor t = tt::Tensor::from_shape({1000}); }, [] { return 0.90; },
               [] { return std::size_t{4000}; }};
  Variant small{"int8", [] { tt::Tensor t = tt::Tensor::from_shape({250}); }, [] { return 0.85; },
                [] { return std::size_t{1000}; }};
  Variant plain{"plain", [] { tt::Tensor t = tt::Tensor::from_shape({500}); }, {}, {}};
  Variant none{"not built", {}, {}, {}};
  const auto res = OptimizationComparer(opt).compare({base, small, none, plain});
  REQUIRE(res.size() == 3);
  CHECK(res[0].peak_bytes == 4000);
  CHECK(res[1].peak_bytes == 1000);
  CHECK(res[1].model_bytes == 1000);
  CHECK(res[1].memory_ratio == Approx(0.25));
  CHECK(res[1].accuracy == Approx(0.85));
  CHECK(res[1].accuracy_delta == Approx(-0.05));
  CHECK(res[2].name == "plain");
  CHECK(res[2].memory_ratio == Approx(0.5));  // by peak bytes: plain gives no model size
  CHECK(std::isnan(res[2].accuracy_delta));
  CHECK_THROWS_AS(OptimizationComparer(opt).compare({none, base}), tt::value_error);
}

TEST_CASE("compare_optimizations times the baseline against its quantized, pruned and cached versions", "[m19][19.11][points=2]") {
  ComparerOptions opt;
  opt.runs = 21;
  opt.min_seconds = 0.002;
  opt.clock = tt::profile::Clock::thread_cpu;  // robust to other processes on a shared machine
  const Variant baseline{"baseline", [] { busy(8 * (kMillisecondOfWork / 4)); }, {}, {}};
  const Variant quantized{"quantized", [] { busy(kMillisecondOfWork / 4); }, {}, {}};
  const Variant pruned{"pruned", {}, {}, {}};  // not available: left out
  const Variant cached{"cached", [] { busy(2 * (kMillisecondOfWork / 4)); }, {}, {}};
  const auto res = tt::profile::compare_optimizations(baseline, quantized, pruned, cached, opt);
  REQUIRE(res.size() == 3);
  CHECK(res[0].name == "baseline");
  CHECK(res[1].name == "quantized");
  CHECK(res[2].name == "cached");
  CHECK(res[1].verdict.find("faster") != std::string::npos);
  CHECK(res[1].speedup > res[2].speedup);
  const std::string table = OptimizationComparer::table(res);
  for (const char* word : {"baseline", "quantized", "cached", "faster", "median"})
    CHECK(table.find(word) != std::string::npos);
  CHECK(table.find("pruned") == std::string::npos);

  // All four available: the results keep the order the caller named them in.
  opt.runs = 5;
  const Variant pruned_too{"pruned", [] { busy(kMillisecondOfWork / 4); }, {}, {}};
  const auto all = tt::profile::compare_optimizations(baseline, quantized, pruned_too, cached, opt);
  std::vector<std::string> names;
  names.reserve(all.size());
  for (const auto& r : all) names.push_back(r.name);
  CHECK(names == std::vector<std::string>{"baseline", "quantized", "pruned", "cached"});
}

namespace {

// The bootstrap distribution of median(a) / median(b), computed here independently of the
// student's code (its own generator and resampling loop), sorted.
std::vector<double> independent_bootstrap(const std::vector<double>& a, const std::vector<double>& b, int resamples) {
  std::mt19937 rng(20261201);
  const auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
  };
  const auto resample = [&](const std::vector<double>& v) {
    std::vector<double> r(v.size());
    for (auto& x : r) x = v[std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng)];
    return r;
  };
  std::vector<double> ratios;
  ratios.reserve(static_cast<std::size_t>(resamples));
  for (int i = 0; i < resamples; ++i) ratios.push_back(median(resample(a)) / median(resample(b)));
  std::sort(ratios.begin(), ratios.end());
  return ratios;
}

double quantile(const std::vector<double>& sorted, double q) {
  return sorted[static_cast<std::size_t>(q * static_cast<double>(sorted.size() - 1))];
}

}  // namespace

TEST_CASE("The bootstrap interval sits at the (1-c)/2 and (1+c)/2 bootstrap percentiles", "[m19][19.9][points=1]") {
  // Spread-out samples (a rich distribution of median ratios); the speedup is about 1.6.
  std::vector<double> base, variant;
  for (int i = 0; i < 15; ++i) {
    base.push_back(1.0 + 0.05 * i + 0.013 * (i * i % 7));
    variant.push_back(0.6 + 0.04 * i + 0.011 * (i * i % 5));
  }
  const int resamples = 20000;
  const auto dist = independent_bootstrap(base, variant, resamples);
  for (const double c : {0.8, 0.9}) {
    CAPTURE(c);
    const auto ci = tt::profile::bootstrap_speedup_ci(base, variant, resamples, c, 5);
    // Both are estimates from 20000 resamples: each end must fall within one percentile point of
    // the independent distribution's percentile (about ten standard errors of that estimate).
    const double lo_q = (1 - c) / 2, hi_q = (1 + c) / 2;
    CHECK(ci.lo >= quantile(dist, lo_q - 0.01));
    CHECK(ci.lo <= quantile(dist, lo_q + 0.01));
    CHECK(ci.hi >= quantile(dist, hi_q - 0.01));
    CHECK(ci.hi <= quantile(dist, hi_q + 0.01));
  }
}
