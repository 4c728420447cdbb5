// Tests of MagnitudePruner and the cubic schedule (tasks 18.1–18.3).
// Not tests of sparse storage or kernels (see csr_test.cpp).
#include "tt/compress/magnitude_pruner.hpp"

#include <cmath>
#include <limits>

#include "m18_fixtures.hpp"
#include "tt/models.hpp"
#include "tt/optim.hpp"
#include "tt/testing.hpp"
#include "tt/train.hpp"

using tt::compress::MagnitudePruner;
using tt::compress::PruneScope;
using tt::testing::AllClose;

namespace {
tt::Tensor weight_of(tt::Sequential& m, std::size_t i) { return m.as<tt::Linear>(i)->weight.value; }
}  // namespace

TEST_CASE("Per-layer pruning masks the smallest weights of each layer", "[m18][18.1][points=2]") {
  tt::Sequential m = m18::hand_model();
  MagnitudePruner p(m);
  REQUIRE(p.num_layers() == 2);
  CHECK(p.layer_name(0) == "0.weight");
  CHECK(p.layer_name(1) == "2.weight");
  // 60% of 6 → 4 weights (0.1, 0.2, 0.3, 4); 60% of 4 → round(2.4) = 2 (0.01, 0.05).
  p.prune(0.6, PruneScope::per_layer);
  CHECK_THAT(weight_of(m, 0), AllClose(tt::from_vector({2, 3}, {0, -5, 0, 0, 0, 6}), {0, 0}));
  CHECK_THAT(weight_of(m, 2), AllClose(tt::from_vector({2, 2}, {0, 2, 0.5F, 0}), {0, 0}));
  CHECK_THAT(p.mask(0), AllClose(tt::from_vector({2, 3}, {0, 1, 0, 0, 0, 1}), {0, 0}));
  CHECK_THAT(p.mask(1), AllClose(tt::from_vector({2, 2}, {0, 1, 1, 0}), {0, 0}));
  CHECK_THAT(m.as<tt::Linear>(0)->bias.value, AllClose(tt::from_vector({2}, {7, 7}), {0, 0}));
  CHECK(p.mask_sparsity() == Approx(0.6));

  SECTION("masks only grow: a smaller amount later keeps what was pruned") {
    p.prune(0.2, PruneScope::per_layer);
    CHECK(p.mask_sparsity() == Approx(0.6));
    CHECK(weight_of(m, 0)(1, 0) == 0.0F);
  }
}

TEST_CASE("Global pruning uses one threshold across all layers", "[m18][18.1][points=2]") {
  tt::Sequential m = m18::hand_model();
  MagnitudePruner p(m);
  // 60% of all 10 weights → the 6 smallest: 0.01 0.05 0.1 0.2 0.3 0.5 — three in each layer.
  p.prune(0.6, PruneScope::global);
  CHECK_THAT(weight_of(m, 0), AllClose(tt::from_vector({2, 3}, {0, -5, 0, 4, 0, 6}), {0, 0}));
  CHECK_THAT(weight_of(m, 2), AllClose(tt::from_vector({2, 2}, {0, 2, 0, 0}), {0, 0}));
  CHECK(p.mask_sparsity() == Approx(0.6));

  SECTION("pruning everything and nothing") {
    p.prune(0.0, PruneScope::global);
    CHECK(p.mask_sparsity() == Approx(0.6));
    p.prune(1.0, PruneScope::global);
    CHECK(p.mask_sparsity() == Approx(1.0));
    CHECK(xt::all(xt::equal(weight_of(m, 0), 0.0F)));
  }
}

