// Tests for 17.7: SQNR, calibration of a Sequential, and post-training static quantization of small models.
// Not the full-size experiment: the benchmark trains on all 60,000 images and tests on 10,000.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include <xtensor/xview.hpp>

#include "quant_fixtures.hpp"
#include "tt/loss.hpp"
#include "tt/models.hpp"
#include "tt/optim.hpp"
#include "tt/quant/convert.hpp"
#include "tt/train.hpp"

using namespace tt::quant;
using tt::Tensor;
namespace qt = tt::quant::testing;

TEST_CASE("sqnr_db is signal power over noise power in decibels", "[m17][17.7][points=1]") {
  const Tensor ref = tt::from_vector({4}, {1.0F, 1.0F, 1.0F, 1.0F});
  const Tensor approx = tt::from_vector({4}, {1.1F, 0.9F, 1.0F, 1.0F});
  CHECK(sqnr_db(ref, approx) == Approx(10.0 * std::log10(4.0 / 0.02)).epsilon(1e-4));  // 23.01 dB
  CHECK(sqnr_db(ref, ref) == std::numeric_limits<double>::infinity());
  REQUIRE_THROWS_AS(sqnr_db(ref, tt::zeros({2, 2})), tt::shape_error);
}

TEST_CASE("calibrate observes the input of every Linear and Conv2d", "[m17][17.7][points=2]") {
  tt::Sequential mlp = tt::make_mlp({784, 32, 10}, 1);  // Flatten, Linear, ReLU, Linear
  const Tensor images = qt::uniform({100, 1, 28, 28}, -0.5F, 2.0F, 2);
  const auto ranges = calibrate(mlp, images, MinMaxObserver(), 32);
  REQUIRE(ranges.size() == 2);
  REQUIRE(ranges.count(1) == 1);
  REQUIRE(ranges.count(3) == 1);
  const auto [lo, hi] = std::minmax_element(images.begin(), images.end());
  CHECK(ranges.at(1).min == *lo);
  CHECK(ranges.at(1).max == *hi);
  CHECK(ranges.at(3).min >= 0.0F);  // after a ReLU
  CHECK(ranges.at(3).max > 0.0F);
  CHECK(mlp.training());  // the mode it had before

  tt::Sequential cnn = tt::make_cnn(2);
  const auto cnn_ranges = calibrate(cnn, xt::view(images, xt::range(0, 20)), PercentileObserver(99.0), 8);
  std::vector<std::size_t> keys;
  keys.reserve(cnn_ranges.size());
  for (const auto& [i, r] : cnn_ranges) keys.push_back(i);
  std::vector<std::size_t> expected;
  for (std::size_t i = 0; i < cnn.size(); ++i) {
    if (cnn.at(i).kind() == "Linear" || cnn.at(i).kind() == "Conv2d") expected.push_back(i);
  }
  CHECK(keys == expected);
  CHECK(keys.size() == 3);
}

TEST_CASE("quantize_model converts a trained MLP and keeps its accuracy", "[m17][17.7][points=2]") {
  const tt::Dataset train = tt::load_fashion_mnist(tt::Split::train, 2000);
  const tt::Dataset test = tt::load_fashion_mnist(tt::Split::test, 1000);
  tt::Sequential model = tt::make_mlp({784, 64, 10}, 3);
  tt::Adam opt(model.params(), 2e-3F);
  tt::TrainOptions options;
  options.epochs = 1;
  options.progress = false;
  tt::fit(model, opt, train, options);
  const double acc_fp32 = tt::evaluate(model, test);

  PtqOptions ptq;
  ptq.calibration_batches = 4;
  ptq.batch_size = 128;
  const PtqReport report = quantize_model(model, train, ptq);
  REQUIRE(report.layers.size() == 2);
  CHECK(model.as<QuantizedLinear>(1) != nullptr);
  CHECK(model.as<QuantizedLinear>(3) != nullptr);
  CHECK(model.at(2).kind() == "ReLU");
  const double acc_int8 = tt::evaluate(model, test);
  INFO("fp32 accuracy " << acc_fp32 << ", int8 accuracy " << acc_int8 << "\n"
                        << report.summary());
  CHECK(acc_fp32 > 0.6);
  CHECK(std::fabs(acc_fp32 - acc_int8) <= 0.02);
  CHECK(report.size_ratio() > 3.8);
  CHECK(report.bytes_after() * 3 < report.bytes_before());
  for (const auto& l : report.layers) {
    CHECK(l.sqnr > 25.0);
    CHECK(l.after.rfind("QuantizedLinear", 0) == 0);
  }
}

TEST_CASE("quantize_model converts a CNN's Conv2d layers too", "[m17][17.7][points=1]") {
  const tt::Dataset data = tt::load_fashion_mnist(tt::Split::test, 300);
  tt::Sequential model = tt::make_cnn(4);  // random weights: agreement with fp32 is the point
  const Tensor logits_fp32 = tt::predict(model, data);
  PtqOptions ptq;
  ptq.calibration_batches = 2;
  ptq.batch_size = 100;
  const PercentileObserver observer(99.99);
  ptq.observer = &observer;
  const PtqReport report = quantize_model(model, data, ptq);
  REQUIRE(report.layers.size() == 3);
  std::size_t convs = 0;
  for (std::size_t i = 0; i < model.size(); ++i) convs += model.as<QuantizedConv2d>(i) != nullptr ? 1 : 0;
  CHECK(convs == 2);
  const Tensor logits_int8 = tt::predict(model, data);
  CHECK(sqnr_db(logits_fp32, logits_int8) > 20.0);
  for (const auto& l : report.layers) CHECK(l.sqnr > 20.0);
}
