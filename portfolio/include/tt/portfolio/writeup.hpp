// A student's write-ups (portfolio/NN.md, case-study.md, innovation.md): read, citations
// resolved, hand-typed contradictions found, rendered to HTML, words counted.
// Not the site: site.hpp puts the rendered write-ups into pages.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "tt/portfolio/citation.hpp"
#include "tt/portfolio/contradiction.hpp"
#include "tt/portfolio/course.hpp"
#include "tt/portfolio/measurement.hpp"

namespace tt::portfolio {

// Lines starting with this marker are the templates' prompts: never rendered, never counted.
inline constexpr const char* kPromptMarker = "> ✎";

struct WriteupSlot {
  std::string file;   // "16.md", "case-study.md", "innovation.md"
  std::string title;  // "Module 16", "Case study", "Innovation"
};

// The write-ups a portfolio can have for this course: one per module, then the case study and
// the innovation project.
std::vector<WriteupSlot> writeup_slots(const std::vector<CourseModule>& course);

struct Writeup {
  WriteupSlot slot;
  bool exists = false;
  std::size_t words = 0;  // the student's words: prompts, headings, code blocks and citations not counted
  std::string html;       // the body, citations filled in with their badges
  std::string title;      // the first heading, or the slot's title
  std::vector<ResolvedCitation> citations;
  std::vector<Contradiction> contradictions;
  std::vector<std::string> warnings;  // malformed braces, embedded HTML, unreadable file, …
};

// Everything tt-portfolio knows about one student tree.
struct Portfolio {
  std::filesystem::path dir;  // <tree>/portfolio
  std::vector<CourseModule> course;
  MeasurementSet measurements;
  CurrentDigests current;  // module id → digest of the student's files now
  std::vector<Writeup> writeups;
  std::string consent = "private";  // "public" only when portfolio/consent says so
  std::string pseudonym;            // from portfolio/consent ("pseudonym: …"), may be empty
};

struct PortfolioPaths {
  std::filesystem::path tree;     // the student tree (holds modules/ and portfolio/)
  std::filesystem::path sources;  // where the student files are (default <tree>/modules)
  std::filesystem::path course;   // where module.json files are (default <tree>/modules)
};

// Reads and resolves everything; never throws for a student's bad input (it becomes a warning),
// only portfolio_error(bad_course) when the course itself cannot be read.
Portfolio load_portfolio(const PortfolioPaths& paths);

// Renders one write-up's text (the core of load_portfolio, usable on a string).
Writeup render_writeup(const WriteupSlot& slot, const std::string& markdown, const MeasurementSet& measurements,
                       const CurrentDigests& current);

// Words of a Markdown text, not counting prompt lines, headings, fenced code and citations.
std::size_t count_words(const std::string& markdown);

}  // namespace tt::portfolio
