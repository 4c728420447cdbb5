// Provided course code: the out-of-process latency rounds, intervals and the anti-caching check
// (remote_measure.hpp). Not student code: every entry is measured by this same code.
#include "tt/capstone/remote_measure.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "tt/accel/backend.hpp"
#include "tt/capstone/model_io.hpp"
#include "tt/capstone/scoring.hpp"
#include "tt/matmul.hpp"
#include "tt/timer.hpp"
#include "tt/train.hpp"

namespace tt::capstone {

namespace {

// Student's t, two-sided 95 %, by degrees of freedom (1..10; larger use 2.0).
double t95(std::size_t dof) {
  static const double t[] = {0, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228};
  return dof >= 1 && dof <= 10 ? t[dof] : 2.0;
}

// measure_latency: timed queries per visit to a server, and where its untimed warm-up images start
// (far from the timed ones, so a warm-up never repeats a timed image).
constexpr std::size_t kVisitQueries = 4;
constexpr std::size_t kWarmupRow = 5000;

template <class F>
double cpu_ms(Clock& clock, int server, F&& call) {
  const double c0 = clock.cpu(server);
  call();
  return 1e3 * (clock.cpu(server) - c0);
}

}  // namespace

Tensor test_rows(const Dataset& d, std::size_t begin, std::size_t count) {
  const std::size_t per = d.images.size() / d.size();
  Tensor out = Tensor::from_shape({count, 1, 28, 28});
  for (std::size_t r = 0; r < count; ++r)
    std::copy_n(d.images.data() + ((begin + r) % d.size()) * per, per, out.data() + r * per);
  return out;
}

LatencyRounds measure_latency(const std::vector<RemoteEntry*>& servers, Clock& clock, const Dataset& test,
                              std::size_t rounds, std::size_t queries) {
  const std::size_t n = servers.size();
  LatencyRounds r;
  r.query_ms.assign(n, {});
  r.round_p50.assign(n, {});
  for (std::size_t round = 0; round < rounds; ++round) {
    std::vector<std::vector<double>> ms(n);
    for (std::size_t first = 0, visit = 0; first < queries; first += kVisitQueries, ++visit) {
      const std::size_t last = std::min(queries, first + kVisitQueries);
      for (std::size_t k = 0; k < n; ++k) {
        const std::size_t s = (k + visit + round) % n;
        // Untimed: brings this server's model back into the caches the other servers used.
        (void)servers[s]->classify(test_rows(test, kWarmupRow + round * queries + first, 1));
        for (std::size_t q = first; q < last; ++q) {
          const Tensor x = test_rows(test, round * queries + q, 1);
          ms[s].push_back(cpu_ms(clock, static_cast<int>(s), [&] { (void)servers[s]->classify(x); }));
        }
      }
    }
    for (std::size_t s = 0; s < n; ++s) {
      r.round_p50[s].push_back(percentile(ms[s], 50));
      r.query_ms[s].insert(r.query_ms[s].end(), ms[s].begin(), ms[s].end());
    }
  }
  return r;
}

Interval ratio_interval(const std::vector<double>& ratios) {
  Interval i;
  if (ratios.empty()) return i;
  std::vector<double> v = ratios;
  std::sort(v.begin(), v.end());
  const std::size_t drop = v.size() >= 5 ? 1 : 0;
  i.olympic_mean = std::accumulate(v.begin() + drop, v.end() - drop, 0.0) / double(v.size() - 2 * drop);
  const double mean = std::accumulate(v.begin(), v.end(), 0.0) / double(v.size());
  double ss = 0;
  for (double x : v) ss += (x - mean) * (x - mean);
  const double half = v.size() > 1 ? t95(v.size() - 1) * std::sqrt(ss / double(v.size() - 1) / double(v.size())) : 0;
  i.lo = mean - half;
  i.hi = mean + half;
  return i;
}

nlohmann::json interval_json(const Interval& i, const std::vector<double>& ratios) {
  return {{"per_round", ratios}, {"olympic_mean", i.olympic_mean}, {"ci95", {i.lo, i.hi}}};
}

AntiCaching anti_caching(RemoteEntry& entry, Clock& clock, int server, const Dataset& test, std::size_t queries) {
  const Tensor same = test_rows(test, 7, 1);
  std::vector<double> repeated, distinct;
  for (std::size_t q = 0; q < queries; ++q) {
    repeated.push_back(cpu_ms(clock, server, [&] { (void)entry.classify(same); }));
    const Tensor other = test_rows(test, 1000 + q, 1);
    distinct.push_back(cpu_ms(clock, server, [&] { (void)entry.classify(other); }));
  }
  AntiCaching a;
  a.repeated_p50_ms = percentile(repeated, 50);
  a.distinct_p50_ms = percentile(distinct, 50);
  a.suspicious = a.repeated_p50_ms < kCachingTolerance * a.distinct_p50_ms;
  return a;
}

nlohmann::json trainer_race(RemoteEntry& entry, const Dataset& test, const TrainerRace& race) {
  using nlohmann::json;
  json runs = json::array(), seconds = json::array(), accuracies = json::array(), errors = json::array();
  std::vector<double> ranked;  // a null run ranks as the slowest
  std::size_t train_images = 0;
  try {
    train_images = entry.load_training(race.request);  // from disk, once, untimed: the same for every entry
  } catch (const std::exception& e) {
    errors.push_back(std::string("loading the training split: ") + e.what());
  }
  for (std::size_t i = 0; i < race.runs; ++i) {
    if (!errors.empty()) {  // a trainer that failed once (not written yet, crashed) is not asked again
      runs.push_back(nullptr);
      seconds.push_back(nullptr);
      accuracies.push_back(nullptr);
      ranked.push_back(std::numeric_limits<double>::infinity());
      continue;
    }
    TrainRequest r = race.request;
    r.seed = i;
    json model;
    const double t0 = timing::now_seconds();
    try {
      model = entry.train(r, race.timeout_seconds);
    } catch (const std::exception& e) {
      errors.push_back("run " + std::to_string(i) + ": " + e.what());
    }
    const double wall = timing::now_seconds() - t0;
    double acc = -1;
    if (errors.empty()) {
      try {
        Sequential rebuilt = import_classifier(model);
        BackendGuard g(accel::optimized_backend());  // the course's kernels: evaluation is not timed
        acc = evaluate(rebuilt, test);
      } catch (const std::exception& e) {
        errors.push_back("run " + std::to_string(i) + ": the returned model cannot be evaluated: " + e.what());
      }
    }
    const bool reached = acc >= race.request.target_accuracy;
    runs.push_back(reached ? json(wall) : json(nullptr));
    seconds.push_back(acc >= 0 ? json(wall) : json(nullptr));
    accuracies.push_back(acc >= 0 ? json(acc) : json(nullptr));
    ranked.push_back(reached ? wall : std::numeric_limits<double>::infinity());
  }
  std::size_t reached = 0;
  for (double v : ranked) reached += std::isfinite(v) ? 1 : 0;
  // The median with nulls as +inf (an even count averages the middle two; inf stays inf, never NaN).
  std::sort(ranked.begin(), ranked.end());
  const std::size_t mid = ranked.size() / 2;
  const double median = ranked.empty() ? std::numeric_limits<double>::infinity()
                        : ranked.size() % 2 == 1
                            ? ranked[mid]
                            : (std::isfinite(ranked[mid]) ? (ranked[mid - 1] + ranked[mid]) / 2 : ranked[mid]);
  return {{"dataset", race.request.dataset},
          {"target_accuracy", race.request.target_accuracy},
          {"max_epochs", race.request.max_epochs},
          {"timeout_seconds", race.timeout_seconds},
          {"train_images", train_images},
          {"test_images", test.size()},
          {"clock",
           "the harness's wall clock, from the train request to the returned model (training and export; "
           "the split was loaded before, untimed)"},
          {"runs", runs},
          {"seconds", seconds},
          {"accuracies", accuracies},
          {"median_seconds", std::isfinite(median) ? json(median) : json(nullptr)},
          {"reached", reached},
          {"errors", errors}};
}

}  // namespace tt::capstone
