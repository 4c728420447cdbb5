// Timing of callables: warm-up, repeated runs, median/min/spread, interleaved A/B comparison.
// Not a benchmark framework: it returns numbers; callers print and judge them.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <vector>

namespace tt::timing {

inline double now_seconds() {
  using clock = std::chrono::steady_clock;
  return std::chrono::duration<double>(clock::now().time_since_epoch()).count();
}

struct Options {
  int warmup = 1;            // untimed calls before measuring
  int runs = 7;              // timed samples (median of these)
  double min_seconds = 0.0;  // each sample repeats the call until it lasts at least this long
};

struct Stats {
  std::vector<double> samples;  // seconds per call, one per run
  double median = 0;
  double min = 0;
  double max = 0;
  // (max - min) / median: the relative spread of the samples
  double spread() const { return median > 0 ? (max - min) / median : 0; }
};

Stats stats_of(std::vector<double> samples);

// Times fn() per Options; seconds per call.
Stats measure(const std::function<void()>& fn, const Options& opt = {});

// Times several callables interleaved (run 1 of each, then run 2 of each, …) so that machine
// noise hits them alike. Returns one Stats per callable, in order.
std::vector<Stats> interleaved(const std::vector<std::function<void()>>& fns, const Options& opt = {});

struct Comparison {
  Stats a;
  Stats b;
  // median(a) / median(b): > 1 means b is faster.
  double ratio() const { return b.median > 0 ? a.median / b.median : 0; }
};
Comparison compare(const std::function<void()>& a, const std::function<void()>& b, const Options& opt = {});

}  // namespace tt::timing
