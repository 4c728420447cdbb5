// Reference OptimizationComparer: shuffled interleaved rounds, bootstrap interval of the speedup, verdicts.
// Not the timer: single calls are timed with clock_seconds (wall or thread CPU); statistics come from tt/timer.hpp.
#include "tt/profile/comparer.hpp"
#include "tt/profile/text.hpp"

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
double median_of(std::vector<double>& v) {
  const std::size_t n = v.size();
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n / 2), v.end());
  const double hi = v[n / 2];
  if (n % 2 == 1) return hi;
  const double lo = *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n / 2));
  return 0.5 * (lo + hi);
}
constexpr double kMiB = 1024.0 * 1024.0;
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
  if (baseline.empty() || variant.empty())
    throw value_error("bootstrap_speedup_ci: both sample sets need at least one sample (got " +
                      std::to_string(baseline.size()) + " and " + std::to_string(variant.size()) + ")");
  if (resamples < 1)
    throw value_error("bootstrap_speedup_ci: resamples must be >= 1, got " + std::to_string(resamples));
  if (!(confidence > 0 && confidence < 1))
    throw value_error("bootstrap_speedup_ci: confidence must be in (0, 1), got " + fixed(confidence, 4));
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::size_t> pick_a(0, baseline.size() - 1);
  std::uniform_int_distribution<std::size_t> pick_b(0, variant.size() - 1);
  std::vector<double> ratios(static_cast<std::size_t>(resamples));
  std::vector<double> a(baseline.size()), b(variant.size());
  for (auto& r : ratios) {
    for (auto& x : a) x = baseline[pick_a(rng)];
    for (auto& x : b) x = variant[pick_b(rng)];
    const double mb = median_of(b);
    r = mb > 0 ? median_of(a) / mb : std::numeric_limits<double>::infinity();
  }
  std::sort(ratios.begin(), ratios.end());
  const double alpha = 1 - confidence;
  const double last = static_cast<double>(ratios.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(alpha / 2 * last));
  const auto hi = static_cast<std::size_t>(std::ceil((1 - alpha / 2) * last));
  return Interval{ratios[lo], ratios[hi]};
}

// ---- 19.10: interleaved measurement and judgement --------------------------------------------

std::vector<timing::Stats> run_interleaved(const std::vector<std::function<void()>>& fns, const ComparerOptions& opt) {
  if (opt.runs < 1) throw value_error("run_interleaved: runs must be >= 1, got " + std::to_string(opt.runs));
  const std::size_t n = fns.size();
  std::vector<std::vector<double>> samples(n);
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(opt.seed);
  for (int w = 0; w < opt.warmup; ++w)
    for (const auto& f : fns) f();
  for (int r = 0; r < opt.runs; ++r) {
    std::shuffle(order.begin(), order.end(), rng);
    for (std::size_t i : order) {
      std::size_t calls = 0;
      const double t0 = clock_seconds(opt.clock);
      double t1 = 0;
      do {
        fns[i]();
        ++calls;
        t1 = clock_seconds(opt.clock);
      } while (t1 - t0 < opt.min_seconds);
      samples[i].push_back((t1 - t0) / static_cast<double>(calls));
    }
  }
  std::vector<timing::Stats> out;
  out.reserve(n);
  for (auto& s : samples) out.push_back(timing::stats_of(std::move(s)));
  return out;
}

OptimizationComparer::OptimizationComparer(ComparerOptions opt) : opt_(opt) {
  if (opt_.runs < 2)
    throw value_error("OptimizationComparer: runs must be >= 2 for an interval, got " + std::to_string(opt_.runs));
  if (opt_.min_effect < 0) throw value_error("OptimizationComparer: min_effect must be >= 0");
}

