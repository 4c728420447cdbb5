// Reference roofline: the FMA-loop and stream-copy measurements, the roofline function and its SVG chart.
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

double MachinePeaks::ridge() const { return bandwidth_gbs > 0 ? gflops / bandwidth_gbs : 0; }

double MachinePeaks::attainable_gflops(double intensity) const {
  if (!(intensity > 0)) return 0;
  return std::min(gflops, bandwidth_gbs * intensity);
}

namespace {
// One timed run of the FMA loop: `iters` rounds of kFmaChains independent FMAs. Returns FLOPs.
double fma_loop(std::size_t iters, float* sink) {
  using batch = xsimd::batch<float>;
  std::array<batch, kFmaChains> acc;
  for (int i = 0; i < kFmaChains; ++i) acc[i] = batch(1.0F + 0.01F * static_cast<float>(i));
  const batch m(0.999999F);
  const batch a(1e-7F);
  for (std::size_t it = 0; it < iters; ++it)
    for (int i = 0; i < kFmaChains; ++i) acc[i] = xsimd::fma(acc[i], m, a);
  batch total = acc[0];
  for (int i = 1; i < kFmaChains; ++i) total += acc[i];
  *sink += xsimd::hadd(total);  // keeps the loop from being optimized away
  return 2.0 * static_cast<double>(batch::size) * kFmaChains * static_cast<double>(iters);
}
}  // namespace

double measure_peak_gflops(double seconds) {
  constexpr std::size_t kChunk = 1 << 16;
  static volatile float sink = 0;
  float local = 0;
  fma_loop(kChunk, &local);  // warm-up (clock ramp)
  double best = 0;
  const int runs = 3;
  for (int r = 0; r < runs; ++r) {
    double flops = 0;
    const double t0 = timing::now_seconds();
    double t1 = 0;
    do {
      flops += fma_loop(kChunk, &local);
      t1 = timing::now_seconds();
    } while (t1 - t0 < seconds / runs);
    best = std::max(best, flops / (t1 - t0) * 1e-9);
  }
  sink = sink + local;
  return best;
}

double measure_bandwidth_gbs(std::size_t bytes, double seconds) {
  if (bytes < (std::size_t{1} << 20))
    throw value_error("measure_bandwidth_gbs: the buffer must be at least 1 MiB (far larger than the caches), got " +
                      std::to_string(bytes) + " bytes");
  std::vector<char> src(bytes, 1);
  std::vector<char> dst(bytes, 0);  // touched, so page faults are not timed
  double best = 0;
  const int runs = 3;
  for (int r = 0; r < runs; ++r) {
    double moved = 0;
    const double t0 = timing::now_seconds();
    double t1 = 0;
    do {
      std::memcpy(dst.data(), src.data(), bytes);
      moved += 2.0 * static_cast<double>(bytes);  // read + write
      t1 = timing::now_seconds();
    } while (t1 - t0 < seconds / runs);
    best = std::max(best, moved / (t1 - t0) * 1e-9);
    src[r] = dst[bytes - 1 - r];  // a dependency so the copies stay
  }
  return best;
}

MachinePeaks measure_machine(bool quick) {
  MachinePeaks p;
  p.gflops = measure_peak_gflops(quick ? 0.03 : 0.15);
  p.bandwidth_gbs = measure_bandwidth_gbs(kStreamBytes, quick ? 0.06 : 0.3);
  return p;
}

// ---- 19.8: the chart ----------------------------------------------------------------------

