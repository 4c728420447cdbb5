// Tests for 20.3: strict validation of submission files (malformed, missing, impossible, unmeasured, duplicates).
// Not the harness tests (scoring_test.cpp): files here are written by hand to break one rule at a time.
#include <catch2/catch.hpp>
#include <fstream>
#include <string>

#include "capstone_fixtures.hpp"
#include "tt/capstone/harness.hpp"
#include "tt/capstone/validate.hpp"
#include "tt/errors.hpp"

using namespace tt::capstone;
using Catch::Matchers::Contains;
using nlohmann::json;

namespace {

// The data_error message of parse_submission, or "" when the file was accepted.
std::string rejection(const json& j) {
  try {
    parse_submission(j.dump(), "sub.json");
  } catch (const tt::data_error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a file written by the harness validates and parses into an Entry", "[m20][20.3][points=2]") {
  const tt::Dataset test = m20::synthetic_test_set(200, 0);
  m20::FakeSubmission fake;
  const Measurement m = measure(fake, test, m20::small_options());
  m20::TempDir dir("digest");
  { std::ofstream(dir.path() / "a.cpp") << "int a;\n"; }
  const json digest = source_digest(dir.str(), {"a.cpp"});
  const json file = make_submission_json("fake-1", "a fake", m, capture_environment(), digest);
  ValidationOptions opt;
  opt.required_test_images = 200;
  const Entry e = parse_submission(file.dump(2), "fake.json", opt);
  CHECK(e.name == "fake-1");
  CHECK(e.source == "fake.json");
  CHECK(e.accuracy == Approx(1.0));
  CHECK(e.latency_p50_ms == Approx(m.latency_p50_ms));
  CHECK(e.model_bytes == m20::FakeSubmission::kModelBytes);
  CHECK(e.generation_tokens == 16);
  CHECK(e.digest == digest["combined"].get<std::string>());
  CHECK(e.digest.size() == 64);

  const Entry v = parse_submission(m20::valid_submission("alice").dump(), "alice.json");
  CHECK(v.name == "alice");
  CHECK(v.test_images == 10000);
  CHECK(v.environment["cpu"] == "Test CPU");
}

TEST_CASE("malformed JSON and missing or mistyped fields are rejected with the field named", "[m20][20.3][points=2]") {
  SECTION("malformed") {
    REQUIRE_THROWS_AS(parse_submission("{\"name\": \"x\",", "broken.json"), tt::data_error);
    REQUIRE_THROWS_WITH(parse_submission("{\"name\": \"x\",", "broken.json"),
                        Contains("broken.json") && Contains("malformed JSON"));
    REQUIRE_THROWS_AS(parse_submission("[1, 2]", "array.json"), tt::data_error);
  }
  SECTION("missing fields, all listed") {
    json j = m20::valid_submission("bob");
    j["results"].erase("latency_p90_ms");
    j["results"].erase("accuracy");
    j.erase("source_digest");
    const std::string msg = rejection(j);
    CHECK_THAT(msg, Contains("results.latency_p90_ms") && Contains("results.accuracy") && Contains("source_digest"));
    CHECK_THAT(msg, Contains("3 problems"));
  }
  SECTION("mistyped fields and bad names") {
    json j = m20::valid_submission("bob");
    j["results"]["queries"] = "200";
    CHECK_THAT(rejection(j), Contains("results.queries") && Contains("expected a number"));
    j = m20::valid_submission("bob");
    j["name"] = "bob <script>";
    CHECK_THAT(rejection(j), Contains("name"));
    j = m20::valid_submission("bob");
    j["schema"] = "tt-capstone-submission/0";
    CHECK_THAT(rejection(j), Contains("schema"));
    j = m20::valid_submission("bob");
    j["source_digest"]["combined"] = "abc";
    CHECK_THAT(rejection(j), Contains("source_digest.combined"));
  }
}

TEST_CASE("impossible numbers are rejected", "[m20][20.3][points=3]") {
  struct Case {
    const char* key;
    json value;
    const char* expect;
  };
  const std::vector<Case> cases{
      {"latency_p50_ms", -1.0, "results.latency_p50_ms"},
      {"latency_p50_ms", 0.0, "results.latency_p50_ms"},
      {"latency_p90_ms", 0.04, "results.latency_p90_ms"},  // below p50 = 0.05
      {"accuracy", 1.5, "results.accuracy"},
      {"accuracy", 0.88125, "whole number"},                // not k / 10000
      {"throughput_ips", 6.0e6, "results.throughput_ips"},  // 256 / 0.05 ms = 5.12e6 at most
      {"throughput_ips", -3.0, "results.throughput_ips"},
      {"model_bytes", 0, "results.model_bytes"},
      {"test_images", 2000, "full test set"},
      {"queries", 10, "results.queries"},
      {"generation_tokens_per_s", 0.0, "results.generation_tokens_per_s"},
      {"max_rss_bytes", -5, "results.max_rss_bytes"},
  };
  for (const auto& c : cases) {
    json j = m20::valid_submission("carol");
    j["results"][c.key] = c.value;
    INFO(c.key << " = " << c.value.dump());
    CHECK_THAT(rejection(j), Contains(c.expect));
  }
  json ok = m20::valid_submission("carol");
  ok["results"]["throughput_ips"] = 5.0e6;  // fast, but within the bound
  CHECK(rejection(ok).empty());
}

TEST_CASE("claims the harness did not measure are rejected", "[m20][20.3][points=1]") {
  json j = m20::valid_submission("dave");
  j["results"]["energy_joules"] = 0.1;
  CHECK_THAT(rejection(j), Contains("results.energy_joules") && Contains("not measure"));

  j = m20::valid_submission("dave");
  auto measured = j["harness"]["measured"];
  measured.erase(measured.begin() + 1);  // latency_p50_ms no longer listed as measured
  j["harness"]["measured"] = measured;
  CHECK_THAT(rejection(j), Contains("results.latency_p50_ms") && Contains("harness.measured"));

  j = m20::valid_submission("dave");
  j["harness"]["measured"].push_back("accuracy_on_train");
  CHECK_THAT(rejection(j), Contains("accuracy_on_train"));

  j = m20::valid_submission("dave");
  j["harness"]["version"] = "my-own-harness";
  CHECK_THAT(rejection(j), Contains("harness.version"));
}

TEST_CASE("validate_submissions keeps valid files and rejects duplicates naming the other file", "[m20][20.3][points=1]") {
  const std::vector<std::pair<std::string, std::string>> files{
      {"a.json", m20::valid_submission("erin").dump()},
      {"b.json", "not json"},
      {"c.json", m20::valid_submission("frank").dump()},
      {"d.json", m20::valid_submission("erin", 0.07).dump()},
  };
  const Validated v = validate_submissions(files);
  REQUIRE(v.accepted.size() == 2);
  CHECK(v.accepted[0].name == "erin");
  CHECK(v.accepted[0].source == "a.json");
  CHECK(v.accepted[1].name == "frank");
  REQUIRE(v.rejected.size() == 2);
  CHECK(v.rejected[0].source == "b.json");
  CHECK_THAT(v.rejected[0].reason, Contains("malformed"));
  CHECK(v.rejected[1].source == "d.json");
  CHECK_THAT(v.rejected[1].reason, Contains("duplicate") && Contains("a.json"));
}

TEST_CASE("an unmeasured result is rejected even when harness.measured lists it", "[m20][20.3][points=1]") {
  // Forging both places: every problem is listed, so the results key is named as well as the list.
  json j = m20::valid_submission("gina");
  j["results"]["energy_joules"] = 0.1;
  j["harness"]["measured"].push_back("energy_joules");
  CHECK_THAT(rejection(j), Contains("results.energy_joules") && Contains("does not measure"));
  CHECK_THAT(rejection(j), Contains("harness.measured"));
}