VariantResult OptimizationComparer::judge(const std::string& name, const timing::Stats& baseline,
                                          const timing::Stats& variant) const {
  VariantResult r;
  r.name = name;
  r.time = variant;
  r.speedup = variant.median > 0 ? baseline.median / variant.median : 0;
  r.speedup_ci = bootstrap_speedup_ci(baseline.samples, variant.samples, opt_.resamples, opt_.confidence, opt_.seed);
  const double up = 1 + opt_.min_effect;
  const double down = 1 / up;
  r.significant = r.speedup_ci.lo > up || r.speedup_ci.hi < down;
  if (!r.significant)
    r.verdict = "no significant difference";
  else if (r.speedup > 1)
    r.verdict = fixed(r.speedup, 2) + "x faster";
  else
    r.verdict = fixed(1 / r.speedup, 2) + "x slower";
  r.accuracy = std::numeric_limits<double>::quiet_NaN();
  r.accuracy_delta = std::numeric_limits<double>::quiet_NaN();
  return r;
}

std::vector<VariantResult> OptimizationComparer::compare(const std::vector<Variant>& variants) const {
  if (variants.empty() || !variants.front().run)
    throw value_error("OptimizationComparer::compare: the first variant is the baseline and needs a run function");
  std::vector<const Variant*> timed;
  for (const auto& v : variants)
    if (v.run) timed.push_back(&v);
  std::vector<std::function<void()>> fns;
  fns.reserve(timed.size());
  for (const auto* v : timed) fns.push_back(v->run);
  const auto stats = run_interleaved(fns, opt_);

  std::vector<VariantResult> out;
  for (std::size_t i = 0; i < timed.size(); ++i) {
    const Variant& v = *timed[i];
    VariantResult r = judge(v.name, stats[0], stats[i]);
    if (i == 0) {
      r.verdict = "baseline";
      r.significant = false;
    }
    {
      // One untimed run for memory: the tracked peak above what was live before it.
      tracking::Scope scope;
      v.run();
      r.peak_bytes = scope.peak_bytes();
    }
    r.model_bytes = v.model_bytes ? v.model_bytes() : 0;
    if (v.accuracy) r.accuracy = v.accuracy();
    out.push_back(std::move(r));
  }
  const VariantResult& base = out.front();
  for (auto& r : out) {
    const bool by_model = base.model_bytes > 0 && r.model_bytes > 0;
    const double mine = static_cast<double>(by_model ? r.model_bytes : r.peak_bytes);
    const double theirs = static_cast<double>(by_model ? base.model_bytes : base.peak_bytes);
    r.memory_ratio = theirs > 0 ? mine / theirs : (mine == 0 ? 1.0 : std::numeric_limits<double>::infinity());
    r.accuracy_delta = r.accuracy - base.accuracy;  // NaN if either is missing
  }
  return out;
}

// ---- 19.11: the plan's call and its table ------------------------------------------------------

std::string OptimizationComparer::table(const std::vector<VariantResult>& results) {
  std::ostringstream o;
  o << pad("variant", 22) << pad("median ms", 11, false) << pad("spread", 8, false) << pad("speedup", 9, false)
    << pad("95% CI", 17, false) << "  " << pad("verdict", 27) << pad("memory", 12, false) << pad("accuracy", 10, false)
    << pad("delta", 8, false) << "\n";
  for (const auto& r : results) {
    const double mem = static_cast<double>(r.model_bytes > 0 ? r.model_bytes : r.peak_bytes) / kMiB;
    o << pad(r.name, 22) << pad(fixed(r.time.median * 1e3, 3), 11, false)
      << pad(fixed(r.time.spread() * 100, 1) + "%", 8, false) << pad(fixed(r.speedup, 2) + "x", 9, false)
      << pad("[" + fixed(r.speedup_ci.lo, 2) + ", " + fixed(r.speedup_ci.hi, 2) + "]", 17, false) << "  "
      << pad(r.verdict, 27) << pad(fixed(mem, 2) + " MB", 12, false)
      << pad(std::isnan(r.accuracy) ? "-" : fixed(r.accuracy, 4), 10, false)
      << pad(std::isnan(r.accuracy_delta) ? "-" : fixed(r.accuracy_delta, 4), 8, false) << "\n";
  }
  return o.str();
}

std::vector<VariantResult> compare_optimizations(const Variant& baseline, const Variant& quantized,
                                                 const Variant& pruned, const Variant& cached,
                                                 const ComparerOptions& opt) {
  return OptimizationComparer(opt).compare({baseline, quantized, pruned, cached});
}

}  // namespace tt::profile
