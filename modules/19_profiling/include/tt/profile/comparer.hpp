// OptimizationComparer: before/after timing of variants, interleaved, with a bootstrap confidence interval.
// Not a micro-benchmark harness: each variant is a whole task (a forward pass, a generation).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "tt/timer.hpp"

namespace tt::profile {

// One way of doing the task.
struct Variant {
  std::string name;
  std::function<void()> run;                 // the work timed; an empty run skips the variant
  std::function<double()> accuracy;          // optional: quality of the result (higher is better)
  std::function<std::size_t()> model_bytes;  // optional: bytes of the weights it uses
};

// What a sample measures. Wall time is what users feel and sees every thread's work; the calling
// thread's CPU time ignores the time other processes take on a busy machine (tests use it) but
// does not see work done by other threads (do not use it for multi-threaded variants).
enum class Clock { wall, thread_cpu };
// Seconds on `clock` (an arbitrary origin: use differences).
double clock_seconds(Clock clock);

struct ComparerOptions {
  int runs = 15;             // rounds; each round runs every variant once, in a shuffled order
  int warmup = 1;            // untimed rounds first
  double min_seconds = 0;    // a sample repeats the call until it lasts this long
  int resamples = 2000;      // bootstrap resamples
  double confidence = 0.95;  // of the speedup interval
  double min_effect = 0;     // speedups within [1/(1+e), 1+e] count as no difference (0: CI vs 1)
  std::uint64_t seed = 19;   // the shuffles and the bootstrap
  Clock clock = Clock::wall;
};

// A closed interval [lo, hi].
struct Interval {
  double lo = 0;
  double hi = 0;
  bool contains(double x) const { return lo <= x && x <= hi; }
};

// Bootstrap confidence interval of median(baseline) / median(variant): `resamples` times, draw
// each sample set with replacement (same size), take the ratio of the medians; return the
// (1-confidence)/2 and (1+confidence)/2 percentiles. Deterministic for a seed.
// tt::value_error on an empty sample set, resamples < 1 or confidence outside (0, 1).
Interval bootstrap_speedup_ci(const std::vector<double>& baseline, const std::vector<double>& variant, int resamples,
                              double confidence, std::uint64_t seed);

// Runs the callables in `opt.runs` rounds after `opt.warmup` untimed ones, each round in an order
// shuffled with `opt.seed`, so drift and order effects hit all alike. Seconds (on opt.clock) per
// call, per fn.
std::vector<timing::Stats> run_interleaved(const std::vector<std::function<void()>>& fns, const ComparerOptions& opt);

struct VariantResult {
  std::string name;
  timing::Stats time;           // seconds per run
  double speedup = 1;           // median(baseline) / median(this): > 1 is faster
  Interval speedup_ci;          // bootstrap interval of the speedup
  bool significant = false;     // the interval lies wholly outside [1/(1+min_effect), 1+min_effect]
  std::string verdict;          // "baseline", "2.31x faster", "1.80x slower", "no significant difference"
  std::size_t peak_bytes = 0;   // tracked peak bytes above the start during one run
  std::size_t model_bytes = 0;  // Variant::model_bytes(), 0 if not given
  double memory_ratio = 1;      // model_bytes / baseline's (peak_bytes when model_bytes is not given)
  double accuracy = 0;          // Variant::accuracy(), NaN if not given
  double accuracy_delta = 0;    // accuracy - baseline's (NaN if either is missing)
};

class OptimizationComparer {
 public:
  explicit OptimizationComparer(ComparerOptions opt = {});
  const ComparerOptions& options() const { return opt_; }

  // The first variant is the baseline. Variants with an empty run are skipped; tt::value_error if
  // the baseline has none. Times all interleaved; one result per timed variant, baseline first.
  std::vector<VariantResult> compare(const std::vector<Variant>& variants) const;
  // Speedup, interval and verdict of one variant against the baseline, from their samples.
  VariantResult judge(const std::string& name, const timing::Stats& baseline, const timing::Stats& variant) const;
  // A text table: variant, median ms, spread, speedup [CI], verdict, memory, accuracy.
  static std::string table(const std::vector<VariantResult>& results);

 private:
  ComparerOptions opt_;
};

// The plan's call: the baseline against its quantized, pruned and cached versions (a variant with
// an empty run is left out, so a missing optimization can be passed as Variant{"pruned"}).
std::vector<VariantResult> compare_optimizations(const Variant& baseline, const Variant& quantized,
                                                 const Variant& pruned, const Variant& cached,
                                                 const ComparerOptions& opt = {});

}  // namespace tt::profile
