// Tests for 20.4 and 20.5: the Pareto front, the ranking per category, leaderboard.json and the HTML page.
// Not the browser check (browser_test.sh drives headless Chromium): this reads the page as text.
#include <catch2/catch.hpp>
#include <string>

#include "capstone_fixtures.hpp"
#include "tt/capstone/leaderboard.hpp"
#include "tt/capstone/validate.hpp"

using namespace tt::capstone;
using Catch::Matchers::Contains;

namespace {

Entry entry(const std::string& name, double p50, double acc, std::size_t bytes, std::size_t gen_peak,
            double tps = 1000) {
  Entry e;
  e.name = name;
  e.description = "test entry " + name;
  e.source = name + ".json";
  e.queries = 200;
  e.latency_p50_ms = p50;
  e.latency_p90_ms = p50 * 1.2;
  e.throughput_batch = 256;
  e.throughput_ips = 40000;
  e.test_images = 10000;
  e.accuracy = acc;
  e.baseline_accuracy = 0.885;
  e.model_bytes = bytes;
  e.baseline_model_bytes = 940000;
  e.max_rss_bytes = 90000000;
  e.generation_tokens = 256;
  e.generation_tokens_per_s = tps;
  e.generation_peak_bytes = gen_peak;
  return e;
}

// baseline accuracy 0.885 → gate 0.87615
std::vector<Entry> field() {
  return {entry("slow-accurate", 0.30, 0.8900, 200000, 500000),   // on the front (most accurate)
          entry("fast", 0.02, 0.8800, 60000, 300000, 900),        // on the front (fastest gated)
          entry("dominated", 0.25, 0.8790, 50000, 300000, 1200),  // slower and less accurate than fast
          entry("middle", 0.10, 0.8850, 235000, 800000),          // on the front
          entry("too-lossy", 0.01, 0.8500, 30000, 100000)};       // below the gate, fastest of all
}

const Category& category(const Leaderboard& b, const std::string& id) {
  for (const auto& c : b.categories)
    if (c.id == id) return c;
  FAIL("no category " << id);
  throw;
}

}  // namespace

TEST_CASE("pareto_front keeps the points no other point beats on both latency and accuracy", "[m20][20.4][points=2]") {
  CHECK(pareto_front({}).empty());
  CHECK(pareto_front({{1.0, 0.5}}) == std::vector<std::size_t>{0});
  // (latency, accuracy)
  const std::vector<std::pair<double, double>> pts{{3, 0.9}, {1, 0.8}, {2, 0.7}, {2, 0.85}, {4, 0.9}, {1, 0.8}};
  // 2 is beaten by 3 (same latency, more accurate); 4 by 0 (same accuracy, faster); 1 and 5 are equal (both kept)
  CHECK(pareto_front(pts) == std::vector<std::size_t>{1, 5, 3, 0});
}

TEST_CASE("build_leaderboard ranks gated entries per category and lists the others unranked", "[m20][20.4][points=3]") {
  const Leaderboard b = build_leaderboard(field());
  REQUIRE(b.categories.size() == 4);
  CHECK(b.categories[0].id == kFastestClassifier);
  CHECK(b.categories[3].id == kMostCreative);

  const auto& fast = category(b, kFastestClassifier);
  REQUIRE(fast.standings.size() == 5);
  CHECK(fast.standings[0].name == "fast");
  CHECK(fast.standings[0].rank == std::optional<std::size_t>(1));
  CHECK(fast.standings[1].name == "middle");
  CHECK(fast.standings[2].name == "dominated");
  CHECK(fast.standings[3].name == "slow-accurate");
  CHECK(fast.standings[3].rank == std::optional<std::size_t>(4));
  CHECK(fast.standings[4].name == "too-lossy");
  CHECK_FALSE(fast.standings[4].rank.has_value());
  CHECK_THAT(fast.standings[4].note, Contains("gate"));
  CHECK(fast.standings[0].value == Approx(0.02));

  const auto& mem = category(b, kMemoryEfficientGenerator);
  CHECK(mem.standings[0].name == "dominated");  // same peak as "fast", more tokens/s
  CHECK(mem.standings[1].name == "fast");
  CHECK(mem.standings[3].name == "middle");

  const auto& trade = category(b, kAccuracySizeTradeoff);
  CHECK_FALSE(trade.lower_is_better);
  // scores: dominated 940000/50000·(0.879/0.885)^10 ≈ 17.6, fast ≈ 14.6, slow ≈ 4.9, middle 4.0
  CHECK(trade.standings[0].name == "dominated");
  CHECK(trade.standings[0].value == Approx(18.8 * std::pow(0.879 / 0.885, 10)).epsilon(1e-6));
  CHECK(trade.standings[1].name == "fast");
  CHECK(trade.standings[2].name == "slow-accurate");
  CHECK(trade.standings[3].name == "middle");

  const auto& creative = category(b, kMostCreative);
  REQUIRE(creative.standings.size() == 5);
  CHECK(creative.standings[0].name == "dominated");  // by name
  CHECK_FALSE(creative.standings[0].rank.has_value());
  CHECK(creative.standings[0].note == "test entry dominated");

  CHECK(b.pareto == std::vector<std::string>{"too-lossy", "fast", "middle", "slow-accurate"});
}

