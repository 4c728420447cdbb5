// Tests of tt::Tensor helpers: shape strings, constructors and shape checks.
// Not tests of xtensor itself.
#include <catch2/catch.hpp>

#include "tt/random.hpp"
#include "tt/tensor.hpp"

TEST_CASE("shape_str formats shapes like Python tuples", "[core][tensor]") {
  CHECK(tt::shape_str({2, 3}) == "(2, 3)");
  CHECK(tt::shape_str({7}) == "(7,)");
  CHECK(tt::shape_str({}) == "()");
}

TEST_CASE("from_vector fills row-major and rejects a size mismatch", "[core][tensor]") {
  auto t = tt::from_vector({2, 2}, {1, 2, 3, 4});
  CHECK(t(1, 0) == 3.0F);
  REQUIRE_THROWS_AS(tt::from_vector({2, 2}, {1, 2, 3}), tt::shape_error);
}

TEST_CASE("shape checks throw shape_error naming both shapes", "[core][tensor]") {
  tt::Tensor a = tt::zeros({2, 3});
  tt::Tensor b = tt::zeros({3, 2});
  REQUIRE_THROWS_WITH(tt::check_same_shape(a, b, "add"), Catch::Contains("(2, 3)") && Catch::Contains("(3, 2)"));
  REQUIRE_THROWS_WITH(tt::check_shape(a, {2, 4}, "w"),
                      Catch::Contains("expected shape (2, 4)") && Catch::Contains("(2, 3)"));
  REQUIRE_THROWS_AS(tt::check_rank(a, 3, "x"), tt::shape_error);
  REQUIRE_THROWS_AS(tt::check_rank(tt::zeros({0, 3}), 2, "x"), tt::shape_error);
  REQUIRE_NOTHROW(tt::check_rank(a, 2, "x"));
}

TEST_CASE("the seeded RNG makes initializers reproducible", "[core][random]") {
  tt::Rng r1(42), r2(42), r3(43);
  auto a = tt::rand_uniform({4, 5}, -1, 1, r1);
  auto b = tt::rand_uniform({4, 5}, -1, 1, r2);
  auto c = tt::rand_uniform({4, 5}, -1, 1, r3);
  CHECK((a == b));
  CHECK_FALSE((a == c));
  for (float v : a) CHECK((v >= -1 && v < 1));
  REQUIRE_THROWS_AS(tt::rand_uniform({2}, 1, 1, r1), tt::value_error);
}
