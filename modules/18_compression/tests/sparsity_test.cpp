// Tests of the sparsity statistics and the |w| histogram (task 18.4).
// Not tests of pruning itself (see magnitude_pruner_test.cpp).
#include "tt/compress/sparsity.hpp"

#include <memory>
#include <numeric>

#include "m18_fixtures.hpp"
#include "tt/compress/csr.hpp"
#include "tt/testing.hpp"

TEST_CASE("Sparsity is counted per layer and over the whole model", "[m18][18.4][points=1]") {
  using tt::compress::sparsity;
  CHECK(sparsity(tt::from_vector({4}, {0, 1, 0, 2})) == Approx(0.5));
  CHECK(sparsity(tt::zeros({3, 3})) == Approx(1.0));
  CHECK(sparsity(tt::Tensor::from_shape({0})) == 0.0);

  tt::Sequential m = m18::hand_model();
  m.as<tt::Linear>(0)->weight.value(0, 0) = 0.0F;
  m.as<tt::Linear>(0)->weight.value(1, 1) = 0.0F;
  m.as<tt::Linear>(2)->weight.value(0, 0) = 0.0F;
  const auto layers = tt::compress::layer_sparsity(m);
  REQUIRE(layers.size() == 2);
  CHECK(layers[0].name == "0.weight");
  CHECK(layers[0].total == 6);
  CHECK(layers[0].zeros == 2);
  CHECK(layers[1].name == "2.weight");
  CHECK(layers[1].zeros == 1);
  CHECK(layers[1].sparsity() == Approx(0.25));
  // Weighted by size: 3 zeros of 10 weights (not the mean of 1/3 and 1/4).
  CHECK(tt::compress::global_sparsity(m) == Approx(0.3));

  // A SparseLinear stores only some entries: the entries a CSR leaves out are zeros too. This 2×3
  // weight stores 2 of 6 entries, one of them an explicit 0: 5 zeros of 6.
  tt::Sequential s;
  s.add(std::make_unique<tt::compress::SparseLinear>(tt::compress::CsrMatrix{2, 3, {0, 1, 2}, {1, 0}, {0.0F, 3.0F}},
                                                     tt::Tensor::from_shape({0})));
  const auto sl = tt::compress::layer_sparsity(s);
  REQUIRE(sl.size() == 1);
  CHECK(sl[0].total == 6);
  CHECK(sl[0].zeros == 5);
}

TEST_CASE("The |w| histogram puts every weight in one bin", "[m18][18.4][points=1]") {
  tt::Sequential m = m18::hand_model();  // |w| max is 6
  const auto h = tt::compress::magnitude_histogram(m, 6);
  CHECK(h.lo == 0.0);
  CHECK(h.hi == Approx(6.0));
  REQUIRE(h.counts.size() == 6);
  // bins of width 1: [0,1): 0.1 0.3 0.2 0.05 0.5 0.01 → 6; [2,3): 2; [4,5): 4; [5,6]: 5 and 6.
  const std::vector<std::size_t> expected{6, 0, 1, 0, 1, 2};
  CHECK(h.counts == expected);
  CHECK(std::accumulate(h.counts.begin(), h.counts.end(), std::size_t{0}) == 10);
  REQUIRE_THROWS_AS(tt::compress::magnitude_histogram(m, 0), tt::value_error);

  // A SparseLinear's 4 unstored entries are zeros of the first bin, beside its stored 0 and 3.
  tt::Sequential s;
  s.add(std::make_unique<tt::compress::SparseLinear>(tt::compress::CsrMatrix{2, 3, {0, 1, 2}, {1, 0}, {0.0F, 3.0F}},
                                                     tt::Tensor::from_shape({0})));
  const auto hs = tt::compress::magnitude_histogram(s, 3);
  CHECK(hs.counts == std::vector<std::size_t>{5, 0, 1});
}
