// Citations: parsing, and verified / stale / missing / unknown resolution against measurements.
#include "tt/portfolio/citation.hpp"

#include <catch2/catch.hpp>

#include "student_tree.hpp"
#include "tt/portfolio/error.hpp"
#include "tt/portfolio/writeup.hpp"

using namespace tt::portfolio;
using tt::portfolio::testing::StudentTree;

TEST_CASE("parse_citations splits text, citations and malformed braces", "[citation]") {
  const auto s =
      parse_citations("KV: {{m16.kv_speedup_256}} and {{ m20.capstone_latency_speedup }}.\nbad {{M16.X}} {{m16.kv");
  REQUIRE(s.size() == 8);
  CHECK(s[0].kind == SegmentKind::text);
  CHECK(s[1].kind == SegmentKind::citation);
  CHECK(s[1].module == "16");
  CHECK(s[1].metric == "kv_speedup_256");
  CHECK(s[3].kind == SegmentKind::citation);
  CHECK(s[3].module == "20");
  CHECK(s[3].metric == "capstone_latency_speedup");
  CHECK(s[5].kind == SegmentKind::malformed);
  CHECK(s[5].line == 2);
  CHECK_THAT(s[5].problem, Catch::Contains("{{mNN.metric_name}}"));
  CHECK(s[7].kind == SegmentKind::malformed);
  CHECK_THAT(s[7].problem, Catch::Contains("without a closing"));
}

TEST_CASE("parse_citations leaves plain text and single braces alone", "[citation]") {
  const auto s = parse_citations("a {b} c } {");
  REQUIRE(s.size() == 1);
  CHECK(s[0].text == "a {b} c } {");
}

TEST_CASE("a citation is verified when its measurement's digest matches the current sources", "[citation]") {
  StudentTree t;
  t.write("portfolio/16.md", "# KV cache\nThe cache made generation {{m16.kv_speedup_256}} faster.\n");
  const Portfolio p = load_portfolio({t.root(), {}, {}});
  const Writeup& w = p.writeups.front();
  REQUIRE(w.citations.size() == 1);
  CHECK(w.citations[0].status == CitationStatus::verified);
  CHECK(w.citations[0].shown == "94.2×");
  CHECK_THAT(w.html, Catch::Contains("data-status=\"verified\""));
}

TEST_CASE("editing a measured source file makes its citations stale, with the command to re-measure", "[citation]") {
  StudentTree t;
  t.write("portfolio/16.md", "{{m16.kv_speedup_256}}\n");
  t.write("modules/16_memory/src/kv_cache.cpp", "int kv = 2;  // changed after the measurement\n");
  const Portfolio p = load_portfolio({t.root(), {}, {}});
  const auto& c = p.writeups.front().citations.at(0);
  CHECK(c.status == CitationStatus::stale);
  CHECK(c.shown == "94.2×");
  CHECK_THAT(c.message, Catch::Contains("./scripts/portfolio measure --module 16"));
}

TEST_CASE("a capstone measurement goes stale when an earlier module it depends on changes", "[citation]") {
  StudentTree t;
  t.measure("20", {{{"name", "capstone_latency_speedup"}, {"value", 31.0}, {"unit", "ratio"}}});
  t.write("portfolio/20.md", "{{m20.capstone_latency_speedup}}\n");
  CHECK(load_portfolio({t.root(), {}, {}}).writeups.at(1).citations.at(0).status == CitationStatus::verified);
  t.write("modules/16_memory/src/kv_cache.cpp", "int kv = 3;\n");
  CHECK(load_portfolio({t.root(), {}, {}}).writeups.at(1).citations.at(0).status == CitationStatus::stale);
}

TEST_CASE("a citation without a measurement is missing and names the command that produces it", "[citation]") {
  StudentTree t;
  t.write("portfolio/20.md", "Latency: {{m20.capstone_latency_speedup}}\n");
  const Portfolio p = load_portfolio({t.root(), {}, {}});
  const auto& c = p.writeups.at(1).citations.at(0);
  CHECK(c.status == CitationStatus::missing);
  CHECK(c.shown == "?");
  CHECK_THAT(c.message, Catch::Contains("m20.json") && Catch::Contains("./scripts/portfolio measure --module 20"));
}

TEST_CASE("an unknown metric name is flagged with the names the measurement has", "[citation]") {
  StudentTree t;
  t.write("portfolio/16.md", "{{m16.kv_speedup_9999}}\n");
  const Portfolio p = load_portfolio({t.root(), {}, {}});
  const Writeup& w = p.writeups.front();
  CHECK(w.citations.at(0).status == CitationStatus::unknown);
  CHECK_THAT(w.citations.at(0).message, Catch::Contains("kv_speedup_256"));
  REQUIRE_FALSE(w.warnings.empty());
}

TEST_CASE("a failed measurement cites as missing with its error", "[citation]") {
  StudentTree t;
  Measurement m;
  m.module = "16";
  m.digest = "sha256:x";
  m.error = "./scripts/bench 16 failed (exit 1)";
  write_measurement(t.root() / "portfolio/measurements/m16.json", m);
  t.write("portfolio/16.md", "{{m16.kv_speedup_256}}\n");
  const auto& c = load_portfolio({t.root(), {}, {}}).writeups.front().citations.at(0);
  CHECK(c.status == CitationStatus::missing);
  CHECK_THAT(c.message, Catch::Contains("failed"));
}

TEST_CASE("a corrupt measurement file is a problem on the page, never an exception", "[citation]") {
  StudentTree t;
  t.write("portfolio/measurements/m16.json", "{\"schema\": \"tt-portfolio-measurement/1\", \"module\": ");
  t.write("portfolio/measurements/m20.json", R"({"schema": "something-else"})");
  t.write("portfolio/16.md", "{{m16.kv_speedup_256}}\n");
  Portfolio p;
  REQUIRE_NOTHROW(p = load_portfolio({t.root(), {}, {}}));
  REQUIRE(p.measurements.problems.size() == 2);
  CHECK_THAT(p.measurements.problems[0] + p.measurements.problems[1],
             Catch::Contains("not valid JSON") && Catch::Contains("schema"));
  CHECK(p.writeups.front().citations.at(0).status == CitationStatus::missing);
}

TEST_CASE("metrics with null units, targets or details are read, not thrown on", "[citation]") {
  StudentTree t;
  t.measure("16", {{{"name", "x"}, {"value", 2.0}, {"unit", nullptr}, {"target", nullptr}, {"detail", nullptr}},
                   {{"name", "y"}, {"value", nullptr}}});
  t.write("portfolio/16.md", "{{m16.x}} {{m16.y}}\n");
  const auto p = load_portfolio({t.root(), {}, {}});
  CHECK(p.writeups.front().citations.at(0).status == CitationStatus::verified);
  CHECK(p.writeups.front().citations.at(1).status == CitationStatus::unknown);
}

TEST_CASE("measurement_from_json rejects a wrong shape with a typed error", "[citation]") {
  CHECK_THROWS_AS(measurement_from_json(nlohmann::json::array(), "x.json"), portfolio_error);
  try {
    measurement_from_json({{"schema", kMeasurementSchema}, {"module", "16"}}, "x.json");
    FAIL("no throw");
  } catch (const portfolio_error& e) {
    CHECK(e.kind() == ErrorKind::bad_measurement);
    CHECK_THAT(std::string(e.what()), Catch::Contains("x.json") && Catch::Contains("./scripts/portfolio measure"));
  }
}
