// The class showcase page: opted-in students only.
// Not a ranking: entries are listed by pseudonym.
#include "tt/portfolio/showcase.hpp"

#include <algorithm>

#include "file_text.hpp"
#include "tt/portfolio/citation.hpp"
#include "tt/portfolio/markdown.hpp"
#include "tt/portfolio/site.hpp"
#include "tt/portfolio/writeup.hpp"

using nlohmann::json;

namespace tt::portfolio {

bool is_public(const json& section) { return section.is_object() && section.value("consent", "") == "public"; }

std::size_t write_showcase(const std::filesystem::path& out_dir, const std::vector<ShowcaseEntry>& entries) {
  std::vector<const ShowcaseEntry*> shown;
  for (const auto& e : entries)
    if (is_public(e.section)) shown.push_back(&e);
  const auto name = [](const ShowcaseEntry& e) {
    const std::string p = e.section.value("pseudonym", "");
    return p.empty() ? e.submission : p;
  };
  std::sort(shown.begin(), shown.end(), [&](auto* a, auto* b) { return name(*a) < name(*b); });
  std::string rows;
  for (const auto* e : shown) {
    std::string numbers;
    const json capstone = e->section.value("capstone", json::object());
    for (const auto& [k, v] : capstone.items())
      if (v.is_number())
        numbers +=
            (numbers.empty() ? "" : "<br>") + escape_html(k) + ": " + escape_html(format_value(v.get<double>(), ""));
    const json c = e->section.value("citations", json::object());
    rows += "<tr><td>" +
            (e->site_link.empty() ? escape_html(name(*e))
                                  : "<a href=\"" + escape_html(e->site_link) + "\">" + escape_html(name(*e)) + "</a>") +
            "</td><td>" + (numbers.empty() ? "<em>no verified capstone measurement</em>" : numbers) + "</td><td>" +
            std::to_string(c.value("verified", 0)) + "</td></tr>\n";
  }
  const std::string body =
      "<p>Students who chose to publish their portfolio (<code>portfolio/consent</code>: <code>public</code>). " +
      std::to_string(shown.size()) +
      " listed; everyone else stays private.</p>\n<table><tr><th>student</th><th>capstone (verified)</th>"
      "<th>verified citations</th></tr>\n" +
      rows + "</table>\n";
  detail::write_text(out_dir / "index.html", page("Class showcase", body, {}, /*site_nav=*/false));
  return shown.size();
}

std::size_t build_showcase(const std::filesystem::path& out_dir, const std::filesystem::path& course_modules,
                           const std::vector<ShowcaseStudent>& students) {
  std::vector<ShowcaseEntry> entries;
  int site = 0;
  for (const auto& s : students) {
    std::string link;
    if (is_public(s.section) && !s.tree.empty()) {
      const std::string folder = "site-" + std::to_string(++site);
      render_site(load_portfolio({s.tree, s.tree / "modules", course_modules}), out_dir / folder);
      link = folder + "/index.html";
    }
    entries.push_back({s.submission, s.section, link});
  }
  return write_showcase(out_dir, entries);
}

}  // namespace tt::portfolio
