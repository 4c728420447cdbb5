// The portfolio's static pages: index, write-ups, measurements with charts.
// Not a template engine: each page is a few string concatenations over escaped values.
#include "tt/portfolio/site.hpp"

#include <algorithm>

#include "file_text.hpp"
#include "tt/portfolio/markdown.hpp"
#include "tt/portfolio/svg_chart.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace tt::portfolio {

namespace {

constexpr const char* kStyle =
    "body{font-family:system-ui,sans-serif;max-width:52em;margin:1.5em auto;padding:0 1em;line-height:1.5;color:#222}"
    "nav a{margin-right:.8em}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px}"
    ".cite{padding:0 .25em;border-radius:3px;white-space:nowrap}.cite sup{font-size:.7em}"
    ".verified{background:#dff3df}.stale{background:#fff1c2}.missing,.unknown,.malformed{background:#fbd9d9}"
    ".warnings{border:2px solid #c33;background:#fff4f4;padding:.5em 1em;margin:1em 0}"
    "pre{background:#f4f4f4;padding:.6em;overflow-x:auto}svg.chart{max-width:100%;height:auto;display:block;margin:1em "
    "0}";

std::string page_name(const WriteupSlot& s) { return s.file.substr(0, s.file.size() - 3) + ".html"; }

std::string warnings_box(const std::vector<std::string>& items) {
  if (items.empty()) return "";
  std::string s = "<div class=\"warnings\" role=\"alert\"><strong>Check these before you publish:</strong><ul>";
  for (const auto& w : items) s += "<li>" + escape_html(w) + "</li>";
  return s + "</ul></div>\n";
}

std::vector<std::string> all_warnings(const Writeup& w) {
  std::vector<std::string> out = w.warnings;
  for (const auto& c : w.contradictions)
    out.push_back("line " + std::to_string(c.line) + ": contradicts a measurement: " + c.message);
  return out;
}

std::string writeup_page(const Writeup& w, const std::vector<WriteupSlot>& nav) {
  std::string body = warnings_box(all_warnings(w)) + "<article>\n" + w.html + "</article>\n";
  if (!w.citations.empty()) {
    body += "<h2>Numbers cited</h2><table><tr><th>metric</th><th>value</th><th>status</th><th>note</th></tr>";
    for (const auto& c : w.citations)
      body += "<tr><td><code>" + escape_html(c.name) + "</code></td><td>" + escape_html(c.shown) + "</td><td class=\"" +
              to_string(c.status) + "\">" + to_string(c.status) + "</td><td>" + escape_html(c.message) + "</td></tr>";
    body += "</table>\n";
  }
  return page(w.title, body, nav);
}

std::string measurement_section(const Measurement& m, const Portfolio& p) {
  const auto cur = p.current.find(m.module);
  const bool fresh = cur != p.current.end() && cur->second == m.digest;
  std::string s = "<section id=\"m" + m.module + "\"><h2>Module " + escape_html(m.module) + "</h2>\n<p>" +
                  (fresh ? "<span class=\"cite verified\">✓ verified</span> measured from the current sources"
                         : "<span class=\"cite stale\">⚠ stale</span> the sources changed since this run; run "
                           "<code>./scripts/portfolio measure --module " +
                               escape_html(m.module) + "</code>") +
                  " · " + escape_html(m.date) + " · <code>" + escape_html(m.command) + "</code></p>\n";
  if (!m.error.empty()) return s + "<p class=\"missing\">The run failed: " + escape_html(m.error) + "</p></section>\n";
  s += "<table><tr><th>metric</th><th>value</th><th>target</th><th>met</th></tr>";
  for (const auto& x : metrics_of(m))
    s += "<tr><td><code>" + escape_html(x.name) + "</code></td><td>" + escape_html(format_value(x.value, x.unit)) +
         "</td><td>" + escape_html(x.target) + "</td><td>" + (x.met ? (*x.met ? "yes" : "no") : "") + "</td></tr>";
  s += "</table>\n";
  for (const auto& svg : measurement_charts(m)) s += svg + "\n";
  for (const auto& a : m.artifacts) {
    const std::string f = escape_html(fs::path(a).filename().string());
    s += fs::path(a).extension() == ".svg"
             ? "<p><img src=\"" + f + "\" alt=\"" + f + "\" style=\"max-width:100%\"></p>\n"
             : "<p>Download: <a href=\"" + f + "\">" + f + "</a></p>\n";
  }
  return s + "</section>\n";
}

}  // namespace

