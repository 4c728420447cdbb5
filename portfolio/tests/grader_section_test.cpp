// The grader's side: the `portfolio` section of report.json and the batch showcase.
#include "tt/grade/portfolio_section.hpp"

#include <catch2/catch.hpp>

#include <fstream>

#include "student_tree.hpp"
#include "tt/grade/report.hpp"

using nlohmann::json;
using tt::portfolio::testing::StudentTree;
namespace fs = std::filesystem;

TEST_CASE("grade_portfolio_section reads the submission's portfolio against the course's modules", "[grader]") {
  StudentTree t;
  t.write("portfolio/16.md", "# KV\n\nFaster by {{m16.kv_speedup_256}}; kv_speedup_256 is 12.\n");
  t.write("portfolio/rubric.json", R"({"items": [{"id": "P1", "title": "Explains", "points": 4}]})");
  const json j = tt::grade::grade_portfolio_section(t.root(), t.root());
  CHECK(j["status"] == "read");
  CHECK(j["citations"]["verified"] == 1);
  CHECK(j["writeups"][0]["contradictions"].size() == 1);
  CHECK(j["rubric"].size() == 1);
  CHECK(tt::grade::grade_portfolio_section(t.root() / "modules", t.root())["status"] == "none");
}

TEST_CASE("a portfolio holding a link or an oversized file is refused, not read", "[grader]") {
  StudentTree t;
  t.write("portfolio/16.md", "# KV\n");
  t.write("secret.txt", "host text");
  fs::create_symlink(t.root() / "secret.txt", t.root() / "portfolio" / "19.md");
  json j = tt::grade::grade_portfolio_section(t.root(), t.root());
  CHECK(j["status"] == "refused");
  CHECK(j["error"].get<std::string>().find("19.md is a link") != std::string::npos);
  CHECK(j.dump().find("host text") == std::string::npos);

  fs::remove(t.root() / "portfolio" / "19.md");
  t.write("portfolio/18.md", std::string((1 << 20) + 1, 'x'));
  j = tt::grade::grade_portfolio_section(t.root(), t.root());
  CHECK(j["status"] == "refused");
  CHECK(j["error"].get<std::string>().find("larger than 1 MiB") != std::string::npos);
}

TEST_CASE("the native report carries the portfolio section and its score is unchanged", "[grader]") {
  tt::grade::GradeRecord g;
  g.score = 12;
  g.max_score = 20;
  g.portfolio = {{"status", "read"}, {"citations", {{"verified", 3}}}};
  const json j = tt::grade::native_report(g);
  CHECK(j["portfolio"]["citations"]["verified"] == 3);
  CHECK(j["score"] == 12);
  CHECK(tt::grade::native_report(tt::grade::GradeRecord{})["portfolio"]["status"] != "read");
}

TEST_CASE("the batch showcase lists only opted-in students and renders their sites under numbered folders",
          "[grader]") {
  StudentTree alice, bob;
  alice.write("portfolio/consent", "public\npseudonym: Student A\n");
  alice.write("portfolio/16.md", "# A\n{{m16.kv_speedup_256}}\n");
  bob.write("portfolio/16.md", "# B\n");
  const fs::path out = alice.root() / "batch-out";
  for (const auto& [name, tree] : {std::pair{"alice", &alice}, std::pair{"bob", &bob}}) {
    fs::create_directories(out / name);
    std::ofstream(out / name / "report.json")
        << json{{"portfolio", tt::grade::grade_portfolio_section(tree->root(), tree->root())}}.dump();
  }
  const std::string note =
      tt::grade::write_batch_showcase(out, alice.root(), {{"alice", alice.root()}, {"bob", bob.root()}});
  CHECK_THAT(note, Catch::Contains("1 student(s)"));
  const std::string html = alice.read("batch-out/showcase/index.html");
  CHECK_THAT(html, Catch::Contains("Student A") && Catch::Contains("site-1/index.html") && !Catch::Contains("bob") &&
                       !Catch::Contains("alice"));
  CHECK(fs::exists(out / "showcase/site-1/16.html"));
}

TEST_CASE("a grade renders the student's site beside report.json and removes a stale one", "[grader]") {
  StudentTree t;
  t.write("portfolio/16.md", "# KV cache\n\n{{m16.kv_speedup_256}}\n");
  tt::grade::PortfolioRead r = tt::grade::read_portfolio(t.root(), t.root());
  CHECK(r.section["site"] == "portfolio-site/index.html");
  std::vector<std::string> names;
  for (const auto& f : r.site) names.push_back(f.name);
  CHECK_THAT(names, Catch::VectorContains(std::string("index.html")) && Catch::VectorContains(std::string("16.html")));

  tt::grade::GradeRecord g;
  g.portfolio = r.section;
  g.portfolio_site = r.site;
  const fs::path out = t.root() / "out";
  fs::create_directories(out / "portfolio-site");
  std::ofstream(out / "portfolio-site" / "old.html") << "from an earlier grade";
  tt::grade::write_reports(g, out, {"json"});
  CHECK_THAT(t.read("out/portfolio-site/16.html"), Catch::Contains("KV cache"));
  CHECK_FALSE(fs::exists(out / "portfolio-site" / "old.html"));

  g.portfolio_site.clear();  // a later grade without a portfolio leaves no site behind
  tt::grade::write_reports(g, out, {"json"});
  CHECK_FALSE(fs::exists(out / "portfolio-site"));
  CHECK(tt::grade::read_portfolio(t.root() / "modules", t.root()).site.empty());
}
