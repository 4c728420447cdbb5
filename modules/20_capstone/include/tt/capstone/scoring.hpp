// Latency statistics, the accuracy gate and the accuracy/size score of the capstone's categories.
// Not the ranking itself (leaderboard.hpp): these are the numbers a ranking sorts on.
#pragma once

#include <cstddef>
#include <vector>

namespace tt::capstone {

// The gate: an entry must keep this share of the fp32 baseline's accuracy to be ranked.
inline constexpr double kAccuracyGate = 0.99;
// Exponent of the accuracy ratio in the trade-off score (accuracy matters a lot near 1).
inline constexpr double kAccuracyWeight = 10.0;

// 20.2 — the q-th percentile (q in [0, 100]) with linear interpolation between closest ranks
// (NumPy's default): sorted x, position p = q/100 · (n − 1), x[floor p] + frac(p)·(x[ceil p] − x[floor p]).
// value_error on an empty sample, q outside [0, 100] or a NaN value.
double percentile(std::vector<double> samples, double q);

// 20.2 — accuracy ≥ kAccuracyGate · baseline_accuracy. value_error unless baseline_accuracy is in
// (0, 1] and accuracy in [0, 1].
bool passes_gate(double accuracy, double baseline_accuracy);

// 20.2 — the "best accuracy/size trade-off" score:
//   (accuracy / baseline_accuracy)^kAccuracyWeight · (baseline_bytes / model_bytes)
// The baseline scores 1; 4× smaller at the same accuracy scores 4; losing 1% of accuracy costs
// about 10%. value_error for bytes of 0 or accuracies outside the ranges of passes_gate.
double tradeoff_score(double accuracy, double baseline_accuracy, std::size_t model_bytes, std::size_t baseline_bytes);

}  // namespace tt::capstone