std::string page(const std::string& title, const std::string& body, const std::vector<WriteupSlot>& nav,
                 bool site_nav) {
  std::string links = site_nav ? "<a href=\"index.html\">Home</a><a href=\"measurements.html\">Measurements</a>" : "";
  for (const auto& s : nav) links += "<a href=\"" + page_name(s) + "\">" + escape_html(s.title) + "</a>";
  return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src 'self' file:; style-src "
         "'unsafe-inline'\">"
         "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>" +
         escape_html(title) + "</title><style>" + kStyle + "</style></head>\n<body><nav>" + links + "</nav>\n" +
         (body.find("<h1>") == std::string::npos ? "<h1>" + escape_html(title) + "</h1>\n" : "") + body +
         "</body></html>\n";
}

std::vector<std::string> measurement_charts(const Measurement& m) {
  std::vector<std::string> out;
  BarChart ratios{"Module " + m.module + ": ratios (dashed: 1×, no change)", "ratio", {}, 1.0};
  for (const auto& x : metrics_of(m)) {
    if (x.unit == "ratio") ratios.bars.push_back({x.name, x.value, std::nullopt, std::nullopt});
    const json variants = x.detail.is_object() ? x.detail.value("variants", json()) : json();
    if (!variants.is_array()) continue;
    BarChart c{x.name + ": speedup over the baseline, 95 % CI", "ratio", {}, 1.0};
    for (const auto& v : variants) {
      if (!v.is_object() || !v.value("speedup", json()).is_number()) continue;
      const std::string name = v.contains("name") && v["name"].is_string() ? v["name"].get<std::string>() : "?";
      Bar b{name, v["speedup"].get<double>(), std::nullopt, std::nullopt};
      const json ci = v.value("ci", json());
      if (ci.is_array() && ci.size() == 2 && ci[0].is_number() && ci[1].is_number()) {
        b.ci_low = ci[0].get<double>();
        b.ci_high = ci[1].get<double>();
      }
      c.bars.push_back(std::move(b));
    }
    if (!c.bars.empty()) out.push_back(render_svg(c));
  }
  if (!ratios.bars.empty()) out.insert(out.begin(), render_svg(ratios));
  return out;
}

SiteResult render_site(const Portfolio& p, const fs::path& out_dir) {
  SiteResult r;
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  std::vector<WriteupSlot> nav;
  for (const auto& w : p.writeups)
    if (w.exists) nav.push_back(w.slot);
  const auto write = [&](const std::string& name, const std::string& html) {
    detail::write_text(out_dir / name, html);
    r.pages.push_back(out_dir / name);
  };

  std::string rows;
  for (const auto& w : p.writeups) {
    std::size_t v = 0, st = 0, mi = 0;
    for (const auto& c : w.citations)
      (c.status == CitationStatus::verified ? v : c.status == CitationStatus::stale ? st : mi)++;
    r.verified += v;
    r.stale += st;
    r.missing += mi;
    const std::size_t flags = all_warnings(w).size();
    r.flagged += flags;
    rows += "<tr><td>" +
            (w.exists ? "<a href=\"" + page_name(w.slot) + "\">" + escape_html(w.title) + "</a>"
                      : escape_html(w.slot.title) + " <em>(not written: portfolio/" + w.slot.file + ")</em>") +
            "</td><td>" + std::to_string(w.words) + "</td><td>" + std::to_string(v) + "</td><td>" + std::to_string(st) +
            "</td><td>" + std::to_string(mi) + "</td><td>" + (flags ? "⚠ " + std::to_string(flags) : "") +
            "</td></tr>\n";
    if (w.exists) write(page_name(w.slot), writeup_page(w, nav));
  }

  std::string measurements;
  for (const auto& [id, m] : p.measurements.by_module) {
    measurements += measurement_section(m, p);
    for (const auto& a : m.artifacts)
      fs::copy_file(p.dir / "measurements" / a, out_dir / fs::path(a).filename(), fs::copy_options::overwrite_existing,
                    ec);
  }
  if (measurements.empty())
    measurements = "<p class=\"missing\">No measurements yet: run <code>./scripts/portfolio measure</code>.</p>";
  write("measurements.html", page("Measurements", warnings_box(p.measurements.problems) + measurements, nav));

  const std::string who = p.pseudonym.empty() ? "My ML-systems portfolio" : p.pseudonym + "'s ML-systems portfolio";
  const std::string index =
      warnings_box(p.measurements.problems) +
      "<p>Every number on these pages is cited from a measurement of my own code: " + std::to_string(r.verified) +
      " verified, " + std::to_string(r.stale) + " stale, " + std::to_string(r.missing) +
      " missing or "
      "invalid.</p>\n<table><tr><th>write-up</th><th>words</th><th>verified</th><th>stale</th><th>missing</th>"
      "<th>flags</th></tr>\n" +
      rows + "</table>\n<p><a href=\"measurements.html\">All measurements and charts</a></p>\n";
  write("index.html", page(who, index, nav));
  return r;
}

}  // namespace tt::portfolio