TEST_CASE("leaderboard_json writes the tt-leaderboard/1 document", "[m20][20.4][points=2]") {
  const nlohmann::json j = leaderboard_json(build_leaderboard(field()));
  CHECK(j["schema"] == "tt-leaderboard/1");
  REQUIRE(j["categories"].size() == 4);
  const auto& fast = j["categories"][0];
  CHECK(fast["id"] == kFastestClassifier);
  CHECK(fast["metric"] == "latency_p50_ms");
  CHECK(fast["lower_is_better"] == true);
  CHECK(fast["standings"][0]["name"] == "fast");
  CHECK(fast["standings"][0]["rank"] == 1);
  CHECK(fast["standings"][4]["rank"].is_null());
  REQUIRE(j["entries"].size() == 5);
  CHECK(j["entries"][4]["name"] == "too-lossy");
  CHECK(j["entries"][4]["gated"] == false);
  CHECK(j["entries"][1]["gated"] == true);
  CHECK(j["entries"][1]["model_bytes"] == 60000);
  CHECK(j["pareto"].size() == 4);
}

TEST_CASE("render_html writes one offline page with sortable tables and the scatter and the self-test hook", "[m20][20.5][points=3]") {
  std::vector<Entry> entries = field();
  entries[0].description = "uses <b>tricks</b> & \"quotes\"";
  const std::string html = render_html(build_leaderboard(entries));
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  for (const char* id : {kFastestClassifier, kMemoryEfficientGenerator, kAccuracySizeTradeoff, kMostCreative})
    CHECK_THAT(html, Contains(std::string("id=\"cat-") + id + "\""));
  CHECK_THAT(html, Contains("class=\"lb\"") && Contains("data-col=\"p50\"") && Contains("data-v="));
  CHECK_THAT(html, Contains("<svg id=\"pareto-plot\"") && Contains("class=\"front\"") && Contains("<circle"));
  CHECK_THAT(html,
             Contains("<pre id=\"selftest\"") && Contains("#selftest") && Contains("<script>") && Contains("<style>"));
  // Offline: nothing fetched (the SVG namespace is a name, not a fetch).
  CHECK_THAT(html, !Contains("https://") && !Contains("src=") && !Contains("<link") && !Contains("@import"));
  // Escaped text
  CHECK_THAT(html, Contains("uses &lt;b&gt;tricks&lt;/b&gt; &amp; &quot;quotes&quot;"));
  CHECK_THAT(html, !Contains("<b>tricks</b>"));
  // Every entry appears in every category table: 5 rows × 4 tables
  std::size_t rows = 0;
  for (std::size_t p = html.find("<tr"); p != std::string::npos; p = html.find("<tr", p + 1)) ++rows;
  CHECK(rows == std::size_t{4} * (1 + 5));
}

TEST_CASE("render_html sorts the model size column by the number of bytes, not by its text", "[m20][20.5][points=1]") {
  // As text "195.3 KiB" < "58.6 KiB"; the sort key (data-v) must be the byte count itself.
  const std::string html = render_html(build_leaderboard(field()));
  CHECK_THAT(html, Contains("data-v=\"60000\"") && Contains("data-v=\"200000\""));
  CHECK_THAT(html, !Contains("data-v=\"58.6 KiB\""));
}
