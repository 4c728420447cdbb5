// Write-ups: contradictions with measurements, Markdown rendering and its safety, word counts.
#include "tt/portfolio/writeup.hpp"

#include <catch2/catch.hpp>

#include "student_tree.hpp"
#include "tt/portfolio/markdown.hpp"

using namespace tt::portfolio;
using tt::portfolio::testing::StudentTree;

namespace {

MeasurementSet m16_set() {
  StudentTree t;
  return load_measurements(t.root() / "portfolio/measurements");
}

}  // namespace

TEST_CASE("a hand-typed number that contradicts the measurement of that name is flagged", "[contradiction]") {
  const auto set = m16_set();
  const auto c = find_contradictions("My kv_speedup_256 reached 120× on my laptop.", set);
  REQUIRE(c.size() == 1);
  CHECK(c[0].metric == "m16.kv_speedup_256");
  CHECK(c[0].typed == "120");
  CHECK_THAT(c[0].message, Catch::Contains("94.2×") && Catch::Contains("{{m16.kv_speedup_256}}"));
  CHECK(find_contradictions("Then m16.kv_speedup_256 = 12.", set).size() == 1);
}

TEST_CASE("a typed number that agrees with the measurement, or a number in another sentence, is not flagged",
          "[contradiction]") {
  const auto set = m16_set();
  CHECK(find_contradictions("kv_speedup_256 reached 94×.", set).empty());
  CHECK(find_contradictions("kv_speedup_256 was 94.2 in my run", set).empty());
  CHECK(find_contradictions("kv_speedup_256 (at 256 tokens) was 94", set).empty());  // 256 is the name's own
  CHECK(find_contradictions("kv_speedup_256 was great. My cat is 7 years old.", set).empty());
  CHECK(find_contradictions("my_kv_speedup_256x is 3", set).empty());  // not the metric's name
  CHECK(find_contradictions("m17.kv_speedup_256 is 3", set).empty());  // another module's metric
}

TEST_CASE("render_writeup flags a contradiction next to a citation-free sentence only", "[contradiction]") {
  const auto set = m16_set();
  const auto w = render_writeup({"16.md", "Module 16"}, "{{m16.kv_speedup_256}}: kv_speedup_256 is 50\n", set, {});
  CHECK(w.contradictions.size() == 1);
  const auto ok = render_writeup({"16.md", "Module 16"}, "kv_speedup_256 was {{m16.kv_speedup_256}}\n", set, {});
  CHECK(ok.contradictions.empty());
}

TEST_CASE("Markdown renders with libcmark: headings, emphasis, lists, code", "[markdown]") {
  const auto r = render_markdown("# Title\n\nSome *emphasis* and `code`.\n\n- a\n- b\n\n```\nx < y\n```\n");
  CHECK(r.title == "Title");
  CHECK_THAT(r.html, Catch::Contains("<h1>Title</h1>") && Catch::Contains("<em>emphasis</em>") &&
                         Catch::Contains("<code>code</code>") && Catch::Contains("<li>a</li>") &&
                         Catch::Contains("x &lt; y"));
  CHECK(r.warnings.empty());
}

TEST_CASE("embedded HTML and script never reach the page, and are warned about", "[markdown]") {
  const auto r = render_markdown(
      "Hi <b onclick=\"x()\">there</b>\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) "
      "![i](https://evil.example/a.png)\n");
  CHECK_THAT(r.html, !Catch::Contains("<script") && !Catch::Contains("onclick") && !Catch::Contains("javascript:") &&
                         !Catch::Contains("evil.example"));
  std::string all;
  for (const auto& w : r.warnings) all += w + "\n";
  CHECK_THAT(all, Catch::Contains("embedded HTML removed") && Catch::Contains("another host") &&
                      Catch::Contains("javascript:"));
}

TEST_CASE("citations become badges inside the rendered Markdown, also in headings and emphasis", "[markdown]") {
  const auto set = m16_set();
  const auto w = render_writeup({"16.md", "Module 16"},
                                "# {{m16.kv_speedup_256}} faster\n\n*{{m16.latency_ms}}* and {{oops}}\n", set, {});
  CHECK(w.title == "94.2× faster");
  CHECK_THAT(w.html, Catch::Contains("<em><span class=\"cite stale\"") && Catch::Contains("12.5 ms") &&
                         Catch::Contains("data-status=\"malformed\"") && !Catch::Contains("TTCITE"));
  REQUIRE(w.warnings.size() == 1);
  CHECK_THAT(w.warnings[0], Catch::Contains("line 3") && Catch::Contains("{{mNN.metric_name}}"));
}

TEST_CASE("word counts leave out prompts, code and citations", "[writeup]") {
  CHECK(count_words("> ✎ Prompt: what did you build?\n## What I built\n") == 0);
  CHECK(count_words("I built a cache.\n\n```\nint a = 1;\n```\nIt is {{m16.kv_speedup_256}} faster — really.\n") == 8);
}

TEST_CASE("consent is private unless portfolio/consent says public", "[writeup]") {
  StudentTree t;
  CHECK(load_portfolio({t.root(), {}, {}}).consent == "private");
  t.write("portfolio/consent", "# publish my portfolio?\npublic\npseudonym: Ada L.\n");
  const auto p = load_portfolio({t.root(), {}, {}});
  CHECK(p.consent == "public");
  CHECK(p.pseudonym == "Ada L.");
}
