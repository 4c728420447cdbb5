// Tests of allclose/compare: tolerances, NaN, and the first-mismatch message.
// Not tests of the Catch2 matcher's formatting beyond its verdict.
#include <catch2/catch.hpp>

#include <cmath>

#include "tt/testing.hpp"

TEST_CASE("compare applies absolute plus relative tolerance", "[core][allclose]") {
  auto e = tt::from_vector({3}, {1, 100, 0});
  CHECK(tt::allclose(tt::from_vector({3}, {1.00001F, 100.005F, 1e-6F}), e, {1e-5F, 1e-4F}));
  CHECK_FALSE(tt::allclose(tt::from_vector({3}, {1, 100.1F, 0}), e, {1e-5F, 1e-4F}));
}

TEST_CASE("compare names the first mismatching index with both values", "[core][allclose]") {
  auto c = tt::compare(tt::from_vector({2, 2}, {1, 2, 9, 8}), tt::from_vector({2, 2}, {1, 2, 3, 4}));
  REQUIRE_FALSE(c.ok);
  CHECK(c.mismatches == 2);
  CHECK(c.first_index == 2);
  CHECK(c.expected == 3.0F);
  CHECK(c.actual == 9.0F);
  CHECK_THAT(c.message, Catch::Contains("index 2") && Catch::Contains("expected 3") && Catch::Contains("got 9"));
}

TEST_CASE("NaN never compares close and shapes must agree", "[core][allclose]") {
  CHECK_FALSE(tt::allclose(tt::from_vector({1}, {std::nanf("")}), tt::from_vector({1}, {std::nanf("")})));
  CHECK_FALSE(tt::allclose(tt::zeros({2, 3}), tt::zeros({3, 2})));
  CHECK_THAT(tt::zeros({2}), tt::testing::AllClose(tt::zeros({2})));
}
