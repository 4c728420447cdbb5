// similarity.html: one offline page (inline CSS and a few lines of script, nothing fetched) with the
// notice that similarity is evidence, the problems, the pairs ranked, and for each listed pair the
// matching regions side by side, the stub's given lines greyed.
// Not the JSON (similarity_report.cpp); every name and every line of student text is escaped.
#include <cmath>
#include <cstdio>

#include "tt/grade/html.hpp"
#include "tt/grade/similarity_report.hpp"

namespace tt::grade {

namespace {

constexpr std::size_t kMaxPairsShown = 200;  // the rest are in similarity.json

constexpr const char* kStyle =
    "body{font-family:system-ui,sans-serif;margin:2em;max-width:110em}"
    ".notice{border-left:6px solid #c60;background:#fff4e5;padding:.6em 1em;font-weight:600}"
    "table.pairs{border-collapse:collapse}table.pairs td,table.pairs th{border:1px solid #ccc;padding:3px 8px}"
    "tr.flagged td{background:#fde8e8}td.num{text-align:right}"
    "section{border-top:2px solid #999;margin-top:1.5em}summary{cursor:pointer;margin:.4em 0}"
    ".flag{color:#a00;font-weight:bold}.run{margin:.6em 0 1em}.hdr{font-size:90%;color:#444}"
    "table.sbs{width:100%;table-layout:fixed;border-collapse:collapse}table.sbs td{vertical-align:top;"
    "border:1px solid #ddd;width:50%}pre{margin:0;font-size:12px;overflow-x:auto}"
    ".ln{color:#999;display:inline-block;width:4em;user-select:none}.shared{background:#fff2a8}"
    ".given{color:#aaa}";

constexpr const char* kScript =
    "document.getElementById('filter').addEventListener('input',function(e){var q=e.target.value.toLowerCase();"
    "document.querySelectorAll('table.pairs tr[data-names]').forEach(function(r){"
    "r.hidden=q!==''&&r.getAttribute('data-names').indexOf(q)<0;});});";

std::string percent(double share) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.0f%%", share * 100);
  return buf;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string who(const PairSimilarity& p) {
  switch (p.b_kind) {
    case SourceKind::reference:
      return html_escape(p.a) + " ↔ <em>the reference solution</em>";
    case SourceKind::earlier:
      return html_escape(p.a) + " ↔ " + html_escape(p.b) + " <em>(earlier term)</em>";
    case SourceKind::submission:
      break;
  }
  return html_escape(p.a) + " ↔ " + html_escape(p.b);
}

// Lines first..last of a file, numbered; own lines inside the run highlighted, given lines greyed.
std::string excerpt(const SourceView& v, const LineSpan& s) {
  std::string out = "<pre>";
  for (int line = s.first; line <= s.last && line <= static_cast<int>(v.lines.size()); ++line) {
    const bool own = v.own[line - 1];
    out += "<span class=\"ln\">" + std::to_string(line) + "</span><span class=\"" + (own ? "shared" : "given") + "\">" +
           html_escape(v.lines[line - 1]) + "</span>\n";
  }
  return out + "</pre>";
}

std::string file_section(const PairSimilarity& p, const FileSimilarity& f) {
  std::string h = std::string("<details") + (f.flagged ? " open" : "") + "><summary>" +
                  (f.flagged ? "<span class=\"flag\">flagged</span> · " : "") + "module " + html_escape(f.module) +
                  " · <code>" + html_escape(f.file) + "</code> — " + html_escape(p.a) + ": " + percent(f.share_a) +
                  " of " + std::to_string(f.own_lines_a) + " own lines shared (" + std::to_string(f.shared_lines_a) +
                  "); " + html_escape(p.b) + ": " + percent(f.share_b) + " of " + std::to_string(f.own_lines_b) + " (" +
                  std::to_string(f.shared_lines_b) + ")</summary>\n";
  for (const auto& r : f.runs) {
    h += "<div class=\"run\"><div class=\"hdr\">" + html_escape(p.a) + " lines " + std::to_string(r.a.first) + "–" +
         std::to_string(r.a.last) + " ↔ " + html_escape(p.b) + " lines " + std::to_string(r.b.first) + "–" +
         std::to_string(r.b.last) + " (a run of " + std::to_string(r.tokens) +
         " tokens)</div>\n<table class=\"sbs\"><tr><td>" + excerpt(*f.view_a, r.a) + "</td><td>" +
         excerpt(*f.view_b, r.b) + "</td></tr></table></div>\n";
  }
  return h + "</details>\n";
}

}  // namespace

std::string similarity_html(const SimilarityReport& r) {
  const auto& s = r.settings;
  std::string h = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Similarity report</title>\n";
  h += std::string("<style>") + kStyle + "</style></head><body>\n<h1>Similarity across the class</h1>\n";
  h += "<p class=\"notice\">" + html_escape(kSimilarityNotice) + "</p>\n";
  h += "<p>" + std::to_string(r.submissions.size()) + " submissions" +
       (r.earlier_submissions ? ", " + std::to_string(r.earlier_submissions) + " from earlier terms" : "") + "; " +
       std::to_string(r.files_compared) + " student files compared (" + std::to_string(r.pairs_compared) +
       " file pairs) by <code>" + html_escape(s.tool) + "</code> on " + html_escape(r.started_at) + " in " +
       std::to_string(std::lround(r.seconds)) + " s. <strong>" + std::to_string(r.flagged_pairs()) +
       " pairs flagged.</strong></p>\n";
  h += "<p>How to read it: the code the stub gave everybody is subtracted first; a share is the part of a file's "
       "own code (not blank, not a comment, not given by the stub) that a run of at least " +
       std::to_string(s.min_run) +
       " tokens matches in the other file (identifiers, numbers and strings count as equal, layout and comments "
       "are ignored). A file is flagged at " +
       percent(s.threshold) + " of either side's own code and at least " + std::to_string(s.min_lines) +
       " shared own lines on both sides; pairs at half those thresholds are listed, not flagged. Highlighted "
       "lines are shared own code; grey lines do not count (given by the stub, or only braces). Sandbox: " +
       html_escape(r.sandbox.empty() ? "none (nothing ran)" : r.sandbox) + ".</p>\n";

  if (!r.problems.empty()) {
    h += "<h2>Not compared</h2>\n<ul>\n";
    for (const auto& p : r.problems) {
      std::string where = p.source;
      if (!p.module.empty()) where += (where.empty() ? "" : ", ") + std::string("module ") + p.module;
      if (!p.file.empty()) where += " " + p.file;
      h += "<li>" + (where.empty() ? "" : "<strong>" + html_escape(where) + "</strong>: ") + html_escape(p.problem) +
           "</li>\n";
    }
    h += "</ul>\n";
  }

  h += "<h2>Pairs, ranked</h2>\n";
  if (r.pairs.empty()) h += "<p>No pair shares enough own code to be listed.</p>\n";
  const std::size_t shown = std::min(r.pairs.size(), kMaxPairsShown);
  if (!r.pairs.empty()) {
    h += "<p><input id=\"filter\" placeholder=\"filter by name\"></p>\n<table class=\"pairs\"><tr><th>#</th>"
         "<th>Pair</th><th>Flagged files</th><th>Top share</th><th>Shared own lines</th></tr>\n";
    for (std::size_t i = 0; i < shown; ++i) {
      const auto& p = r.pairs[i];
      std::string files;
      for (const auto& f : p.files)
        if (f.flagged) files += (files.empty() ? "" : ", ") + html_escape(f.module + "/" + f.file);
      h += std::string("<tr") + (p.flagged ? " class=\"flagged\"" : "") + " data-names=\"" +
           html_escape(lower(p.a + " " + p.b)) + "\"><td class=\"num\">" + std::to_string(i + 1) +
           "</td><td><a href=\"#p" + std::to_string(i + 1) + "\">" + who(p) + "</a></td><td>" +
           (files.empty() ? "— (listed, not flagged)" : files) + "</td><td class=\"num\">" + percent(p.top_share) +
           "</td><td class=\"num\">" + std::to_string(p.shared_lines) + "</td></tr>\n";
    }
    h += "</table>\n";
    if (shown < r.pairs.size())
      h += "<p>" + std::to_string(r.pairs.size() - shown) + " more listed pairs are in similarity.json.</p>\n";
  }
  for (std::size_t i = 0; i < shown; ++i) {
    const auto& p = r.pairs[i];
    h += "<section id=\"p" + std::to_string(i + 1) + "\"><h3>#" + std::to_string(i + 1) + " " + who(p) + "</h3>\n";
    for (const auto& f : p.files) h += file_section(p, f);
    h += "</section>\n";
  }
  h += std::string("<script>") + (r.pairs.empty() ? "" : kScript) + "</script>\n</body></html>\n";
  return h;
}

}  // namespace tt::grade
