// Citations in a write-up: `{{m16.kv_speedup_256}}` names a metric of module 16's measurement.
// Parsing splits a text into plain runs, citations and malformed braces; resolving looks each
// citation up and says whether its number is verified, stale, missing or unknown.
// Not Markdown: the text is Markdown, but citations are found before it is parsed.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tt/portfolio/measurement.hpp"

namespace tt::portfolio {

enum class SegmentKind { text, citation, malformed };

struct Segment {
  SegmentKind kind = SegmentKind::text;
  std::string text;     // the source text of the segment, braces included
  std::string module;   // citation: "16"
  std::string metric;   // citation: "kv_speedup_256"
  int line = 1;         // 1-based line where the segment starts
  std::string problem;  // malformed: what is wrong and what was expected
};

// Splits text; never throws. A citation is `{{mNN.name}}` with NN two digits and name made of
// [a-z0-9_] (white space inside the braces is allowed); anything else between `{{` and `}}`, or a
// `{{` without `}}` on its line, is a malformed segment.
std::vector<Segment> parse_citations(const std::string& text);

enum class CitationStatus { verified, stale, missing, unknown, malformed };
std::string to_string(CitationStatus s);

struct ResolvedCitation {
  std::string name;  // "m16.kv_speedup_256" (or the malformed text)
  int line = 1;
  CitationStatus status = CitationStatus::missing;
  std::optional<Metric> metric;  // verified / stale
  std::string shown;             // the number as the page shows it ("94.2×"), or "?" without one
  std::string message;           // why it is not verified, and the command that fixes it
};

// The current source digest of each measured module (module id → digest), computed by the caller
// from the student's files; a measurement is verified when its digest equals this one.
using CurrentDigests = std::map<std::string, std::string>;

ResolvedCitation resolve(const Segment& citation, const MeasurementSet& measurements, const CurrentDigests& current);

// A value with its unit the way a page shows it: ratios as "3.52×", "s" and "ms" with the unit.
std::string format_value(double value, const std::string& unit);

}  // namespace tt::portfolio
