// Unit tests of tokens, the roster, round statistics, reading a report and the suggestions.
// Not the HTTP API (api_test.cpp) nor the queue (queue_test.cpp).
#include <catch2/catch.hpp>

#include "tt/arena/people.hpp"
#include "tt/arena/result.hpp"
#include "tt/arena/suggestions.hpp"
#include "tt/arena/tokens.hpp"

using nlohmann::json;
using namespace tt::arena;

TEST_CASE("sha256_hex matches the FIPS test vector and tokens are 160 random bits", "[unit]") {
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const auto a = new_person_token(), b = new_person_token();
  CHECK(a.size() == 44);
  CHECK(a.rfind("tta_", 0) == 0);
  CHECK(a != b);
  CHECK(constant_time_equal("same", "same"));
  CHECK_FALSE(constant_time_equal("same", "sane"));
  CHECK_FALSE(constant_time_equal("same", "samey"));
}

TEST_CASE("parse_roster reads quoted names and roles and rejects bad lines all at once", "[unit]") {
  const auto rows = parse_roster("name,login,role\n\"Doe, Jane\",jdoe,\nProf X,px,staff\n");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].name == "Doe, Jane");
  CHECK(rows[0].login == "jdoe");
  CHECK(rows[1].role == Role::staff);
  CHECK_THROWS_WITH(parse_roster("login,name\nbad login,X\nok,\nok2,Y,\n"),
                    Catch::Contains("line 2") && Catch::Contains("line 3"));
  CHECK_THROWS_AS(parse_roster(""), RosterError);
  CHECK_THROWS_WITH(parse_roster("login,name\na,A\na,B\n"), Catch::Contains("twice"));
  CHECK_THROWS_WITH(parse_roster("login,name,role\na,A,admin\n"), Catch::Contains("role"));
}

TEST_CASE("olympic_mean drops one lowest and one highest round; ci95 brackets it", "[unit]") {
  CHECK(*olympic_mean({1, 2, 3, 4, 100}) == Approx(3));
  CHECK(*olympic_mean({2, 4}) == Approx(3));
  CHECK_FALSE(olympic_mean({}).has_value());
  const auto ci = ci95({1.0, 1.01, 0.99, 1.02, 0.98, 5.0, 0.1});
  REQUIRE(ci);
  CHECK(ci->first < 1.0);
  CHECK(ci->second > 1.0);
  CHECK(ci->second - ci->first < 0.1);
  CHECK_FALSE(ci95({1.0, 2.0, 3.0}).has_value());  // one value after the trim
}

namespace {
json report_with(const json& result, const std::string& status = "measured") {
  return {
      {"schema", "tt-grade-report/2"},
      {"status", "graded"},
      {"modules",
       {{{"id", "20"},
         {"links", {{"15", "yours"}}},
         {"measure", {{"status", status}, {"reason", ""}, {"gate_passed", true}, {"score", 2}, {"result", result}}}}}}};
}
}  // namespace

TEST_CASE("metrics_from_report reads a result without the harness's newer checks as not measured", "[unit]") {
  // What module 20's harness writes today: submission + fields, no rounds, reference or profile.
  const json result{{"submission", {{"results", {{"latency_p50_ms", 0.5}, {"accuracy", 0.87}}}}},
                    {"fields", {{"latency_speedup", 12.0}}},
                    {"checks", {{"model.verified", true}}}};
  const json m = metrics_from_report(report_with(result));
  CHECK(m["measure_status"] == "measured");
  CHECK(m["vs_reference"].is_null());
  CHECK(m["profile"].is_null());
  CHECK(m["trainer"].is_null());
  CHECK(m["anti_caching"].is_null());
  const auto s = speedup_of(m);
  REQUIRE(s);
  CHECK(s->against == "baseline");
  CHECK(s->value == 12.0);
  CHECK_FALSE(s->ci);
  CHECK_FALSE(trainer_seconds(m));
  CHECK(analysis_of(m, json::array())["profile"] == "not measured");
}

