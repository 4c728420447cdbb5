// The roofline (student file): the FMA-loop and stream-copy measurements, the roofline, its SVG chart.
// Not the analysis of ops: bottleneck.cpp classifies and ranks them.
#include "tt/profile/roofline.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <sstream>
#include <vector>

#include <xsimd/xsimd.hpp>

#include "tt/errors.hpp"
#include "tt/timer.hpp"

namespace tt::profile {

// ---- 19.6: the roofs ----------------------------------------------------------------------

double MachinePeaks::ridge() const {
  // FLOP/byte where the roofs meet (0 if the bandwidth is not positive).
  // TODO(19.6): gflops / bandwidth_gbs.
  TT_UNIMPLEMENTED("19.6 MachinePeaks::ridge");
}

double MachinePeaks::attainable_gflops(double intensity) const {
  // The roofline: bandwidth-limited below the ridge, compute-limited above; 0 for intensity ≤ 0
  // (and NaN).
  // TODO(19.6): min of the two roofs.
  TT_UNIMPLEMENTED("19.6 MachinePeaks::attainable_gflops");
}

double measure_peak_gflops(double seconds) {
  // Keep kFmaChains accumulators of xsimd::batch<float> and update each with
  // acc = xsimd::fma(acc, m, a) in a loop: the chains are independent, so the two FMA units
  // stay busy despite the FMA latency. Each FMA on a batch is 2·batch::size FLOPs. Run chunks
  // of iterations until `seconds` (split over a few runs) have passed, keep the best rate, and
  // use the accumulators at the end (add them into a volatile) so the compiler keeps the loop.
  // TODO(19.6): the FMA loop.
  TT_UNIMPLEMENTED("19.6 measure_peak_gflops");
}

double measure_bandwidth_gbs(std::size_t bytes, double seconds) {
  // Refuse buffers under 1 MiB (tt::value_error): they would fit in a cache. Allocate and touch
  // two buffers (so page faults are not timed), std::memcpy one into the other until `seconds`
  // (split over a few runs) have passed; each copy moves 2·bytes (read + write). Best rate, GB/s.
  // TODO(19.6): the stream copy.
  TT_UNIMPLEMENTED("19.6 measure_bandwidth_gbs");
}

// Given: bookkeeping, not part of a task.
MachinePeaks measure_machine(bool quick) {
  MachinePeaks p;
  p.gflops = measure_peak_gflops(quick ? 0.03 : 0.15);
  p.bandwidth_gbs = measure_bandwidth_gbs(kStreamBytes, quick ? 0.06 : 0.3);
  return p;
}

// ---- 19.8: the chart ----------------------------------------------------------------------

namespace {
// Labels go into XML: escape &, <, > and ".
[[maybe_unused]] std::string xml_escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '&':
        o += "&amp;";
        break;
      case '<':
        o += "&lt;";
        break;
      case '>':
        o += "&gt;";
        break;
      case '"':
        o += "&quot;";
        break;
      default:
        o += c;
    }
  }
  return o;
}
}  // namespace

std::string roofline_svg(const MachinePeaks& peaks, const std::vector<RooflinePoint>& points,
                         const std::string& title) {
  // tt::value_error unless both roofs are positive. Keep the points with positive, finite
  // intensity and gflops. Choose log10 axis ranges in whole decades covering the ridge (÷10 … ×10),
  // the peak and every point; map x = log10(intensity), y = log10(GFLOP/s) to pixels. Draw: a
  // white background, the (escaped) title, decade grid lines with labels, axis titles, the roof
  // as one <polyline> (bandwidth·I up to the ridge, then flat at the peak), a dashed line at the
  // ridge, and per point a <circle> with a <title> and a text label (xml_escape every label).
  // TODO(19.8): write the SVG.
  TT_UNIMPLEMENTED("19.8 roofline_svg");
}

}  // namespace tt::profile
