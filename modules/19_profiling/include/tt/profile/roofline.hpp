// The roofline model: the machine's two roofs (peak GFLOP/s, memory bandwidth), measured, and its chart.
// Not a hardware counter reader: peaks come from two small loops timed on this core.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace tt::profile {

// Default working set of the bandwidth loop: far larger than any cache level.
inline constexpr std::size_t kStreamBytes = std::size_t{64} << 20;
// Independent FMA chains in the peak loop: enough to hide the FMA latency on two FMA ports.
inline constexpr int kFmaChains = 12;

// The two roofs of one core.
struct MachinePeaks {
  double gflops = 0;         // peak FP32 GFLOP/s (an FMA counts 2 FLOPs)
  double bandwidth_gbs = 0;  // memory bandwidth in GB/s (bytes read + bytes written per second)

  // Arithmetic intensity (FLOP/byte) where the roofs meet: gflops / bandwidth_gbs.
  double ridge() const;
  // The roofline: min(gflops, bandwidth_gbs · intensity); 0 for intensity ≤ 0.
  double attainable_gflops(double intensity) const;
};

// Peak FP32 GFLOP/s of this core: kFmaChains independent chains of SIMD FMAs (xsimd::batch<float>)
// repeated for about `seconds`; returns FLOPs / time of the best of a few runs.
double measure_peak_gflops(double seconds = 0.1);
// Memory bandwidth (GB/s) of this core: copies a `bytes` buffer into another (a stream copy)
// repeatedly for about `seconds`; counts bytes read + bytes written; best of a few runs.
// tt::value_error if bytes < 1 MiB.
double measure_bandwidth_gbs(std::size_t bytes = kStreamBytes, double seconds = 0.1);
// Both, with shorter loops when `quick`.
MachinePeaks measure_machine(bool quick = false);

// A point on the chart: an op at its arithmetic intensity and measured rate.
struct RooflinePoint {
  std::string label;
  double intensity = 0;  // FLOP/byte
  double gflops = 0;     // achieved
};

// A log-log roofline chart as a standalone SVG document: both roofs, the ridge, one labelled
// circle per point (points with intensity or gflops ≤ 0 are left out).
std::string roofline_svg(const MachinePeaks& peaks, const std::vector<RooflinePoint>& points,
                         const std::string& title = "Roofline");

}  // namespace tt::profile
