// Write-ups: citations resolved and badged, contradictions found, Markdown rendered, words counted;
// and the whole portfolio of a student tree loaded in one call.
// Not the pages: site.cpp lays the rendered write-ups out.
#include "tt/portfolio/writeup.hpp"

#include <cctype>
#include <sstream>

#include "file_text.hpp"
#include "tt/portfolio/markdown.hpp"

namespace fs = std::filesystem;

namespace tt::portfolio {

namespace {

std::string placeholder(std::size_t i) { return "TTCITE" + std::to_string(i) + "Z"; }

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (std::size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size()))
    s.replace(p, from.size(), to);
}

// The text without prompt lines (blank lines in their place, so line numbers stay).
std::string without_prompts(const std::string& markdown) {
  std::istringstream in(markdown);
  std::string out, line;
  while (std::getline(in, line)) out += (line.rfind(kPromptMarker, 0) == 0 ? "" : line) + "\n";
  return out;
}

std::string badge(const ResolvedCitation& c) {
  static const char* kMark[] = {"✓ verified", "⚠ stale", "✗ missing", "✗ unknown metric", "✗ malformed"};
  const std::string status = to_string(c.status);
  return "<span class=\"cite " + status + "\" data-status=\"" + status + "\" title=\"" +
         escape_html(c.name + ": " + c.message) + "\">" + escape_html(c.shown) + " <sup>" +
         kMark[static_cast<int>(c.status)] + "</sup></span>";
}

}  // namespace

std::vector<WriteupSlot> writeup_slots(const std::vector<CourseModule>& course) {
  std::vector<WriteupSlot> slots;
  slots.reserve(course.size() + 2);
  for (const auto& m : course) slots.push_back({m.id + ".md", "Module " + m.id});
  slots.push_back({"case-study.md", "Case study"});
  slots.push_back({"innovation.md", "Innovation"});
  return slots;
}

std::size_t count_words(const std::string& markdown) {
  std::istringstream in(without_prompts(markdown));
  std::string line;
  std::size_t n = 0;
  bool fenced = false;
  while (std::getline(in, line)) {
    const auto first = line.find_first_not_of(" \t");
    if (first != std::string::npos && (line.compare(first, 3, "```") == 0 || line.compare(first, 3, "~~~") == 0)) {
      fenced = !fenced;
      continue;
    }
    if (fenced || (first != std::string::npos && line[first] == '#')) continue;  // code and headings
    std::string prose;
    for (const auto& s : parse_citations(line))
      if (s.kind == SegmentKind::text) prose += s.text;
    std::istringstream words(prose);
    for (std::string w; words >> w;)
      for (const char c : w)
        if (std::isalnum(static_cast<unsigned char>(c))) {
          ++n;
          break;
        }
  }
  return n;
}

Writeup render_writeup(const WriteupSlot& slot, const std::string& markdown, const MeasurementSet& measurements,
                       const CurrentDigests& current) {
  Writeup w;
  w.slot = slot;
  w.exists = true;
  w.words = count_words(markdown);
  const std::string body = without_prompts(markdown);
  std::string md, prose;
  for (const auto& s : parse_citations(body)) {
    if (s.kind == SegmentKind::text) {
      md += s.text;
      prose += s.text;
      continue;
    }
    md += placeholder(w.citations.size());
    prose += "{{}}";  // ends the sentence for the contradiction scan
    w.citations.push_back(resolve(s, measurements, current));
    if (s.kind == SegmentKind::malformed)
      w.warnings.push_back("line " + std::to_string(s.line) + ": " + s.problem);
    else if (w.citations.back().status == CitationStatus::unknown)
      w.warnings.push_back("line " + std::to_string(s.line) + ": " + w.citations.back().message);
  }
  w.contradictions = find_contradictions(prose, measurements);
  RenderedMarkdown r = render_markdown(md);
  w.warnings.insert(w.warnings.end(), r.warnings.begin(), r.warnings.end());
  w.title = r.title.empty() ? slot.title : r.title;
  for (std::size_t i = 0; i < w.citations.size(); ++i) {
    replace_all(r.html, placeholder(i), badge(w.citations[i]));
    replace_all(w.title, placeholder(i), w.citations[i].shown);
  }
  w.html = std::move(r.html);
  return w;
}

Portfolio load_portfolio(const PortfolioPaths& paths) {
  Portfolio p;
  p.dir = paths.tree / "portfolio";
  const fs::path course_dir = paths.course.empty() ? paths.tree / "modules" : paths.course;
  const fs::path sources = paths.sources.empty() ? paths.tree / "modules" : paths.sources;
  p.course = read_course(course_dir);
  p.measurements = load_measurements(p.dir / "measurements");
  for (const auto& m : p.course) p.current[m.id] = source_digest(measured_files(p.course, m.id, sources));
  for (const auto& slot : writeup_slots(p.course)) {
    const fs::path file = p.dir / slot.file;
    if (!fs::exists(file)) {
      Writeup w;
      w.slot = slot;
      w.title = slot.title;
      p.writeups.push_back(std::move(w));
      continue;
    }
    const auto text = detail::read_text(file);
    p.writeups.push_back(render_writeup(slot, text.value_or(""), p.measurements, p.current));
    if (!text) p.writeups.back().warnings.push_back("portfolio/" + slot.file + " cannot be read");
  }
  if (const auto consent = detail::read_text(p.dir / "consent")) {
    std::istringstream in(*consent);
    for (std::string line; std::getline(in, line);) {
      const auto trim = [](std::string s) {
        s.erase(0, s.find_first_not_of(" \t\r"));
        s.erase(s.find_last_not_of(" \t\r") + 1);
        return s;
      };
      line = trim(line);
      if (line.empty() || line[0] == '#') continue;
      if (line.rfind("pseudonym:", 0) == 0)
        p.pseudonym = trim(line.substr(10));
      else if (line == "public" || line == "consent: public")
        p.consent = "public";
    }
  }
  return p;
}

}  // namespace tt::portfolio
