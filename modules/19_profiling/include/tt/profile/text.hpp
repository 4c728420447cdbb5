// Text helpers for the profiling reports: fixed-precision numbers and padded table cells.
// Not a table renderer: each report lays out its own columns with these.
#pragma once

#include <cstdio>
#include <string>

namespace tt::profile {

// v with `digits` decimals: fixed(3.14159, 2) == "3.14"
inline std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

// s padded with spaces to `width` (on the right when left-aligned, else on the left).
inline std::string pad(std::string s, std::size_t width, bool left = true) {
  if (s.size() >= width) return s;
  return left ? s + std::string(width - s.size(), ' ') : std::string(width - s.size(), ' ') + s;
}

}  // namespace tt::profile
