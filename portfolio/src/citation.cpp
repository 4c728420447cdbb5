// Citation parsing and resolution.
// Not rendering: writeup.cpp turns resolved citations into badges.
#include "tt/portfolio/citation.hpp"

#include <cmath>
#include <cstdio>
#include <regex>

namespace tt::portfolio {

namespace {

int count_lines(const std::string& text, std::size_t from, std::size_t to) {
  int n = 0;
  for (std::size_t i = from; i < to && i < text.size(); ++i) n += text[i] == '\n';
  return n;
}

}  // namespace

std::vector<Segment> parse_citations(const std::string& text) {
  static const std::regex kName(R"(\s*m(\d\d)\.([a-z0-9_]+)\s*)");
  std::vector<Segment> out;
  std::size_t pos = 0;
  int line = 1;
  const auto push_text = [&](std::size_t from, std::size_t to) {
    if (to <= from) return;
    out.push_back({SegmentKind::text, text.substr(from, to - from), "", "", line, ""});
    line += count_lines(text, from, to);
  };
  while (pos < text.size()) {
    const std::size_t open = text.find("{{", pos);
    if (open == std::string::npos) break;
    push_text(pos, open);
    const std::size_t eol = text.find('\n', open);
    const std::size_t close = text.find("}}", open + 2);
    if (close == std::string::npos || (eol != std::string::npos && close > eol)) {
      const std::size_t end = eol == std::string::npos ? text.size() : eol;
      out.push_back({SegmentKind::malformed, text.substr(open, end - open), "", "", line,
                     "`{{` without a closing `}}` on the same line; a citation looks like {{m16.kv_speedup_256}}"});
      pos = end;
      continue;
    }
    const std::string inner = text.substr(open + 2, close - open - 2);
    std::smatch m;
    if (std::regex_match(inner, m, kName)) {
      out.push_back({SegmentKind::citation, text.substr(open, close + 2 - open), m[1].str(), m[2].str(), line, ""});
    } else {
      out.push_back({SegmentKind::malformed, text.substr(open, close + 2 - open), "", "", line,
                     "`{{" + inner +
                         "}}` is not a citation: expected {{mNN.metric_name}} (two-digit module, lower-case metric "
                         "name as the bench JSON spells it)"});
    }
    pos = close + 2;
  }
  push_text(pos, text.size());
  return out;
}

std::string to_string(CitationStatus s) {
  switch (s) {
    case CitationStatus::verified:
      return "verified";
    case CitationStatus::stale:
      return "stale";
    case CitationStatus::missing:
      return "missing";
    case CitationStatus::unknown:
      return "unknown";
    case CitationStatus::malformed:
      return "malformed";
  }
  return "missing";
}

std::string format_value(double value, const std::string& unit) {
  char buf[64];
  const double a = std::fabs(value);
  const char* fmt = a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3g";
  std::snprintf(buf, sizeof buf, fmt, value);
  std::string s = buf;
  if (unit == "ratio" || unit == "x" || unit == "×") return s + "×";
  if (unit.empty() || unit == "bool") return s;
  return s + " " + unit;
}

ResolvedCitation resolve(const Segment& c, const MeasurementSet& measurements, const CurrentDigests& current) {
  ResolvedCitation r;
  r.line = c.line;
  r.shown = "?";
  if (c.kind == SegmentKind::malformed) {
    r.name = c.text;
    r.status = CitationStatus::malformed;
    r.message = c.problem;
    return r;
  }
  r.name = "m" + c.module + "." + c.metric;
  const std::string cmd = "./scripts/portfolio measure --module " + c.module;
  const auto it = measurements.by_module.find(c.module);
  if (it == measurements.by_module.end()) {
    r.status = CitationStatus::missing;
    r.message =
        "no measurement of module " + c.module + " (portfolio/measurements/m" + c.module + ".json); run `" + cmd + "`";
    return r;
  }
  const Measurement& m = it->second;
  if (!m.error.empty() || m.bench.is_null()) {
    r.status = CitationStatus::missing;
    r.message = "module " + c.module + "'s last measurement failed (" + m.error.substr(0, 200) + "); fix it and run `" +
                cmd + "`";
    return r;
  }
  r.metric = find_metric(m, c.metric);
  if (!r.metric) {
    r.status = CitationStatus::unknown;
    std::string names;
    for (const auto& x : metrics_of(m)) names += (names.empty() ? "" : ", ") + x.name;
    r.message = "module " + c.module + "'s measurement has no metric '" + c.metric + "' (it has: " + names + ")";
    return r;
  }
  r.shown = format_value(r.metric->value, r.metric->unit);
  const auto cur = current.find(c.module);
  if (cur != current.end() && cur->second == m.digest) {
    r.status = CitationStatus::verified;
    r.message = "measured " + m.date + " from the current sources (" + m.digest.substr(0, 19) + "…)";
  } else {
    r.status = CitationStatus::stale;
    r.message = "measured " + m.date + " from sources that have changed since; run `" + cmd + "` again";
  }
  return r;
}

}  // namespace tt::portfolio
