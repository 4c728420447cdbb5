// Tests of the writing on Gradescope: results.json's zero-point portfolio entries
// (portfolio_results.cpp) and the package's manual-grading questions (package_manual.cpp).
// Not the portfolio section itself (portfolio/tests/grader_section_test.cpp).
#include <catch2/catch.hpp>

#include <archive.h>
#include <archive_entry.h>

#include <fstream>
#include <map>
#include <memory>

#include "e2e_fixture.hpp"
#include "tt/grade/file_io.hpp"
#include "tt/grade/package.hpp"
#include "tt/grade/portfolio_section.hpp"
#include "tt/grade/report.hpp"
#include "tt/grade/temp_dir.hpp"

using namespace tt::grade;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const fs::path kRealCourse = TT_COURSE_ROOT;  // its modules' module.json and portfolio/rubric.json

// A grade of `submission` with nothing but its portfolio read, as grade_submission reads it.
GradeRecord graded_portfolio(const fs::path& submission) {
  GradeRecord g;
  g.status = GradeStatus::graded;
  g.score = 7;
  g.max_score = 10;
  PortfolioRead r = read_portfolio(submission, kRealCourse);
  g.portfolio = r.section;
  g.portfolio_posts = r.posts;
  return g;
}

json portfolio_entries(const json& results) {
  json out = json::array();
  for (const auto& t : results["tests"])
    if (t["name"].get<std::string>().rfind("Portfolio", 0) == 0) out.push_back(t);
  return out;
}

std::size_t occurrences(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (auto p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}

json course_rubric_items() { return json::parse(read_file(kRealCourse / "portfolio" / "rubric.json"))["items"]; }

std::map<std::string, std::string> zip_contents(const fs::path& zip) {
  std::unique_ptr<archive, decltype(&archive_read_free)> a(archive_read_new(), archive_read_free);
  archive_read_support_format_zip(a.get());
  REQUIRE(archive_read_open_filename(a.get(), zip.c_str(), 1 << 16) == ARCHIVE_OK);
  std::map<std::string, std::string> files;
  archive_entry* e = nullptr;
  while (archive_read_next_header(a.get(), &e) == ARCHIVE_OK) {
    std::string data(static_cast<std::size_t>(archive_entry_size(e)), '\0');
    archive_read_data(a.get(), data.data(), data.size());
    files[archive_entry_pathname(e)] = data;
  }
  return files;
}

}  // namespace

TEST_CASE("results.json shows each write-up as the grader rendered it, worth 0 points, then the rubric",
          "[portfolio]") {
  TempDir t("tt-portfolio-results");
  e2e::write(t.path() / "portfolio/16.md",
             "# Paged KV cache\n\nFaster by {{m16.kv_speedup_256}} at 256 tokens.\n\n"
             "<script>alert('x')</script>\n\nA <b onclick=\"steal()\">bold</b> claim.\n");
  e2e::write(t.path() / "portfolio/site/16.html", "<html><body>STUDENT-RENDERED</body></html>");
  const GradeRecord g = graded_portfolio(t.path());
  const json results = gradescope_results(g);
  const json entries = portfolio_entries(results);
  REQUIRE(entries.size() == 2);  // 16.md, then the rubric

  const json& post = entries[0];
  CHECK_THAT(post["name"].get<std::string>(), Catch::Contains("portfolio/16.md"));
  CHECK(post["score"] == 0);
  CHECK(post["max_score"] == 0);
  CHECK(post["output_format"] == "html");
  const std::string html = post["output"];
  CHECK_THAT(html, Catch::Contains("<h1>Paged KV cache</h1>") && Catch::Contains("m16.kv_speedup_256") &&
                       Catch::Contains("missing") && Catch::Contains("embedded HTML removed") &&
                       Catch::Contains(std::to_string(g.portfolio["writeups"][0]["words"].get<int>()) + " words"));
  // Nothing the student wrote as markup survives, and the student's own rendering is not used.
  CHECK_THAT(html, !Catch::Contains("<script") && !Catch::Contains("alert(") && !Catch::Contains("onclick") &&
                       !Catch::Contains("STUDENT-RENDERED"));

  const json& rubric = entries[1];
  CHECK(rubric["max_score"] == 0);
  CHECK(rubric["output_format"] == "html");
  for (const auto& item : course_rubric_items())
    CHECK_THAT(rubric["output"].get<std::string>(),
               Catch::Contains(item["id"].get<std::string>() + "</strong> (" + item["points"].dump() + " points)"));
  CHECK_THAT(rubric["output"].get<std::string>(), Catch::Contains("portfolio/17.md"));  // not submitted

  CHECK(results["score"] == 7);  // the writing changes no score
  // Only keys Gradescope's schema knows (grader/tests/platform/gradescope-results.schema.json).
  const json schema = json::parse(read_file(kRealCourse / "grader/tests/platform/gradescope-results.schema.json"));
  for (const auto& e : entries)
    for (const auto& [key, value] : e.items())
      CHECK(schema["properties"]["tests"]["items"]["properties"].contains(key));
}

