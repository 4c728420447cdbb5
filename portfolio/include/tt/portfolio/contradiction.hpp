// Hand-typed numbers that contradict a measurement: "kv_speedup_256 reached 120×" when the
// measurement of kv_speedup_256 says 94.2. Not a proof-reader: only a number that follows a metric's
// name in the same sentence (within kContradictionWindow characters) is compared.
#pragma once

#include <string>
#include <vector>

#include "tt/portfolio/measurement.hpp"

namespace tt::portfolio {

inline constexpr std::size_t kContradictionWindow = 60;
// A typed number agrees when it is within this share of the measured value, or when it is the
// measured value rounded to the digits typed.
inline constexpr double kContradictionTolerance = 0.05;

struct Contradiction {
  std::string metric;  // "m16.kv_speedup_256"
  std::string typed;   // "120"
  double measured = 0;
  int line = 1;
  std::string message;
};

// Scans text (citations already removed by the caller or left in: they are skipped) for every
// metric name of every measurement, bare ("kv_speedup_256") or qualified ("m16.kv_speedup_256").
std::vector<Contradiction> find_contradictions(const std::string& text, const MeasurementSet& measurements);

}  // namespace tt::portfolio