namespace {
std::string xml_escape(const std::string& s) {
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
std::string num(double v) {
  std::ostringstream o;
  o.precision(4);
  o << v;
  return o.str();
}
}  // namespace

std::string roofline_svg(const MachinePeaks& peaks, const std::vector<RooflinePoint>& points,
                         const std::string& title) {
  if (!(peaks.gflops > 0) || !(peaks.bandwidth_gbs > 0))
    throw value_error("roofline_svg: both roofs must be positive (gflops " + num(peaks.gflops) + ", bandwidth " +
                      num(peaks.bandwidth_gbs) + " GB/s); measure them with measure_machine()");
  std::vector<RooflinePoint> pts;
  for (const auto& p : points)
    if (p.intensity > 0 && p.gflops > 0 && std::isfinite(p.intensity) && std::isfinite(p.gflops)) pts.push_back(p);
  // Axis ranges in decades, covering the ridge, the peak and every point.
  double xlo = peaks.ridge() / 10, xhi = peaks.ridge() * 10, ylo = peaks.gflops / 100, yhi = peaks.gflops * 2;
  for (const auto& p : pts) {
    xlo = std::min(xlo, p.intensity / 2);
    xhi = std::max(xhi, p.intensity * 2);
    ylo = std::min(ylo, p.gflops / 2);
    yhi = std::max(yhi, p.gflops * 2);
  }
  const double lx0 = std::floor(std::log10(xlo)), lx1 = std::ceil(std::log10(xhi));
  const double ly0 = std::floor(std::log10(ylo)), ly1 = std::ceil(std::log10(yhi));
  constexpr double W = 760, H = 500, L = 80, R = 30, T = 50, B = 60;
  auto X = [&](double v) { return L + (std::log10(v) - lx0) / (lx1 - lx0) * (W - L - R); };
  auto Y = [&](double v) { return H - B - (std::log10(v) - ly0) / (ly1 - ly0) * (H - T - B); };
  std::ostringstream o;
  o << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << W << "\" height=\"" << H << "\" viewBox=\"0 0 " << W
    << " " << H << "\" font-family=\"sans-serif\" font-size=\"12\">\n";
  o << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  o << "<text x=\"" << W / 2 << "\" y=\"28\" text-anchor=\"middle\" font-size=\"16\">" << xml_escape(title)
    << "</text>\n";
  // Grid and decade labels.
  for (int i = 0; lx0 + i <= lx1 + 1e-9; ++i) {
    const double d = lx0 + i;
    const double x = X(std::pow(10, d));
    o << "<line x1=\"" << x << "\" y1=\"" << T << "\" x2=\"" << x << "\" y2=\"" << H - B
      << "\" stroke=\"#ddd\"/>\n<text x=\"" << x << "\" y=\"" << H - B + 18 << "\" text-anchor=\"middle\">"
      << num(std::pow(10, d)) << "</text>\n";
  }
  for (int i = 0; ly0 + i <= ly1 + 1e-9; ++i) {
    const double d = ly0 + i;
    const double y = Y(std::pow(10, d));
    o << "<line x1=\"" << L << "\" y1=\"" << y << "\" x2=\"" << W - R << "\" y2=\"" << y
      << "\" stroke=\"#ddd\"/>\n<text x=\"" << L - 6 << "\" y=\"" << y + 4 << "\" text-anchor=\"end\">"
      << num(std::pow(10, d)) << "</text>\n";
  }
  o << "<rect x=\"" << L << "\" y=\"" << T << "\" width=\"" << W - L - R << "\" height=\"" << H - T - B
    << "\" fill=\"none\" stroke=\"black\"/>\n";
  o << "<text x=\"" << (L + W - R) / 2 << "\" y=\"" << H - 15
    << "\" text-anchor=\"middle\">arithmetic intensity (FLOP/byte)</text>\n";
  o << "<text transform=\"translate(20," << (T + H - B) / 2
    << ") rotate(-90)\" text-anchor=\"middle\">GFLOP/s</text>\n";
  // The roofs: bandwidth·I up to the ridge, then the flat compute roof.
  const double xmin = std::pow(10, lx0), xmax = std::pow(10, lx1), ridge = peaks.ridge();
  const double ystart = std::max(peaks.bandwidth_gbs * xmin, std::pow(10, ly0));
  const double xstart = ystart / peaks.bandwidth_gbs;
  o << "<polyline class=\"roof\" fill=\"none\" stroke=\"#c00\" stroke-width=\"2.5\" points=\"" << X(xstart) << ","
    << Y(ystart) << " " << X(ridge) << "," << Y(peaks.gflops) << " " << X(xmax) << "," << Y(peaks.gflops) << "\"/>\n";
  o << "<line x1=\"" << X(ridge) << "\" y1=\"" << Y(peaks.gflops) << "\" x2=\"" << X(ridge) << "\" y2=\"" << H - B
    << "\" stroke=\"#c00\" stroke-dasharray=\"4 4\"/>\n";
  o << "<text x=\"" << X(ridge) + 6 << "\" y=\"" << Y(peaks.gflops) - 8 << "\" fill=\"#c00\">peak " << num(peaks.gflops)
    << " GFLOP/s, " << num(peaks.bandwidth_gbs) << " GB/s, ridge " << num(ridge) << " FLOP/B</text>\n";
  for (const auto& p : pts) {
    o << "<circle class=\"op\" cx=\"" << X(p.intensity) << "\" cy=\"" << Y(p.gflops)
      << "\" r=\"5\" fill=\"#1f77b4\"><title>" << xml_escape(p.label) << ": " << num(p.intensity) << " FLOP/B, "
      << num(p.gflops) << " GFLOP/s</title></circle>\n";
    o << "<text x=\"" << X(p.intensity) + 8 << "\" y=\"" << Y(p.gflops) + 4 << "\">" << xml_escape(p.label)
      << "</text>\n";
  }
  o << "</svg>\n";
  return o.str();
}

}  // namespace tt::profile
