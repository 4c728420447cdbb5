// Tests of tags.hpp: task ids, points and the hidden flag from Catch2 tag strings.
// Not tests of the points rules (stub_check_test.cpp).
#include <catch2/catch.hpp>

#include "tt/grade/tags.hpp"

using tt::grade::parse_tags;

TEST_CASE("tags give the task id, the points and the hidden flag") {
  const auto t = parse_tags("[15.1][m15][points=2]");
  CHECK(t.task_ids == std::vector<std::string>{"15.1"});
  REQUIRE(t.points);
  CHECK(*t.points == 2);
  CHECK_FALSE(t.hidden);
  CHECK(parse_tags("[m15][15.3][points=1][hidden]").hidden);
  CHECK(parse_tags("[m20][20.12][Points=10]").task_ids == std::vector<std::string>{"20.12"});
  CHECK(*parse_tags("[m20][20.12][Points=10]").points == 10);
}

TEST_CASE("malformed or missing points tags are told apart") {
  CHECK_FALSE(parse_tags("[m15][15.1]").points);
  CHECK_FALSE(parse_tags("[m15][15.1]").points_malformed);
  CHECK(parse_tags("[m15][15.1][points=two]").points_malformed);
  CHECK(parse_tags("[m15][15.1][points=-1]").points_malformed);
}

TEST_CASE("task ids are digits, a dot, digits") {
  CHECK(tt::grade::looks_like_task_id("15.1"));
  CHECK_FALSE(tt::grade::looks_like_task_id("m15"));
  CHECK_FALSE(tt::grade::looks_like_task_id("15."));
  CHECK_FALSE(tt::grade::looks_like_task_id(".1"));
  CHECK_FALSE(tt::grade::looks_like_task_id("1.2.3"));
}
