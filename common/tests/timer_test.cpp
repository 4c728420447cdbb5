// Tests of the timing helper's bookkeeping (sample counts, order statistics), never of speed.
// Not a benchmark: no assertion here depends on how fast the machine is.
#include <catch2/catch.hpp>

#include "tt/errors.hpp"
#include "tt/timer.hpp"

TEST_CASE("stats_of computes median, min, max and spread", "[core][timer]") {
  auto s = tt::timing::stats_of({3, 1, 2, 10});
  CHECK(s.median == Approx(2.5));
  CHECK(s.min == 1);
  CHECK(s.max == 10);
  CHECK(s.spread() == Approx(9 / 2.5));
  CHECK(tt::timing::stats_of({}).median == 0);
}

TEST_CASE("interleaved runs every callable warmup + runs times, alternating", "[core][timer]") {
  std::vector<char> order;
  int a = 0, b = 0;
  tt::timing::Options opt;
  opt.warmup = 1;
  opt.runs = 4;
  auto stats = tt::timing::interleaved({[&] {
                                          ++a;
                                          order.push_back('a');
                                        },
                                        [&] {
                                          ++b;
                                          order.push_back('b');
                                        }},
                                       opt);
  CHECK(a == 5);
  CHECK(b == 5);
  REQUIRE(stats.size() == 2);
  CHECK(stats[0].samples.size() == 4);
  CHECK(std::string(order.begin(), order.end()) == "ababbaabba");
  opt.runs = 0;
  REQUIRE_THROWS_AS(tt::timing::measure([] {}, opt), tt::value_error);
}
