// The rendered site: pages, badges, charts with confidence intervals, and nothing fetched off the machine.
#include "tt/portfolio/site.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <regex>

#include "student_tree.hpp"
#include "tt/portfolio/svg_chart.hpp"

using namespace tt::portfolio;
using tt::portfolio::testing::StudentTree;
namespace fs = std::filesystem;

namespace {

void write_fixture_writeups(const StudentTree& t) {
  t.write("portfolio/16.md",
          "# My KV cache\n\nGeneration got {{m16.kv_speedup_256}} faster. kv_speedup_256 was 200 in my notes.\n\n"
          "<script>alert('x')</script>\n\n![chart](https://cdn.example.com/c.png) "
          "[vLLM](https://github.com/vllm-project/vllm)\n");
  t.write("portfolio/case-study.md", "# Paged attention\n\nvLLM pages its KV cache.\n");
}

}  // namespace

TEST_CASE("render_site writes an index, one page per write-up and a measurements page", "[site]") {
  StudentTree t;
  write_fixture_writeups(t);
  const auto r = render_site(load_portfolio({t.root(), {}, {}}), t.root() / "portfolio/site");
  CHECK(r.pages.size() == 4);  // index, measurements, 16, case-study
  CHECK(r.verified == 1);
  CHECK(r.flagged >= 3);  // the contradiction, the script, the remote image
  const std::string index = t.read("portfolio/site/index.html");
  CHECK_THAT(index, Catch::Contains("href=\"16.html\"") && Catch::Contains("not written: portfolio/20.md"));
  const std::string post = t.read("portfolio/site/16.html");
  CHECK_THAT(post, Catch::Contains("✓ verified") && Catch::Contains("contradicts a measurement") &&
                       Catch::Contains("class=\"warnings\"") && !Catch::Contains("<script"));
}

TEST_CASE("every page is self-contained: no script, no resource from another host", "[site]") {
  StudentTree t;
  write_fixture_writeups(t);
  const auto r = render_site(load_portfolio({t.root(), {}, {}}), t.root() / "portfolio/site");
  // src= anywhere, and href= outside <a> (stylesheets, icons), must stay on the machine.
  const std::regex remote_src(R"re(\bsrc\s*=\s*["']?\s*(https?:|//))re", std::regex::icase);
  const std::regex remote_link(R"re(<link[^>]*href\s*=\s*["']?\s*(https?:|//))re", std::regex::icase);
  for (const auto& p : r.pages) {
    std::ifstream in(p);
    const std::string html((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    INFO(p.string());
    CHECK_FALSE(std::regex_search(html, remote_src));
    CHECK_FALSE(std::regex_search(html, remote_link));
    CHECK_THAT(
        html, !Catch::Contains("<script") && !Catch::Contains("@import") && Catch::Contains("Content-Security-Policy"));
  }
}

TEST_CASE("the measurements page has SVG charts with confidence-interval whiskers", "[site]") {
  StudentTree t;
  render_site(load_portfolio({t.root(), {}, {}}), t.root() / "portfolio/site");
  const std::string html = t.read("portfolio/site/measurements.html");
  CHECK_THAT(html, Catch::Contains("<svg class=\"chart\"") && Catch::Contains("class=\"ci\"") &&
                       Catch::Contains("gen_speedup: speedup over the baseline") && Catch::Contains("✓ verified"));
}

TEST_CASE("render_svg draws one bar per value and a whisker only where an interval is known", "[site]") {
  BarChart c{"t <&>", "ratio", {{"a", 1.0, 0.9, 1.1}, {"b", 2.0, std::nullopt, std::nullopt}}, 1.0};
  const std::string svg = render_svg(c);
  std::size_t bars = 0, whiskers = 0;
  for (std::size_t p = 0; (p = svg.find("class=\"bar\"", p)) != std::string::npos; ++p) ++bars;
  for (std::size_t p = 0; (p = svg.find("class=\"ci\"", p)) != std::string::npos; ++p) ++whiskers;
  CHECK(bars == 2);
  CHECK(whiskers == 1);
  CHECK_THAT(svg, Catch::Contains("t &lt;&amp;&gt;") && Catch::Contains("class=\"reference\""));
}
