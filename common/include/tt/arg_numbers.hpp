// Numbers given on a command line, checked: "--rounds x" is a tt::value_error that names the flag,
// the accepted range and what was found, where std::stoul alone would say "stoul" (or read "12x"
// as 12). Not an argument parser: each program keeps its own flags.
#pragma once

#include <cerrno>
#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <sstream>
#include <string>

#include "tt/errors.hpp"

namespace tt {

// `text` as a whole number in [min, max], or a value_error about `flag`.
inline std::size_t parse_count(const std::string& flag, const std::string& text, std::size_t min, std::size_t max) {
  char* end = nullptr;
  errno = 0;
  const unsigned long long v = std::strtoull(text.c_str(), &end, 10);
  const bool digits = !text.empty() && text[0] >= '0' && text[0] <= '9';
  if (!digits || *end != '\0' || errno == ERANGE || v < min || v > max)
    throw value_error(flag + " expects a whole number from " + std::to_string(min) + " to " + std::to_string(max) +
                      ", found '" + text + "'");
  return static_cast<std::size_t>(v);
}

// `text` as a finite number in [min, max], or a value_error about `flag`.
inline double parse_real(const std::string& flag, const std::string& text, double min, double max) {
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || errno == ERANGE || !std::isfinite(v) || v < min || v > max) {
    std::ostringstream msg;
    msg << flag << " expects a number from " << min << " to " << max << ", found '" << text << "'";
    throw value_error(msg.str());
  }
  return v;
}

}  // namespace tt
