// BottleneckAnalyzer (student file): ops from a profile, roofline classification, ranking, suggestions.
// Not the measurement of the roofs: roofline.cpp measures them and draws the chart.
#include "tt/profile/bottleneck.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "tt/errors.hpp"

namespace tt::profile {

// Given: text for reports and messages, not part of a task.
std::string to_string(Bound b) {
  switch (b) {
    case Bound::compute:
      return "compute";
    case Bound::memory:
      return "memory";
    case Bound::unknown:
      return "unknown";
  }
  return "unknown";
}

// Given: bookkeeping, not part of a task.
BottleneckAnalyzer BottleneckAnalyzer::measured(bool quick) { return BottleneckAnalyzer(measure_machine(quick)); }

// ---- 19.7: classification and ranking -------------------------------------------------------

std::vector<OpWork> ops_from_profile(const PerformanceProfiler& p) {
  // One OpWork per entry of p.ops_by_name(): name, calls, self and total seconds, FLOPs, and
  // bytes = kTrafficPerAllocatedByte × self bytes allocated.
  // TODO(19.7): convert.
  TT_UNIMPLEMENTED("19.7 ops_from_profile");
}

BottleneckAnalyzer::BottleneckAnalyzer(MachinePeaks peaks) : peaks_(peaks) {
  if (!(peaks.gflops > 0) || !(peaks.bandwidth_gbs > 0))
    throw value_error("BottleneckAnalyzer: both roofs must be positive, got " + std::to_string(peaks.gflops) +
                      " GFLOP/s and " + std::to_string(peaks.bandwidth_gbs) +
                      " GB/s; measure them with measure_machine()");
}

Bound BottleneckAnalyzer::classify(double intensity) const {
  // unknown for intensity ≤ 0 or NaN; memory below the ridge; compute at or above it.
  // TODO(19.7): compare with peaks_.ridge().
  TT_UNIMPLEMENTED("19.7 BottleneckAnalyzer::classify");
}

std::vector<OpAnalysis> BottleneckAnalyzer::analyze(const std::vector<OpWork>& ops) const {
  // Per op: share of the summed self time; intensity = flops / bytes (0 if either is 0);
  // achieved GFLOP/s = flops / total_seconds (self_seconds if total is 0); the bound; the
  // attainable rate at that intensity and the efficiency achieved / attainable (achieved / peak
  // when the bound is unknown but the op has FLOPs); suggest(). Then
  // rank by self time, largest first (a stable sort keeps ties in input order).
  // TODO(19.7): analyze and rank.
  TT_UNIMPLEMENTED("19.7 BottleneckAnalyzer::analyze");
}

// ---- 19.8: suggestions, report, chart -------------------------------------------------------

std::string BottleneckAnalyzer::suggest(const OpAnalysis& a) const {
  // One sentence naming the op, what bounds it and the module to use (see the header):
  // compute-bound below kLowEfficiency of its roof → module 15; compute-bound near it → modules
  // 17 and 18; memory-bound attention ("attention" or "attn" in the name) → module 16; other
  // memory-bound → modules 17 and 18; unknown but with a rate → its share of the peak and module
  // 15; unknown without FLOPs → give it a FLOP count. Write "module 15" etc.
  // TODO(19.8): the suggestion.
  TT_UNIMPLEMENTED("19.8 BottleneckAnalyzer::suggest");
}

std::string BottleneckAnalyzer::report(const std::vector<OpAnalysis>& ops) const {
  // The roofs, then one line per op: rank, name, calls, self ms, share, FLOP/B, GFLOP/s, % of
  // roof, bound (to_string), suggestion.
  // TODO(19.8): format the table.
  TT_UNIMPLEMENTED("19.8 BottleneckAnalyzer::report");
}

std::string BottleneckAnalyzer::roofline_svg(const std::vector<OpAnalysis>& ops, const std::string& title) const {
  // The ops with a known bound and a positive rate, as RooflinePoints, into profile::roofline_svg.
  // TODO(19.8): collect the points.
  TT_UNIMPLEMENTED("19.8 BottleneckAnalyzer::roofline_svg");
}

}  // namespace tt::profile
