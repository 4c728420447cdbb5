// Horizontal bar charts as inline SVG, with optional confidence intervals and a target line.
// Not a plotting library: one chart kind, enough for before/after speedups and ratios.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace tt::portfolio {

struct Bar {
  std::string label;
  double value = 0;
  std::optional<double> ci_low, ci_high;  // drawn as a whisker when both are set
};

struct BarChart {
  std::string title;
  std::string unit;  // shown after each value ("×", "ms")
  std::vector<Bar> bars;
  std::optional<double> reference;  // a dashed line (e.g. 1× = no change, or the target)
};

// A self-contained <svg> element (no fonts, scripts or links to fetch).
std::string render_svg(const BarChart& chart);

}  // namespace tt::portfolio
