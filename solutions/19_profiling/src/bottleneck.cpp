// Reference BottleneckAnalyzer: ops from a profile, roofline classification, ranking and suggestions.
// Not the measurements of the roofs: roofline.cpp measures them and draws the chart.
#include "tt/profile/bottleneck.hpp"
#include "tt/profile/text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "tt/errors.hpp"

namespace tt::profile {

namespace {
bool contains(const std::string& s, const char* word) { return s.find(word) != std::string::npos; }
}  // namespace

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

BottleneckAnalyzer BottleneckAnalyzer::measured(bool quick) { return BottleneckAnalyzer(measure_machine(quick)); }

// ---- 19.7: classification and ranking -------------------------------------------------------

std::vector<OpWork> ops_from_profile(const PerformanceProfiler& p) {
  std::vector<OpWork> ops;
  for (const auto& s : p.ops_by_name()) {
    OpWork w;
    w.name = s.name;
    w.calls = s.calls;
    w.self_seconds = s.self_seconds;
    w.total_seconds = s.total_seconds;
    w.flops = s.flops;
    w.bytes = kTrafficPerAllocatedByte * static_cast<double>(s.self_bytes_allocated);
    ops.push_back(w);
  }
  return ops;
}

BottleneckAnalyzer::BottleneckAnalyzer(MachinePeaks peaks) : peaks_(peaks) {
  if (!(peaks.gflops > 0) || !(peaks.bandwidth_gbs > 0))
    throw value_error("BottleneckAnalyzer: both roofs must be positive, got " + fixed(peaks.gflops, 3) +
                      " GFLOP/s and " + fixed(peaks.bandwidth_gbs, 3) + " GB/s; measure them with measure_machine()");
}

Bound BottleneckAnalyzer::classify(double intensity) const {
  if (!(intensity > 0)) return Bound::unknown;  // also NaN
  return intensity < peaks_.ridge() ? Bound::memory : Bound::compute;
}

std::vector<OpAnalysis> BottleneckAnalyzer::analyze(const std::vector<OpWork>& ops) const {
  double self_total = 0;
  for (const auto& w : ops) self_total += w.self_seconds;
  std::vector<OpAnalysis> out;
  out.reserve(ops.size());
  for (const auto& w : ops) {
    OpAnalysis a;
    a.op = w;
    a.share = self_total > 0 ? w.self_seconds / self_total : 0;
    a.intensity = (w.flops > 0 && w.bytes > 0) ? w.flops / w.bytes : 0;
    const double secs = w.total_seconds > 0 ? w.total_seconds : w.self_seconds;
    a.gflops = (w.flops > 0 && secs > 0) ? w.flops / secs * 1e-9 : 0;
    a.bound = classify(a.intensity);
    a.attainable_gflops = peaks_.attainable_gflops(a.intensity);
    // Without a byte count the op is off the chart, but its rate can still be held to the peak.
    const double roof = a.attainable_gflops > 0 ? a.attainable_gflops : peaks_.gflops;
    a.efficiency = a.gflops > 0 ? a.gflops / roof : 0;
    a.suggestion = suggest(a);
    out.push_back(std::move(a));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const OpAnalysis& x, const OpAnalysis& y) { return x.op.self_seconds > y.op.self_seconds; });
  return out;
}

// ---- 19.8: suggestions, report, chart -------------------------------------------------------

std::string BottleneckAnalyzer::suggest(const OpAnalysis& a) const {
  const std::string pct = fixed(a.efficiency * 100, 0) + "%";
  switch (a.bound) {
    case Bound::unknown:
      if (a.gflops > 0)
        return a.op.name + " runs at " + pct +
               " of the compute peak; it allocated no bytes, so its intensity is unknown: if it is a matmul, "
               "install the optimized backend (module 15)";
      return a.op.name + " reports no FLOP count: open its TT_PROFILE_SCOPE with its FLOPs to place it on the roofline";
    case Bound::compute:
      if (a.efficiency < kLowEfficiency)
        return a.op.name + " is compute-bound at " + pct +
               " of peak: install the optimized backend (module 15: blocking, SIMD, BLAS)";
      return a.op.name + " is compute-bound at " + pct +
             " of peak, near its roof: do less work: INT8 arithmetic (module 17) or pruning (module 18)";
    case Bound::memory:
      if (contains(a.op.name, "attention") || contains(a.op.name, "attn"))
        return a.op.name + " is memory-bound (" + fixed(a.intensity, 2) +
               " FLOP/B): during generation, cache keys and values instead of recomputing them (module 16)";
      return a.op.name + " is memory-bound (" + fixed(a.intensity, 2) + " FLOP/B < ridge " + fixed(peaks_.ridge(), 2) +
             "): move fewer bytes: INT8 weights (module 17), sparse weights (module 18), fuse elementwise ops";
  }
  return "";
}

std::string BottleneckAnalyzer::report(const std::vector<OpAnalysis>& ops) const {
  std::ostringstream o;
  o << "Roofs: " << fixed(peaks_.gflops, 1) << " GFLOP/s, " << fixed(peaks_.bandwidth_gbs, 1) << " GB/s, ridge "
    << fixed(peaks_.ridge(), 2) << " FLOP/B\n";
  o << pad("#", 4) << pad("op", 16) << pad("calls", 7, false) << pad("self ms", 10, false) << pad("share", 8, false)
    << pad("FLOP/B", 9, false) << pad("GFLOP/s", 10, false) << pad("% roof", 8, false) << "  " << pad("bound", 9)
    << "suggestion\n";
  int rank = 1;
  for (const auto& a : ops) {
    o << pad(std::to_string(rank++), 4) << pad(a.op.name, 16) << pad(std::to_string(a.op.calls), 7, false)
      << pad(fixed(a.op.self_seconds * 1e3, 3), 10, false) << pad(fixed(a.share * 100, 1) + "%", 8, false)
      << pad(a.intensity > 0 ? fixed(a.intensity, 2) : "-", 9, false)
      << pad(a.gflops > 0 ? fixed(a.gflops, 2) : "-", 10, false)
      << pad(a.attainable_gflops > 0 ? fixed(a.efficiency * 100, 1) + "%" : "-", 8, false) << "  "
      << pad(to_string(a.bound), 9) << a.suggestion << "\n";
  }
  return o.str();
}

std::string BottleneckAnalyzer::roofline_svg(const std::vector<OpAnalysis>& ops, const std::string& title) const {
  std::vector<RooflinePoint> pts;
  for (const auto& a : ops)
    if (a.bound != Bound::unknown && a.gflops > 0) pts.push_back(RooflinePoint{a.op.name, a.intensity, a.gflops});
  return profile::roofline_svg(peaks_, pts, title);
}

}  // namespace tt::profile