TEST_CASE("Pruning rejects amounts outside 0 to 1 and models with nothing to prune", "[m18][18.1][points=1]") {
  tt::Sequential m = m18::hand_model();
  MagnitudePruner p(m);
  REQUIRE_THROWS_AS(p.prune(-0.1), tt::value_error);
  REQUIRE_THROWS_AS(p.prune(1.5, PruneScope::global), tt::value_error);
  REQUIRE_THROWS_AS(p.prune(std::numeric_limits<double>::quiet_NaN()), tt::value_error);
  p.prune(0.5);
  CHECK(p.mask_sparsity() == Approx(0.5));

  tt::Sequential only_relu;
  only_relu.emplace<tt::ReLU>();
  REQUIRE_THROWS_AS(MagnitudePruner(only_relu), tt::value_error);
}

TEST_CASE("Masks keep pruned weights and their gradients zero during fine-tuning", "[m18][18.2][points=3]") {
  tt::Sequential m = tt::make_mlp({16, 24, 3}, 7);
  const tt::Dataset data = m18::synthetic_data(256, 16, 3, 1);
  MagnitudePruner p(m);
  p.prune(0.8, PruneScope::per_layer);
  const tt::Tensor before = weight_of(m, 1);
  const tt::Tensor mask = p.mask(0);

  SECTION("apply_masks zeroes the pruned gradients too") {
    for (tt::Param* prm : m.params()) prm->grad.fill(1.0F);
    p.apply_masks();
    CHECK_THAT(m.as<tt::Linear>(1)->weight.grad, AllClose(mask, {0, 0}));
  }
  SECTION("fit with after_step = hook() keeps every pruned weight at exactly 0") {
    tt::Adam opt(m.params(), 1e-2F);
    tt::TrainOptions o;
    o.epochs = 2;
    o.batch_size = 32;
    o.progress = false;
    o.after_step = p.hook();
    tt::fit(m, opt, data, o);
    const tt::Tensor after = weight_of(m, 1);
    std::size_t changed = 0;
    for (std::size_t i = 0; i < after.size(); ++i) {
      if (mask.flat(i) == 0.0F) {
        CHECK(after.flat(i) == 0.0F);
      } else if (after.flat(i) != before.flat(i)) {
        ++changed;
      }
    }
    CHECK(changed > 0);  // the kept weights did train
    CHECK(p.mask_sparsity() == Approx(0.8).margin(0.01));
  }
}

TEST_CASE("remove() makes the pruning permanent and drops the masks", "[m18][18.2][points=1]") {
  tt::Sequential m = m18::hand_model();
  MagnitudePruner p(m);
  p.prune(0.6, PruneScope::global);
  m.as<tt::Linear>(0)->weight.value(0, 0) = 3.0F;  // a masked weight, changed behind the pruner's back
  p.remove();
  CHECK(p.num_layers() == 0);
  CHECK(weight_of(m, 0)(0, 0) == 0.0F);  // the masks were applied one last time
  CHECK(weight_of(m, 0)(0, 1) == -5.0F);
  REQUIRE_THROWS_AS(p.prune(0.5), tt::error);
}

TEST_CASE("The cubic schedule follows Zhu and Gupta", "[m18][18.3][points=1]") {
  using tt::compress::cubic_sparsity;
  CHECK(cubic_sparsity(0.0, 0.9, 0, 10, 110) == Approx(0.0));
  CHECK(cubic_sparsity(0.0, 0.9, 10, 10, 110) == Approx(0.0));
  CHECK(cubic_sparsity(0.0, 0.9, 60, 10, 110) == Approx(0.9 - 0.9 * 0.125));
  CHECK(cubic_sparsity(0.2, 0.9, 35, 10, 110) == Approx(0.9 - 0.7 * 0.75 * 0.75 * 0.75));
  CHECK(cubic_sparsity(0.0, 0.9, 110, 10, 110) == Approx(0.9));
  CHECK(cubic_sparsity(0.0, 0.9, 500, 10, 110) == Approx(0.9));
  double last = 0;
  for (std::size_t t = 0; t <= 120; ++t) {
    const double s = cubic_sparsity(0.0, 0.9, t, 10, 110);
    CHECK(s >= last);
    last = s;
  }
  REQUIRE_THROWS_AS(cubic_sparsity(0.5, 0.4, 0, 0, 10), tt::value_error);
  REQUIRE_THROWS_AS(cubic_sparsity(0.0, 1.2, 0, 0, 10), tt::value_error);
  REQUIRE_THROWS_AS(cubic_sparsity(0.0, 0.5, 0, 10, 10), tt::value_error);
}

