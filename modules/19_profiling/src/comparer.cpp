// OptimizationComparer (student file): shuffled interleaved rounds, bootstrap interval of the speedup, verdicts.
// Not the timer: single calls are timed with clock_seconds (wall or thread CPU); statistics come from tt/timer.hpp.
#include "tt/profile/comparer.hpp"

#include <time.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <random>
#include <sstream>

#include "tt/errors.hpp"
#include "tt/tracking.hpp"

namespace tt::profile {

namespace {
// The median of v (reorders v): the middle value, or the mean of the two middle ones.
[[maybe_unused]] double median_of(std::vector<double>& v) {
  const std::size_t n = v.size();
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n / 2), v.end());
  const double hi = v[n / 2];
  if (n % 2 == 1) return hi;
  const double lo = *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n / 2));
  return 0.5 * (lo + hi);
}
}  // namespace

// ---- scaffolding (given) -------------------------------------------------------------------

double clock_seconds(Clock clock) {
  if (clock == Clock::wall) return timing::now_seconds();
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// ---- 19.9: bootstrap interval --------------------------------------------------------------

Interval bootstrap_speedup_ci(const std::vector<double>& baseline, const std::vector<double>& variant, int resamples,
                              double confidence, std::uint64_t seed) {
  // Check the arguments (tt::value_error). With std::mt19937_64 rng(seed): `resamples` times,
  // draw baseline.size() values of baseline and variant.size() values of variant with
  // replacement (std::uniform_int_distribution over the indices), and keep
  // median(drawn baseline) / median(drawn variant). Sort the ratios; with alpha = 1 - confidence
  // return ratios[floor(alpha/2 · (B-1))] and ratios[ceil((1 - alpha/2) · (B-1))].
  // TODO(19.9): the percentile bootstrap.
  TT_UNIMPLEMENTED("19.9 bootstrap_speedup_ci");
}

// ---- 19.10: interleaved measurement and judgement --------------------------------------------

std::vector<timing::Stats> run_interleaved(const std::vector<std::function<void()>>& fns, const ComparerOptions& opt) {
  // opt.warmup untimed rounds calling every fn, then opt.runs rounds. Each round shuffles the
  // order (std::shuffle with one std::mt19937_64 seeded with opt.seed) and times each fn once:
  // repeat the call until opt.min_seconds have passed, sample = elapsed / calls (use
  // clock_seconds(opt.clock)). Return timing::stats_of(samples) per fn, in the order of fns.
  // TODO(19.10): shuffled interleaved rounds.
  TT_UNIMPLEMENTED("19.10 run_interleaved");
}

// Given: the constructor checks and stores its arguments; not part of a task.
OptimizationComparer::OptimizationComparer(ComparerOptions opt) : opt_(opt) {
  if (opt_.runs < 2)
    throw value_error("OptimizationComparer: runs must be >= 2 for an interval, got " + std::to_string(opt_.runs));
  if (opt_.min_effect < 0) throw value_error("OptimizationComparer: min_effect must be >= 0");
}

VariantResult OptimizationComparer::judge(const std::string& name, const timing::Stats& baseline,
                                          const timing::Stats& variant) const {
  // speedup = baseline median / variant median; speedup_ci from bootstrap_speedup_ci on the
  // samples with the options' resamples, confidence and seed; significant when the interval lies
  // wholly above 1 + min_effect or wholly below 1 / (1 + min_effect). Verdict: "no significant
  // difference", "2.31x faster" or "1.80x slower" (two decimals). accuracy and accuracy_delta
  // start as NaN (compare() fills them).
  // TODO(19.10): speedup, interval, verdict.
  TT_UNIMPLEMENTED("19.10 OptimizationComparer::judge");
}

std::vector<VariantResult> OptimizationComparer::compare(const std::vector<Variant>& variants) const {
  // The first variant is the baseline (tt::value_error if missing or without run). Time every
  // variant that has a run with run_interleaved, judge each against the baseline (the baseline's
  // verdict is "baseline"). Then, per variant: one untimed run inside a tracking::Scope for
  // peak_bytes; model_bytes and accuracy from the optional functions. memory_ratio compares
  // model_bytes when both the variant and the baseline give it, else peak_bytes;
  // accuracy_delta = accuracy - the baseline's (NaN when either is missing).
  // TODO(19.10): time, judge, memory, accuracy.
  TT_UNIMPLEMENTED("19.10 OptimizationComparer::compare");
}

// ---- 19.11: the plan's call and its table ------------------------------------------------------

std::string OptimizationComparer::table(const std::vector<VariantResult>& results) {
  // Header line ("variant", "median ms", "spread", "speedup", "95% CI", "verdict", "memory",
  // "accuracy", "delta"), then one aligned line per result; "-" for a missing accuracy.
  // TODO(19.11): format the table.
  TT_UNIMPLEMENTED("19.11 OptimizationComparer::table");
}

std::vector<VariantResult> compare_optimizations(const Variant& baseline, const Variant& quantized,
                                                 const Variant& pruned, const Variant& cached,
                                                 const ComparerOptions& opt) {
  // The four variants, in this order, through an OptimizationComparer with `opt`.
  // TODO(19.11): one line.
  TT_UNIMPLEMENTED("19.11 compare_optimizations");
}

}  // namespace tt::profile
