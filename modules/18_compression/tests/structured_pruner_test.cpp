// Tests of StructuredPruner: unit norms, unit selection and the rebuilt layers (tasks 18.8–18.9).
// Not tests of unstructured (masked) pruning (see magnitude_pruner_test.cpp).
#include "tt/compress/structured_pruner.hpp"

#include "m18_fixtures.hpp"
#include "tt/conv2d.hpp"
#include "tt/models.hpp"
#include "tt/shape_layers.hpp"
#include "tt/testing.hpp"

using tt::compress::NormKind;
using tt::compress::StructuredPruner;
using tt::testing::AllClose;

namespace {

// Zeroes the weights and bias of `units` of a Linear (rows) or Conv2d (filters), so that they
// have the smallest norms and removing them leaves the model's function unchanged.
void kill_units(tt::Param& weight, tt::Param& bias, const std::vector<std::size_t>& units) {
  const std::size_t per = weight.value.size() / weight.value.shape()[0];
  for (std::size_t u : units) {
    for (std::size_t i = 0; i < per; ++i) weight.value.flat(u * per + i) = 0.0F;
    bias.value(u) = 0.0F;
  }
}

tt::Tensor eval_forward(tt::Sequential& m, const tt::Tensor& x) {
  m.set_training(false);
  return m.forward(x);
}

}  // namespace

TEST_CASE("Unit norms are per row or per filter and the largest units are kept", "[m18][18.8][points=2]") {
  const tt::Tensor w = tt::from_vector({3, 2}, {3, -4, 0.5F, 0.5F, -1, 0});
  CHECK(tt::compress::unit_norms(w, NormKind::l1) == std::vector<double>{7, 1, 1});
  const auto l2 = tt::compress::unit_norms(w, NormKind::l2);
  REQUIRE(l2.size() == 3);
  CHECK(l2[0] == Approx(5));
  CHECK(l2[1] == Approx(std::sqrt(0.5)));
  CHECK(l2[2] == Approx(1));
  const tt::Tensor conv = tt::full({2, 3, 2, 2}, 1.0F);  // 12 ones per filter
  CHECK(tt::compress::unit_norms(conv, NormKind::l1) == std::vector<double>{12, 12});
  REQUIRE_THROWS_AS(tt::compress::unit_norms(tt::zeros({4}), NormKind::l1), tt::shape_error);

  using tt::compress::select_units;
  const std::vector<double> norms{0.5, 3, 1, 3, 0.1, 2};
  CHECK(select_units(norms, 0.5) == std::vector<std::size_t>{1, 3, 5});
  CHECK(select_units(norms, 0.0) == std::vector<std::size_t>{0, 1, 2, 3, 4, 5});
  CHECK(select_units(norms, 1.0) == std::vector<std::size_t>{1});           // at least one stays; ties → lower index
  CHECK(select_units(norms, 0.4) == std::vector<std::size_t>{1, 2, 3, 5});  // floor(2.4) = 2 removed
  REQUIRE_THROWS_AS(select_units(norms, 1.5), tt::value_error);
}

TEST_CASE("Structured pruning of a Linear keeps the kept neurons' outputs", "[m18][18.9][points=2]") {
  tt::Sequential m = tt::make_mlp({12, 10, 8, 3}, 5);  // 0 Flatten, 1 Linear, 2 ReLU, 3 Linear, 4 ReLU, 5 Linear
  tt::Rng rng(8);
  const tt::Tensor x = tt::rand_normal({6, 12}, 0, 1, rng);
  auto* l1 = m.as<tt::Linear>(1);
  const tt::Tensor hidden_before = l1->forward(x);

  SECTION("the rebuilt layer's outputs are the kept columns of the old ones") {
    const auto keep = StructuredPruner(NormKind::l2).prune_layer(m, 1, 0.3);
    REQUIRE(keep.size() == 7);
    auto* small = m.as<tt::Linear>(1);
    REQUIRE(small != nullptr);
    CHECK(small->out_features() == 7);
    CHECK(m.as<tt::Linear>(3)->in_features() == 7);
    const tt::Tensor hidden_after = small->forward(x);
    for (std::size_t j = 0; j < keep.size(); ++j) {
      for (std::size_t b = 0; b < 6; ++b) CHECK(hidden_after(b, j) == Approx(hidden_before(b, keep[j])).margin(1e-5));
    }
  }
  SECTION("removing dead neurons leaves the model's outputs unchanged") {
    kill_units(l1->weight, l1->bias, {0, 2, 3, 7, 9});
    const tt::Tensor out_before = eval_forward(m, x);
    const auto keep = StructuredPruner(NormKind::l1).prune_layer(m, 1, 0.5);
    CHECK(keep == std::vector<std::size_t>{1, 4, 5, 6, 8});
    CHECK_THAT(eval_forward(m, x), AllClose(out_before, {1e-5F, 1e-4F}));
    CHECK(tt::parameter_count(m) == (12 * 5 + 5) + (5 * 8 + 8) + (8 * 3 + 3));
  }
}

