// Tests for 17.3: calibration observers (min-max, moving average, percentile, MSE clipping search).
// Not tests of model calibration end to end (convert_test.cpp).
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <random>

#include <xtensor/xview.hpp>

#include "quant_fixtures.hpp"
#include "tt/quant/observers.hpp"

using namespace tt::quant;
using tt::Tensor;

TEST_CASE("MinMaxObserver keeps the running extremes across batches", "[m17][17.3][points=1]") {
  MinMaxObserver obs;
  obs.observe(tt::from_vector({3}, {1.0F, 2.0F, -3.0F}));
  obs.observe(tt::from_vector({2, 1}, {5.0F, 0.0F}));
  CHECK(obs.range().min == -3.0F);
  CHECK(obs.range().max == 5.0F);
  CHECK(obs.qparams().zero_point == choose_qparams(-3.0F, 5.0F).zero_point);
  CHECK(obs.clone()->name() == "minmax");
  REQUIRE_THROWS_AS(obs.observe(tt::from_vector({2}, {1.0F, std::numeric_limits<float>::quiet_NaN()})),
                    tt::value_error);
  REQUIRE_THROWS_AS(MinMaxObserver().range(), tt::error);
}

TEST_CASE("MovingAverageMinMaxObserver averages batch extremes with its momentum", "[m17][17.3][points=1]") {
  MovingAverageMinMaxObserver obs(0.5F);
  obs.observe(tt::from_vector({2}, {0.0F, 4.0F}));
  CHECK(obs.range().min == 0.0F);
  CHECK(obs.range().max == 4.0F);
  obs.observe(tt::from_vector({3}, {-2.0F, 8.0F, 1.0F}));
  CHECK(obs.range().min == -1.0F);  // 0 + 0.5 · (-2 - 0)
  CHECK(obs.range().max == 6.0F);   // 4 + 0.5 · (8 - 4)
  REQUIRE_THROWS_AS(MovingAverageMinMaxObserver(0.0F), tt::value_error);
  REQUIRE_THROWS_AS(MovingAverageMinMaxObserver(1.5F), tt::value_error);
}

TEST_CASE("PercentileObserver clips rare outliers that min-max keeps", "[m17][17.3][points=2]") {
  SECTION("nearest rank on 0..1000: the 1st and 99th percentiles are 10 and 990") {
    Tensor x = Tensor::from_shape({1001});
    for (std::size_t i = 0; i <= 1000; ++i) x(i) = static_cast<float>(1000 - i);
    PercentileObserver obs(99.0);
    obs.observe(x);
    CHECK(obs.range().min == 10.0F);
    CHECK(obs.range().max == 990.0F);
    CHECK(obs.name() == "percentile(99)");
  }
  SECTION("one huge outlier among 100k normal values") {
    Tensor x = Tensor::from_shape({100000});
    std::mt19937_64 rng(5);
    std::normal_distribution<float> d(0.0F, 1.0F);
    for (auto& v : x) v = d(rng);
    x(777) = 1e4F;
    PercentileObserver pct(99.99);
    MinMaxObserver mm;
    for (std::size_t b = 0; b < 4; ++b) {
      Tensor part = xt::view(x, xt::range(b * 25000, (b + 1) * 25000));
      pct.observe(part);
      mm.observe(part);
    }
    CHECK(mm.range().max == 1e4F);
    CHECK(pct.range().max > 3.0F);
    CHECK(pct.range().max < 6.0F);
    CHECK(pct.range().min < -3.0F);
    CHECK(pct.range().min > -6.0F);
  }
  REQUIRE_THROWS_AS(PercentileObserver(30.0), tt::value_error);
}

TEST_CASE("MseObserver trims a long tail and never does worse than min-max", "[m17][17.3][points=1]") {
  const std::vector<float> two{0.0F, 1.0F};
  CHECK(MseObserver::quantization_mse(two, 0.0F, 1.0F) < 1e-10);
  // Scale 1/255 puts 0.5 halfway between two steps: error 0.5/255 on one of two values.
  const std::vector<float> half{0.0F, 0.5F};
  CHECK(MseObserver::quantization_mse(half, 0.0F, 1.0F) == Approx(0.5 * std::pow(0.5 / 255.0, 2)).epsilon(1e-3));

  // Log-normal values: a long right tail, where a slightly clipped max lowers the total error.
  Tensor x = Tensor::from_shape({20000});
  std::mt19937_64 rng(9);
  std::normal_distribution<float> d(0.0F, 1.0F);
  for (auto& v : x) v = std::exp(d(rng));
  MseObserver mse;
  MinMaxObserver mm;
  for (std::size_t b = 0; b < 2; ++b) {
    const Tensor part = xt::view(x, xt::range(b * 10000, (b + 1) * 10000));
    mse.observe(part);
    mm.observe(part);
  }
  const Range r = mse.range();
  CHECK(r.max < mm.range().max);
  CHECK(r.max > 0.5F * mm.range().max);
  const auto& s = mse.samples();
  CHECK(s.size() == 20000);
  CHECK(MseObserver::quantization_mse(s, r.min, r.max) <
        MseObserver::quantization_mse(s, mm.range().min, mm.range().max));
  CHECK(mse.clone()->name() == "mse");
}

TEST_CASE("MovingAverageMinMaxObserver weighs the batch by momentum, the old range by 1 - m", "[m17][17.3][points=1]") {
  // A momentum of 0.5 cannot tell m from 1 - m; 0.25 can (and every value here is exact in float).
  MovingAverageMinMaxObserver obs(0.25F);
  obs.observe(tt::from_vector({2}, {0.0F, 4.0F}));
  obs.observe(tt::from_vector({2}, {-4.0F, 8.0F}));
  CHECK(obs.range().min == -1.0F);  // 0 + 0.25 · (-4 - 0), not 0 + 0.75 · (-4 - 0)
  CHECK(obs.range().max == 5.0F);   // 4 + 0.25 · (8 - 4)
}
