// Warm-up, repeated and interleaved timing of callables, reduced to median/min/max.
// Not a statistics package: confidence intervals live in module 19.
#include "tt/timer.hpp"

#include <algorithm>

#include "tt/errors.hpp"

namespace tt::timing {

Stats stats_of(std::vector<double> samples) {
  Stats s;
  if (samples.empty()) return s;
  s.samples = samples;
  std::sort(samples.begin(), samples.end());
  const std::size_t n = samples.size();
  s.median = n % 2 ? samples[n / 2] : 0.5 * (samples[n / 2 - 1] + samples[n / 2]);
  s.min = samples.front();
  s.max = samples.back();
  return s;
}

namespace {
// One sample: repeat fn until min_seconds have passed; seconds per call.
double sample(const std::function<void()>& fn, double min_seconds) {
  int reps = 0;
  const double t0 = now_seconds();
  double t1 = 0;
  do {
    fn();
    ++reps;
    t1 = now_seconds();
  } while (t1 - t0 < min_seconds);
  return (t1 - t0) / reps;
}
}  // namespace

std::vector<Stats> interleaved(const std::vector<std::function<void()>>& fns, const Options& opt) {
  if (opt.runs < 1) throw value_error("timing: runs must be at least 1, got " + std::to_string(opt.runs));
  for (int w = 0; w < opt.warmup; ++w)
    for (const auto& f : fns) f();
  std::vector<std::vector<double>> samples(fns.size());
  // Alternate the order run by run (A B, B A, …) so neither callable always goes first.
  for (int r = 0; r < opt.runs; ++r) {
    for (std::size_t j = 0; j < fns.size(); ++j) {
      const std::size_t i = (r % 2 == 0) ? j : fns.size() - 1 - j;
      samples[i].push_back(sample(fns[i], opt.min_seconds));
    }
  }
  std::vector<Stats> out;
  out.reserve(fns.size());
  for (auto& s : samples) out.push_back(stats_of(std::move(s)));
  return out;
}

Stats measure(const std::function<void()>& fn, const Options& opt) { return interleaved({fn}, opt).front(); }

Comparison compare(const std::function<void()>& a, const std::function<void()>& b, const Options& opt) {
  auto s = interleaved({a, b}, opt);
  return {s[0], s[1]};
}

}  // namespace tt::timing