TEST_CASE("Gradual pruning reaches the target sparsity along the schedule", "[m18][18.3][points=1]") {
  tt::Sequential m = tt::make_mlp({16, 40, 10}, 3);
  MagnitudePruner p(m);
  tt::compress::GradualOptions o;
  o.final_sparsity = 0.8;
  o.begin_step = 10;
  o.end_step = 110;
  o.every = 20;
  tt::compress::GradualPruner g(p, o);
  for (int i = 0; i < 9; ++i) g.step();
  CHECK(p.mask_sparsity() == 0.0);
  double last = 0;
  for (std::size_t t = 10; t <= 120; ++t) {
    g.step();
    CHECK(g.steps() == t);
    CHECK(p.mask_sparsity() >= last);
    last = p.mask_sparsity();
    if (t == 50) {
      // t = 50 is on the grid (10 + 2·20): the target is the schedule's value there.
      CHECK(g.current_target() == Approx(tt::compress::cubic_sparsity(0, 0.8, 50, 10, 110)));
      CHECK(p.mask_sparsity() == Approx(g.current_target()).margin(0.01));
    }
  }
  CHECK(g.current_target() == Approx(0.8));
  CHECK(p.mask_sparsity() == Approx(0.8).margin(0.01));
  REQUIRE_THROWS_AS(tt::compress::GradualPruner(p, {0.0, 0.8, 0, 10, 0, PruneScope::global}), tt::value_error);
}

TEST_CASE("Gradual pruning keeps pruned weights at zero between its pruning steps", "[m18][18.3][points=1]") {
  // Prune once at step 1, then train for many steps off the pruning grid: Adam's momentum keeps
  // moving every weight, so only re-applying the masks at every step keeps the pruned ones at 0.
  tt::Sequential m = tt::make_mlp({16, 24, 3}, 11);
  const tt::Dataset data = m18::synthetic_data(256, 16, 3, 2);
  MagnitudePruner p(m);
  tt::compress::GradualOptions o;
  o.initial_sparsity = 0.5;  // the schedule's value at begin_step: step 1 prunes half the weights
  o.final_sparsity = 0.5;
  o.begin_step = 1;
  o.end_step = 1000;  // far beyond this run: after step 1 no step of it prunes
  o.every = 1000;
  tt::compress::GradualPruner g(p, o);
  tt::Adam opt(m.params(), 1e-2F);
  tt::TrainOptions t;
  t.epochs = 2;
  t.batch_size = 32;
  t.progress = false;
  std::size_t non_pruning_steps_checked = 0;
  std::size_t nonzero_pruned = 0;
  t.after_step = [&] {
    g.step();
    if (g.steps() < 2) return;
    ++non_pruning_steps_checked;
    for (std::size_t l = 0; l < p.num_layers(); ++l) {
      const tt::Tensor& mask = p.mask(l);
      const tt::Tensor w = weight_of(m, 2 * l + 1);  // make_mlp: Flatten, Linear, ReLU, Linear
      for (std::size_t i = 0; i < w.size(); ++i) nonzero_pruned += mask.flat(i) == 0.0F && w.flat(i) != 0.0F ? 1 : 0;
    }
  };
  tt::fit(m, opt, data, t);
  CHECK(non_pruning_steps_checked >= 10);
  CHECK(p.mask_sparsity() > 0.0);
  CHECK(nonzero_pruned == 0);  // weights pruned at step 1 were moved by a later step
}