TEST_CASE("metrics_from_report turns per-round ratios into a speedup vs the reference with its interval", "[unit]") {
  const json result{{"submission", {{"results", {{"latency_p50_ms", 0.1}}}}},
                    {"checks",
                     {{"rounds", 5},
                      {"reference", {{"latency_p50_ms", {0.2, 0.21, 0.19, 0.2, 0.2}}}},
                      {"latency_vs_reference", {{"per_round", {0.5, 0.51, 0.49, 0.5, 0.6}}}},
                      {"trainer", {{"target_accuracy", 0.85}, {"runs", {10.0, nullptr, 12.0}}}}}}};
  const json m = metrics_from_report(report_with(result));
  const auto s = speedup_of(m);
  REQUIRE(s);
  CHECK(s->against == "reference");
  CHECK(s->value == Approx(2.0).epsilon(0.01));
  REQUIRE(s->ci);
  CHECK(s->ci->first < s->value);
  CHECK(s->ci->second > s->value);
  CHECK(m["reference"]["latency_p50_ms"] == Approx(0.2));
  CHECK(*trainer_seconds(m) == 12.0);  // the run that never reached the target counts as the slowest
  CHECK_THROWS(metrics_from_report(json{{"nope", 1}}));
  CHECK(metrics_from_report(report_with(nullptr, "failed"))["measure_status"] == "failed");
}

TEST_CASE("metrics_from_report reads tt-grade's null error of a clean grade as no error", "[unit]") {
  json report = report_with(json{{"fields", {{"latency_speedup", 3.0}}}});
  report["error"] = nullptr;  // what tt-grade writes when the grade had no error
  report["modules"][0]["build_status"] = nullptr;
  const json m = metrics_from_report(report);
  CHECK(m["grade_error"] == "");
  CHECK(m["grade_status"] == "graded");
  CHECK(m["build_status"] == "");
  CHECK(m["measure_status"] == "measured");
}

TEST_CASE("reproduces compares intervals, or 10 % without them, the accuracy and what the speedup is over", "[unit]") {
  const json a{{"vs_reference", {{"speedup", 2.0}, {"speedup_ci95", {1.9, 2.1}}}}, {"results", {{"accuracy", 0.88}}}};
  json b = a;
  b["vs_reference"]["speedup_ci95"] = {2.05, 2.3};
  CHECK(reproduces(a, b));
  b["vs_reference"]["speedup_ci95"] = {2.2, 2.3};
  CHECK_FALSE(reproduces(a, b));
  json c = a;
  c["results"]["accuracy"] = 0.87;
  CHECK_FALSE(reproduces(a, c));
  const json f1{{"fields", {{"latency_speedup", 10.0}}}}, f2{{"fields", {{"latency_speedup", 10.9}}}},
      f3{{"fields", {{"latency_speedup", 12.0}}}};
  CHECK(reproduces(f1, f2));
  CHECK_FALSE(reproduces(f1, f3));
  // A speedup over the baseline does not reproduce one over the reference, however close the numbers.
  const json f4{{"fields", {{"latency_speedup", 2.0}}}, {"results", {{"accuracy", 0.88}}}};
  CHECK_FALSE(reproduces(a, f4));
}

TEST_CASE("suggestions follow the profile: uncached attention, fp32 weights, GEMM below peak", "[unit]") {
  const json m{{"profile",
                {{"breakdown", {{{"op", "attention"}, {"share", 0.45}}, {{"op", "mlp"}, {"share", 0.3}}}},
                 {"gemm_fraction_of_peak", 0.15},
                 {"cached_generation", false},
                 {"weights_dtype", "fp32"}}},
               {"links", {{"17", "the reference (yours did not build)"}}},
               {"anti_caching", {{"suspicious", true}}}};
  const json s = suggestions_for(m);
  std::string all;
  for (const auto& x : s) all += x["message"].get<std::string>() + "\n";
  CHECK_THAT(all, Catch::Contains("attention is 45 % of the time and generation is not cached: module 16"));
  CHECK_THAT(all, Catch::Contains("weights are fp32: module 17"));
  CHECK_THAT(all, Catch::Contains("GEMM runs at 15 % of this machine's peak: module 15's backend"));
  CHECK_THAT(all, Catch::Contains("your module 17 did not build"));
  CHECK_THAT(all, Catch::Contains("caching"));
  CHECK(suggestions_for(json{{"profile", {{"cached_generation", true}, {"weights_dtype", "int8"}}}}).empty());
}
