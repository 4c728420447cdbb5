// The grader's portfolio section and the class showcase.
#include "tt/portfolio/summary.hpp"

#include <catch2/catch.hpp>

#include "student_tree.hpp"
#include "tt/portfolio/showcase.hpp"

using namespace tt::portfolio;
using nlohmann::json;
using tt::portfolio::testing::StudentTree;

TEST_CASE("the portfolio section lists write-ups, words, citations by status and rubric items", "[summary]") {
  StudentTree t;
  t.write("portfolio/16.md", "# KV\n\nThree words here {{m16.kv_speedup_256}} {{m20.capstone_latency_speedup}}\n");
  t.write("portfolio/rubric.json", R"({"items": [{"id": "P1", "title": "Explains the optimization", "points": 4}]})");
  const json j = portfolio_section(load_portfolio({t.root(), {}, {}}), t.root() / "portfolio/rubric.json");
  CHECK(j["schema"] == kPortfolioSectionSchema);
  REQUIRE(j["writeups"].size() == 4);  // 16, 20, case study, innovation
  CHECK(j["writeups"][0]["file"] == "portfolio/16.md");
  CHECK(j["writeups"][0]["exists"] == true);
  CHECK(j["writeups"][0]["words"] == 3);  // the heading is not counted
  CHECK(j["writeups"][1]["exists"] == false);
  CHECK(j["citations"]["verified"] == 1);
  CHECK(j["citations"]["missing"] == 1);
  CHECK(j["measurements"]["m16"]["status"] == "verified");
  CHECK(j["rubric"][0]["id"] == "P1");
  CHECK(j["consent"] == "private");
}

TEST_CASE("a missing rubric is a problem in the section, not an exception", "[summary]") {
  StudentTree t;
  const json j = portfolio_section(load_portfolio({t.root(), {}, {}}), t.root() / "nope.json");
  CHECK(j["rubric"].empty());
  CHECK_THAT(j["problems"].dump(), Catch::Contains("no rubric"));
}

TEST_CASE("the showcase lists only students who opted in, by pseudonym, with verified capstone numbers", "[showcase]") {
  StudentTree t;
  const json pub{{"consent", "public"},
                 {"pseudonym", "Ada <L>"},
                 {"capstone", {{"capstone_latency_speedup", 31.0}}},
                 {"citations", {{"verified", 5}}}};
  const json priv{{"consent", "private"}, {"pseudonym", "Hidden Person"}};
  const auto n = write_showcase(t.root() / "showcase",
                                {{"alice", pub, "alice/index.html"}, {"bob", priv, ""}, {"carol", json(nullptr), ""}});
  CHECK(n == 1);
  const std::string html = t.read("showcase/index.html");
  CHECK_THAT(html, Catch::Contains("Ada &lt;L&gt;") && Catch::Contains("href=\"alice/index.html\"") &&
                       Catch::Contains("capstone_latency_speedup: 31.0") && !Catch::Contains("Hidden Person") &&
                       !Catch::Contains("bob") && !Catch::Contains("carol") && !Catch::Contains("alice<"));
}

TEST_CASE("find_portfolio_dir finds portfolio/ at the root or one folder down", "[summary]") {
  StudentTree t;
  CHECK(find_portfolio_dir(t.root()) == t.root() / "portfolio");
  CHECK(find_portfolio_dir(t.root() / "modules").empty());
}
