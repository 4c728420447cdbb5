// Inline SVG bar charts with confidence-interval whiskers.
// Not interactive: plain shapes and text, nothing to load.
#include "tt/portfolio/svg_chart.hpp"

#include <algorithm>
#include <cstdio>

#include "tt/portfolio/citation.hpp"
#include "tt/portfolio/markdown.hpp"

namespace tt::portfolio {

namespace {

constexpr int kWidth = 640, kLabelWidth = 230, kBarHeight = 22, kGap = 8, kTop = 34, kRight = 70;

std::string num(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f", v);
  return b;
}

}  // namespace

std::string render_svg(const BarChart& c) {
  double hi = c.reference.value_or(0);
  for (const auto& b : c.bars) hi = std::max({hi, b.value, b.ci_high.value_or(0)});
  if (hi <= 0) hi = 1;
  const double plot = kWidth - kLabelWidth - kRight;
  const auto x = [&](double v) { return kLabelWidth + plot * std::max(0.0, v) / hi; };
  const int height = kTop + static_cast<int>(c.bars.size()) * (kBarHeight + kGap) + 10;
  std::string s = "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(kWidth) +
                  "\" height=\"" + std::to_string(height) + "\" viewBox=\"0 0 " + std::to_string(kWidth) + " " +
                  std::to_string(height) + "\" role=\"img\" aria-label=\"" + escape_html(c.title) + "\">\n";
  s += "<text x=\"4\" y=\"18\" font-size=\"14\" font-weight=\"bold\">" + escape_html(c.title) + "</text>\n";
  int y = kTop;
  for (const auto& b : c.bars) {
    s += "<text x=\"" + std::to_string(kLabelWidth - 6) + "\" y=\"" + std::to_string(y + 15) +
         "\" font-size=\"12\" text-anchor=\"end\">" + escape_html(b.label) + "</text>\n";
    s += "<rect class=\"bar\" x=\"" + num(kLabelWidth) + "\" y=\"" + std::to_string(y) + "\" width=\"" +
         num(x(b.value) - kLabelWidth) + "\" height=\"" + std::to_string(kBarHeight) + "\" fill=\"#4a78b5\"/>\n";
    if (b.ci_low && b.ci_high) {
      const std::string mid = std::to_string(y + kBarHeight / 2);
      s += "<g class=\"ci\" stroke=\"#222\" stroke-width=\"1.5\"><line x1=\"" + num(x(*b.ci_low)) + "\" x2=\"" +
           num(x(*b.ci_high)) + "\" y1=\"" + mid + "\" y2=\"" + mid + "\"/>";
      for (const double v : {*b.ci_low, *b.ci_high})
        s += "<line x1=\"" + num(x(v)) + "\" x2=\"" + num(x(v)) + "\" y1=\"" + std::to_string(y + 5) + "\" y2=\"" +
             std::to_string(y + kBarHeight - 5) + "\"/>";
      s += "<title>" +
           escape_html("95 % CI " + format_value(*b.ci_low, c.unit) + " – " + format_value(*b.ci_high, c.unit)) +
           "</title></g>\n";
    }
    s += "<text x=\"" + num(x(std::max(b.value, b.ci_high.value_or(0))) + 4) + "\" y=\"" + std::to_string(y + 15) +
         "\" font-size=\"12\">" + escape_html(format_value(b.value, c.unit)) + "</text>\n";
    y += kBarHeight + kGap;
  }
  if (c.reference)
    s += "<line class=\"reference\" x1=\"" + num(x(*c.reference)) + "\" x2=\"" + num(x(*c.reference)) + "\" y1=\"" +
         std::to_string(kTop - 4) + "\" y2=\"" + std::to_string(y) + "\" stroke=\"#b33\" stroke-dasharray=\"4 3\"/>\n";
  return s + "</svg>";
}

}  // namespace tt::portfolio
