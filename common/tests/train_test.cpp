// Tests of fit/evaluate/predict: learning on a small real subset, callbacks, modes and bad arguments.
// Not a test of the final accuracy targets: those are the benchmark's (./scripts/bench core).
#include <catch2/catch.hpp>

#include <vector>

#include "tt/loss.hpp"
#include "tt/matmul.hpp"
#include "tt/models.hpp"
#include "tt/optim.hpp"
#include "tt/train.hpp"

namespace {

// The first 2,000 training images and 500 test images, loaded once per process.
const tt::Dataset& train_subset() {
  static const tt::Dataset d = tt::load_fashion_mnist(tt::Split::train, 2000);
  return d;
}
const tt::Dataset& test_subset() {
  static const tt::Dataset d = tt::load_fashion_mnist(tt::Split::test, 500);
  return d;
}

tt::TrainOptions quiet(int epochs, std::size_t batch) {
  tt::TrainOptions o;
  o.epochs = epochs;
  o.batch_size = batch;
  o.seed = 1;
  o.progress = false;
  return o;
}

}  // namespace

TEST_CASE("A few hundred steps on 2,000 images lift accuracy far above chance", "[core][train]") {
  tt::BackendGuard g(tt::blas_backend());
  tt::Sequential model = tt::make_mlp({784, 64, 10}, 0);
  tt::Adam opt(model.params(), 1e-3F);
  const double before = tt::evaluate(model, test_subset());

  int steps = 0;
  tt::TrainOptions o = quiet(4, 32);  // 4 × 63 = 252 steps
  o.after_step = [&steps] { ++steps; };
  const std::vector<tt::EpochStats> h = tt::fit(model, opt, train_subset(), o);

  CHECK(steps == 4 * 63);
  REQUIRE(h.size() == 4);
  CHECK(h[0].epoch == 1);
  CHECK(h[3].epoch == 4);
  CHECK(h[3].loss < h[0].loss);
  CHECK(h[3].accuracy > h[0].accuracy);
  CHECK(h[0].samples_per_second > 0);
  const double after = tt::evaluate(model, test_subset());
  CHECK(before < 0.3);
  CHECK(after > 0.7);
}

TEST_CASE("evaluate and predict run in eval mode and restore the training mode", "[core][train]") {
  tt::Sequential model = tt::make_mlp({784, 16, 10}, 0);
  const tt::Dataset small = test_subset().slice(0, 100);
  const bool mode = GENERATE(true, false);
  model.set_training(mode);
  const tt::Tensor logits = tt::predict(model, small, 32);  // batches of 32, 32, 32, 4
  CHECK(model.training() == mode);
  REQUIRE(logits.shape() == std::vector<std::size_t>{100, 10});
  CHECK(tt::evaluate(model, small, 7) == Approx(tt::accuracy(logits, small.labels)));
  CHECK(model.training() == mode);
}

TEST_CASE("fit is reproducible with a seed and refuses bad arguments", "[core][train]") {
  const tt::Dataset small = train_subset().slice(0, 300);
  auto run = [&](std::uint64_t seed) {
    tt::Sequential model = tt::make_mlp({784, 16, 10}, 0);
    tt::SGD opt(model.params(), 0.05F);
    tt::TrainOptions o = quiet(1, 50);
    o.seed = seed;
    return tt::fit(model, opt, small, o).front().loss;
  };
  CHECK(run(3) == run(3));
  CHECK(run(3) != run(4));

  tt::Sequential model = tt::make_mlp({784, 16, 10}, 0);
  tt::SGD opt(model.params(), 0.05F);
  CHECK_THROWS_AS(tt::fit(model, opt, small, quiet(1, 0)), tt::value_error);
  CHECK_THROWS_AS(tt::fit(model, opt, tt::Dataset{}, quiet(1, 10)), tt::value_error);
}
