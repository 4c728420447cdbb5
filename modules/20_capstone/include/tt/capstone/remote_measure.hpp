// The harness's measurements of entries answering in other processes: single-query latency on each
// server's CPU clock in interleaved rounds, the interval of a ratio across rounds, and the
// anti-caching check. Not the in-process harness (harness.hpp), which m20_submit uses at home.
#pragma once

#include <cstddef>
#include <vector>

#include <nlohmann/json.hpp>

#include "tt/capstone/protocol.hpp"
#include "tt/fashion_mnist.hpp"

namespace tt::capstone {

// Per server: every query's CPU milliseconds, and each round's median.
struct LatencyRounds {
  std::vector<std::vector<double>> query_ms;   // [server][query]
  std::vector<std::vector<double>> round_p50;  // [server][round]
};

// `rounds` rounds of `queries` single-image queries. The servers take turns in short visits (the
// order rotating from visit to visit): one untimed warm-up query, so the model answers with warm
// caches as a deployed one does, then 4 timed queries. Each server's timings are spread over the
// whole round, so a disturbance of the machine moves a few of every server's queries, not one
// server's whole round. Each query timed on that server's CPU clock.
// servers[i] is clock server i.
LatencyRounds measure_latency(const std::vector<RemoteEntry*>& servers, Clock& clock, const Dataset& test,
                              std::size_t rounds, std::size_t queries);

// The olympic mean (without the smallest and largest, from 5 values) of per-round ratios and a
// 95 % interval of their mean (Student's t over all rounds).
struct Interval {
  double olympic_mean = 0, lo = 0, hi = 0;
};
Interval ratio_interval(const std::vector<double>& ratios);
nlohmann::json interval_json(const Interval& i, const std::vector<double>& ratios);

// The same image asked `queries` times against as many distinct images, interleaved, on server
// `server`'s CPU clock: an entry that remembers answers is much faster on the repeated one.
struct AntiCaching {
  double repeated_p50_ms = 0, distinct_p50_ms = 0;
  bool suspicious = false;  // repeated more than 10 % faster than distinct
};
inline constexpr double kCachingTolerance = 0.9;
AntiCaching anti_caching(RemoteEntry& entry, Clock& clock, int server, const Dataset& test, std::size_t queries);

// The fastest-trainer race (20.6, DAWNBench-style): the entry loads the training split (untimed), then
// `runs` train requests (seeds 0, 1, …), each timed on this process's wall clock from the request to
// the returned model; each model rebuilt here
// (model_io) and evaluated on `test`. A run whose model stays under the target, or whose trainer
// failed, is null and counts as the slowest.
struct TrainerRace {
  std::size_t runs = 3;
  double timeout_seconds = 30;  // per run; a run over it is null and ends the race
  TrainRequest request;         // the dataset, its folder, the target and max_epochs (the seed is the run's)
};
// {"dataset", "target_accuracy", "max_epochs", "train_images", "test_images", "runs": [seconds | null], "seconds":
// [wall seconds of every run that returned a model, else null], "accuracies": [accuracy | null], "median_seconds" (null
// when the median run is a null), "reached", "errors": [the first failure, if any]}.
nlohmann::json trainer_race(RemoteEntry& entry, const Dataset& test, const TrainerRace& race);

// Rows [begin, begin + count) of the test images, wrapping around (N, 1, 28, 28).
Tensor test_rows(const Dataset& d, std::size_t begin, std::size_t count);

}  // namespace tt::capstone
