// similarity.json: the settings, what was compared, the ranked pairs with their shares and line
// ranges per file, and the problems; and the writer of both files.
// Not the page: similarity_html.cpp.
#include "tt/grade/similarity_report.hpp"

#include "tt/grade/file_io.hpp"
#include "tt/grade/report.hpp"

namespace tt::grade {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

json span(const LineSpan& s) { return json::array({s.first, s.last}); }

json file_json(const FileSimilarity& f) {
  json runs = json::array();
  for (const auto& r : f.runs)
    runs.push_back({{"a", span(r.a)},
                    {"b", span(r.b)},
                    {"tokens", r.tokens},
                    {"own_lines_a", r.own_lines_a},
                    {"own_lines_b", r.own_lines_b}});
  return {{"module", f.module},
          {"file", f.file},
          {"flagged", f.flagged},
          {"share_a", f.share_a},
          {"share_b", f.share_b},
          {"own_lines_a", f.own_lines_a},
          {"own_lines_b", f.own_lines_b},
          {"shared_lines_a", f.shared_lines_a},
          {"shared_lines_b", f.shared_lines_b},
          {"matches", runs}};
}

}  // namespace

json similarity_json(const SimilarityReport& r) {
  json ctx = grading_context();
  ctx["date"] = r.started_at;
  ctx["seconds"] = r.seconds;
  ctx["sandbox"] = r.sandbox;
  ctx["tool"] = r.settings.tool + " (Debian package similarity-tester)";
  json against = json::array();
  for (const auto& a : r.settings.against) against.push_back(a.string());
  json pairs = json::array();
  int rank = 0;
  for (const auto& p : r.pairs) {
    json files = json::array();
    for (const auto& f : p.files) files.push_back(file_json(f));
    pairs.push_back({{"rank", ++rank},
                     {"a", p.a},
                     {"b", p.b},
                     {"b_kind", to_string(p.b_kind)},
                     {"flagged", p.flagged},
                     {"top_share", p.top_share},
                     {"shared_lines", p.shared_lines},
                     {"files", files}});
  }
  json problems = json::array();
  for (const auto& p : r.problems)
    problems.push_back({{"source", p.source}, {"module", p.module}, {"file", p.file}, {"problem", p.problem}});
  return {{"schema", kSimilaritySchema},
          {"notice", kSimilarityNotice},
          {"context", ctx},
          {"settings",
           {{"threshold", r.settings.threshold},
            {"min_lines", r.settings.min_lines},
            {"min_run_tokens", r.settings.min_run},
            {"against", against},
            {"stub_subtracted",
             "lines whose code is a line of the stub, or that the tool matched to the stub, are not the "
             "student's own code: shares are of own code, and a match counts only with a minimum run of own "
             "tokens on both sides"}}},
          {"submissions", r.submissions},
          {"earlier_submissions", r.earlier_submissions},
          {"files_compared", r.files_compared},
          {"pairs_compared", r.pairs_compared},
          {"flagged_pairs", r.flagged_pairs()},
          {"pairs", pairs},
          {"problems", problems}};
}

std::vector<fs::path> write_similarity_reports(const SimilarityReport& r, const fs::path& out) {
  fs::create_directories(out);
  write_file_atomically(out / "similarity.json",
                        similarity_json(r).dump(2, ' ', false, json::error_handler_t::replace) + "\n");
  write_file_atomically(out / "similarity.html", similarity_html(r));
  return {out / "similarity.json", out / "similarity.html"};
}

}  // namespace tt::grade