TEST_CASE("Structured pruning of Conv2d fixes the next Conv2d and the Linear after Flatten", "[m18][18.9][points=2]") {
  tt::Rng rng(4);
  tt::Sequential m;
  m.emplace<tt::Conv2d>(1, 4, 3, rng, 1, 1);  // 0: (N,1,8,8) → (N,4,8,8)
  m.emplace<tt::ReLU>();                      // 1
  m.emplace<tt::MaxPool2d>(2);                // 2: → (N,4,4,4)
  m.emplace<tt::Conv2d>(4, 6, 3, rng, 1, 1);  // 3: → (N,6,4,4)
  m.emplace<tt::ReLU>();                      // 4
  m.emplace<tt::Flatten>();                   // 5: → (N,96)
  m.emplace<tt::Linear>(96, 3, rng);          // 6
  const tt::Tensor x = tt::rand_normal({2, 1, 8, 8}, 0, 1, rng);
  auto* c0 = m.as<tt::Conv2d>(0);
  auto* c3 = m.as<tt::Conv2d>(3);
  kill_units(c0->weight, c0->bias, {1, 2});
  kill_units(c3->weight, c3->bias, {0, 3, 4});
  const tt::Tensor out_before = eval_forward(m, x);

  const StructuredPruner pruner(NormKind::l2);
  CHECK(pruner.prune_layer(m, 0, 0.5) == std::vector<std::size_t>{0, 3});
  CHECK(m.as<tt::Conv2d>(0)->out_channels() == 2);
  CHECK(m.as<tt::Conv2d>(3)->in_channels() == 2);
  CHECK_THAT(eval_forward(m, x), AllClose(out_before, {1e-5F, 1e-4F}));

  CHECK(pruner.prune_layer(m, 3, 0.5) == std::vector<std::size_t>{1, 2, 5});
  CHECK(m.as<tt::Conv2d>(3)->out_channels() == 3);
  CHECK(m.as<tt::Linear>(6)->in_features() == 48);  // 3 channels × 4 × 4
  CHECK_THAT(eval_forward(m, x), AllClose(out_before, {1e-5F, 1e-4F}));
}

TEST_CASE("Structured pruning shrinks a whole MLP and refuses what it cannot rebuild", "[m18][18.9][points=2]") {
  tt::Sequential m = tt::make_mlp({20, 16, 12, 4}, 9);
  const StructuredPruner pruner;
  CHECK(pruner.prune_all(m, 0.5) == 8 + 6);
  CHECK(m.as<tt::Linear>(1)->out_features() == 8);
  CHECK(m.as<tt::Linear>(3)->in_features() == 8);
  CHECK(m.as<tt::Linear>(3)->out_features() == 6);
  CHECK(m.as<tt::Linear>(5)->in_features() == 6);
  CHECK(m.as<tt::Linear>(5)->out_features() == 4);  // the classes stay
  tt::Rng rng(1);
  const tt::Tensor x = tt::rand_normal({3, 20}, 0, 1, rng);
  CHECK(m.forward(x).shape() == std::vector<std::size_t>{3, 4});

  REQUIRE_THROWS_AS(pruner.prune_layer(m, 5, 0.5), tt::value_error);  // the output layer
  REQUIRE_THROWS_AS(pruner.prune_layer(m, 2, 0.5), tt::value_error);  // a ReLU
  REQUIRE_THROWS_AS(pruner.prune_layer(m, 1, -0.5), tt::value_error);
}