TEST_CASE("a long post is cut between blocks in results.json, stays well-formed and says so", "[portfolio]") {
  TempDir t("tt-portfolio-results");
  std::string md = "# Long\n\n";
  for (int i = 0; i < 1500; ++i) md += "Paragraph " + std::to_string(i) + " says *something*.\n\n- item\n- item\n\n";
  for (int i = 0; i < 500; ++i) md += "{{m16.kv_speedup_256}} <i>x</i>\n";  // 500 citations, 500 flags
  e2e::write(t.path() / "portfolio/16.md", md);
  const json post = portfolio_entries(gradescope_results(graded_portfolio(t.path())))[0];
  const std::string html = post["output"];
  CHECK(html.size() < std::size_t{48} * 1024);
  CHECK_THAT(html,
             Catch::Contains("[Cut here") && !Catch::Contains("Paragraph 1499") && Catch::Contains("and 460 more"));
  for (const char* tag : {"p", "ul", "li", "em"})
    CHECK(occurrences(html, "<" + std::string(tag) + ">") == occurrences(html, "</" + std::string(tag) + ">"));
}

TEST_CASE("a submission without a portfolio adds nothing to results.json; a refused one says why", "[portfolio]") {
  TempDir t("tt-portfolio-results");
  e2e::write(t.path() / "modules/16_memory/src/kv_cache.cpp", "// code only\n");
  CHECK(portfolio_entries(gradescope_results(graded_portfolio(t.path()))).empty());
  CHECK(portfolio_entries(gradescope_results(GradeRecord{})).empty());

  e2e::write(t.path() / "secret.txt", "host text");
  fs::create_directories(t.path() / "portfolio");
  fs::create_symlink(t.path() / "secret.txt", t.path() / "portfolio/16.md");
  const json entries = portfolio_entries(gradescope_results(graded_portfolio(t.path())));
  REQUIRE(entries.size() == 1);
  CHECK(entries[0]["max_score"] == 0);
  CHECK_THAT(entries[0]["output"].get<std::string>(), Catch::Contains("is a link") && !Catch::Contains("host text"));
}

TEST_CASE("the Gradescope package holds the portfolio rubric as manual-grading questions with their points",
          "[portfolio]") {
  TempDir t("tt-package-manual");
  GradescopePackage p;
  p.course_root = kRealCourse;
  p.module = "16";
  p.out_zip = t.path() / "m16-autograder.zip";
  write_gradescope_package(p, {"16"}, {});
  const auto files = zip_contents(p.out_zip);

  REQUIRE(files.count("manual-grading.json"));
  const json questions = json::parse(files.at("manual-grading.json"));
  const json items = course_rubric_items();
  REQUIRE(questions["questions"].size() == items.size());
  double total = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    CHECK(questions["questions"][i]["id"] == items[i]["id"]);
    CHECK(questions["questions"][i]["points"] == items[i]["points"]);
    total += items[i]["points"].get<double>();
  }
  CHECK(questions["total_points"] == total);

  REQUIRE(files.count("manual-grading.md"));
  const std::string md = files.at("manual-grading.md");
  for (const auto& item : items)
    CHECK_THAT(md, Catch::Contains("| " + item["id"].get<std::string>() + " | " + item["points"].dump() + " |"));
  CHECK_THAT(md, Catch::Contains("Edit Outline") && Catch::Contains("cannot"));
  CHECK(read_file(manual_grading_beside(p.out_zip)) == md);  // readable without unpacking

  // tt-grade links the portfolio library: the image's build needs its sources and the rubric.
  CHECK(files.count("course/portfolio/CMakeLists.txt"));
  CHECK(files.count("course/portfolio/src/markdown.cpp"));
  CHECK(files.count("course/portfolio/rubric.json"));
  for (const auto& [path, data] : files) {
    CHECK_FALSE(path.rfind("course/portfolio/tests/", 0) == 0);
    CHECK_FALSE(path.rfind("course/solutions/", 0) == 0);
  }
}

TEST_CASE("a course without a rubric has no manual-grading questions; a malformed rubric stops the package",
          "[portfolio]") {
  TempDir t("tt-package-manual");
  GradescopePackage p;
  p.course_root = t.path();
  p.module = "16";
  CHECK_FALSE(manual_grading(p).has_value());
  e2e::write(t.path() / "portfolio/rubric.json", R"({"items": [{"id": "P1", "title": "Explains"}]})");
  CHECK_THROWS_WITH(manual_grading(p), Catch::Contains("rubric.json") && Catch::Contains("points"));
}
