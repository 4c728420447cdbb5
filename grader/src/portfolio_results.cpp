// Gradescope's view of the writing: zero-point entries of results.json with each write-up as the
// grader rendered it (output_format "html"), its words and citations, and the rubric to grade by
// hand. Not a score (max_score 0) and not the manual grading itself: an autograder cannot create
// Gradescope's rubric questions; the package's manual-grading.md says how to make them.
#include <string>

#include "tt/grade/report.hpp"
#include "tt/portfolio/markdown.hpp"

namespace tt::grade {
using nlohmann::json;
using tt::portfolio::escape_html;

namespace {

// A post's HTML in results.json: Gradescope reads the whole file for every submission, so each post is capped.
constexpr std::size_t kPostHtmlInResults = std::size_t{32} * 1024;
// Citations and flags listed per post (a post can cite thousands of times within its 1 MiB).
constexpr std::size_t kRowsInResults = 40;

// The longest prefix of cmark's HTML, at most `limit` bytes, that ends between top-level blocks, so
// a cut post stays well-formed. cmark in safe mode emits only its own tags (text is escaped, void
// elements end in "/>", removed HTML becomes a comment), so counting open and close tags is exact.
std::size_t post_cut(const std::string& html, std::size_t limit) {
  std::size_t depth = 0, cut = 0;
  for (std::size_t i = 0; i < html.size() && i <= limit; ++i) {
    if (depth == 0) cut = i;
    if (html[i] != '<') continue;
    std::size_t end;
    if (html.compare(i, 4, "<!--") == 0) {  // a comment opens and closes nothing
      if ((end = html.find("-->", i)) == std::string::npos) break;
      end += 2;
    } else {
      if ((end = html.find('>', i)) == std::string::npos) break;
      if (html[i + 1] == '/')
        depth -= depth > 0;
      else if (html[end - 1] != '/')
        ++depth;
    }
    i = end;
  }
  return html.size() <= limit ? html.size() : cut;
}

// A titled list of at most kRowsInResults rows (already HTML), then how many were left out.
std::string row_list(const std::string& title, const std::vector<std::string>& rows) {
  if (rows.empty()) return {};
  std::string h = "<p>" + title + ":</p>\n<ul>\n";
  for (std::size_t i = 0; i < rows.size() && i < kRowsInResults; ++i) h += "<li>" + rows[i] + "</li>\n";
  if (rows.size() > kRowsInResults)
    h += "<li>… and " + std::to_string(rows.size() - kRowsInResults) +
         " more (report.json's portfolio section lists them all)</li>\n";
  return h + "</ul>\n";
}

std::string writeup_header(const json& w) {
  std::vector<std::string> cites, flags;
  for (const auto& c : w.value("citations", json::array()))
    cites.push_back("<code>" + escape_html(c.value("name", "")) + "</code> = " + escape_html(c.value("value", "")) +
                    ": <strong>" + escape_html(c.value("status", "")) + "</strong> (line " +
                    std::to_string(c.value("line", 0)) + ")");
  for (const auto& c : w.value("contradictions", json::array()))
    flags.push_back(escape_html("line " + std::to_string(c.value("line", 0)) + ": a typed " + c.value("typed", "") +
                                " contradicts the measured " + c.value("metric", "") + " (" +
                                c.value("measured", json(0)).dump() + ")"));
  for (const auto& x : w.value("warnings", json::array())) flags.push_back(escape_html(x.get<std::string>()));
  return "<p><strong>" + escape_html(w.value("file", "")) + "</strong> · " + std::to_string(w.value("words", 0)) +
         " words (prompts, headings, code and citations not counted)</p>\n" + row_list("Cited measurements", cites) +
         row_list("Flags", flags) + "<hr />\n";
}

json writeup_entry(const json& w, const PortfolioPost* post) {
  std::string out = writeup_header(w);
  if (!post) {
    out += "<p><em>This write-up was not rendered.</em></p>\n";
  } else {
    const std::size_t n = post_cut(post->html, kPostHtmlInResults);
    out += post->html.substr(0, n);
    if (n < post->html.size())
      out += "<p><em>[Cut here: the post's HTML is " + std::to_string(post->html.size() / 1024) +
             " KiB, results.json shows its first " + std::to_string(kPostHtmlInResults / 1024) +
             " KiB. The whole post is the submission's " + escape_html(post->file) + ".]</em></p>\n";
  }
  const std::string title = post ? post->title : w.value("file", "");
  return {{"name", "Portfolio · " + title + " (" + w.value("file", "") + ")"},
          {"score", 0},
          {"max_score", 0},
          {"output", out},
          {"output_format", "html"},
          {"visibility", "visible"}};
}

json rubric_entry(const json& section) {
  std::string out =
      "<p>Graded by hand, not by the autograder: each item is a manual-grading question of this assignment "
      "(the package's manual-grading.md lists them with their points).</p>\n<ul>\n";
  for (const auto& r : section.value("rubric", json::array()))
    out += "<li><strong>" + escape_html(r.value("id", "")) + "</strong> (" + r.value("points", json(0)).dump() +
           " points): " + escape_html(r.value("title", "")) + "</li>\n";
  out += "</ul>\n";
  std::string missing;
  for (const auto& w : section.value("writeups", json::array()))
    if (!w.value("exists", false)) missing += (missing.empty() ? "" : ", ") + escape_html(w.value("file", ""));
  if (!missing.empty()) out += "<p>Write-ups not submitted: " + missing + ".</p>\n";
  const json t = section.value("citations", json::object());
  out += "<p>Citations: " + std::to_string(t.value("verified", 0)) + " verified, " +
         std::to_string(t.value("stale", 0)) + " stale, " + std::to_string(t.value("missing", 0)) + " missing, " +
         std::to_string(t.value("unknown", 0) + t.value("malformed", 0)) + " unknown or malformed.</p>\n";
  return {{"name", "Portfolio · rubric for manual grading"},
          {"score", 0},
          {"max_score", 0},
          {"output", out},
          {"output_format", "html"},
          {"visibility", "visible"}};
}

}  // namespace

json gradescope_portfolio_tests(const json& section, const std::vector<PortfolioPost>& posts) {
  json tests = json::array();
  const std::string status = section.is_object() ? section.value("status", "") : "";
  if (status == "refused" || status == "error") {
    tests.push_back({{"name", "Portfolio · not read"},
                     {"score", 0},
                     {"max_score", 0},
                     {"output", "The portfolio/ folder was not read: " + section.value("error", "") +
                                    "\nThe code's grade is unaffected."},
                     {"visibility", "visible"}});
    return tests;
  }
  if (status != "read") return tests;  // no portfolio/ folder: nothing to show
  for (const auto& w : section.value("writeups", json::array())) {
    if (!w.value("exists", false)) continue;
    const std::string file = w.value("file", "");
    const PortfolioPost* post = nullptr;
    for (const auto& p : posts)
      if (p.file == file) post = &p;
    tests.push_back(writeup_entry(w, post));
  }
  tests.push_back(rubric_entry(section));
  return tests;
}

}  // namespace tt::grade
