// Tests of InteractionAnalyzer (Part 4): effects of a synthetic 2^3 response and a timed 2^2 experiment.
// Not speed tests: the timed case checks only the sign of a 4x difference in work.
#include <cmath>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "profile_fixtures.hpp"
#include "tt/errors.hpp"
#include "tt/profile/interaction.hpp"

using tt::profile::InteractionAnalyzer;
using tt::profile::testing::busy;
using tt::profile::testing::kMillisecondOfWork;

namespace {
// x = +1 when factor i is on in configuration c, else -1.
double x(unsigned c, int i) { return (c >> i) & 1U ? 1.0 : -1.0; }
}  // namespace

TEST_CASE("Main effects and interactions of a synthetic 2^3 response are recovered exactly", "[m19][19.12][points=3]") {
  const InteractionAnalyzer an({"quantize", "prune", "cache"});
  REQUIRE(an.configurations() == 8);
  // y = 5 + 1·xq - 0.5·xp + 0.25·xq·xp + 0.125·xq·xp·xc: effects are twice the coefficients.
  std::vector<double> y;
  for (unsigned c = 0; c < 8; ++c)
    y.push_back(5 + 1.0 * x(c, 0) - 0.5 * x(c, 1) + 0.25 * x(c, 0) * x(c, 1) + 0.125 * x(c, 0) * x(c, 1) * x(c, 2));
  const auto r = an.analyze(y);
  CHECK(r.mean == Approx(5.0));
  REQUIRE(r.effects.size() == 7);
  CHECK(r.effect(1).value == Approx(2.0));
  CHECK(r.effect(2).value == Approx(-1.0));
  CHECK(r.effect(4).value == Approx(0.0).margin(1e-12));
  CHECK(r.effect(3).value == Approx(0.5));
  CHECK(r.effect(5).value == Approx(0.0).margin(1e-12));
  CHECK(r.effect(6).value == Approx(0.0).margin(1e-12));
  CHECK(r.effect(7).value == Approx(0.25));
  // Main effect = mean(y | on) - mean(y | off).
  double on = 0, off = 0;
  for (unsigned c = 0; c < 8; ++c) (c & 1U ? on : off) += y[c] / 4;
  CHECK(r.effect(1).value == Approx(on - off));
  // Order: main effects first, then pairs, then the triple.
  CHECK(r.effects[0].mask == 1);
  CHECK(r.effects[1].mask == 2);
  CHECK(r.effects[2].mask == 4);
  CHECK(r.effects[3].mask == 3);
  CHECK(r.effects[6].mask == 7);
  CHECK(r.effects[3].order == 2);
  CHECK(r.effect(3).name == "quantize x prune");
  CHECK(r.config_name(0) == "baseline");
  CHECK(r.config_name(3) == "quantize+prune");
  CHECK_THROWS_AS(r.effect(8), tt::index_error);
}

TEST_CASE("The factorial analysis rejects a wrong number of responses", "[m19][19.12][points=1]") {
  const InteractionAnalyzer an({"a", "b"});
  CHECK_THROWS_AS(an.analyze({1.0, 2.0, 3.0}), tt::shape_error);
  const auto r = an.analyze({1.0, 3.0, 1.0, 3.0});
  CHECK(r.effect(1).value == Approx(2.0));
  CHECK(r.effect(2).value == Approx(0.0).margin(1e-12));
  CHECK_THROWS_AS(InteractionAnalyzer({"a", "a"}), tt::value_error);
  CHECK_THROWS_AS(InteractionAnalyzer({}), tt::value_error);
}

TEST_CASE("run() evaluates every configuration once and time() measures all of them", "[m19][19.13][points=2]") {
  const InteractionAnalyzer three({"a", "b", "c"});
  int calls = 0;
  const auto r = three.run([&](unsigned c) {
    ++calls;
    return static_cast<double>(c);
  });
  CHECK(calls == 8);
  CHECK(r.responses[5] == 5.0);
  CHECK(r.effect(4).value == Approx(4.0));

  // Factor "slow" makes the work 4x longer; factor "noop" changes nothing.
  const InteractionAnalyzer two({"slow", "noop"});
  tt::profile::ComparerOptions opt;
  opt.runs = 15;
  opt.min_seconds = 0.002;
  opt.clock = tt::profile::Clock::thread_cpu;  // robust to other processes on a shared machine
  const auto t = two.time(
      [](unsigned c) -> std::function<void()> {
        const std::size_t n = (c & 1U ? 4 : 1) * (kMillisecondOfWork / 4);
        return [n] { busy(n); };
      },
      opt);
  REQUIRE(t.responses.size() == 4);
  for (double y : t.responses) CHECK(std::isfinite(y));
  // Only the direction: log(4) ≈ 1.39 on a quiet machine, but a shared one adds noise.
  CHECK(t.effect(1).value > 0.3);
  CHECK(t.effect(1).value > t.effect(2).value);
  const std::string table = InteractionAnalyzer::table(t, true);
  for (const char* word : {"baseline", "slow", "noop", "slow x noop"}) CHECK(table.find(word) != std::string::npos);
}
