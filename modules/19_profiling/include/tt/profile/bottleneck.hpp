// BottleneckAnalyzer: ranks a profile's ops by self time and places each on the roofline.
// Not an optimizer: it says what bounds each op and which module's technique would help.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "tt/profile/profiler.hpp"
#include "tt/profile/roofline.hpp"

namespace tt::profile {

// What limits an op: the compute roof, the memory roof, or unknown (no FLOP count).
enum class Bound { compute, memory, unknown };
// "compute", "memory", "unknown"
std::string to_string(Bound b);

// Bytes of memory traffic per tracked byte an op allocated: its output is written once and about
// as many bytes are read. A rough estimate; give OpWork::bytes yourself when you know better.
inline constexpr double kTrafficPerAllocatedByte = 2.0;
// Below this share of the attainable rate an op is "far below its roof".
inline constexpr double kLowEfficiency = 0.25;

// The analyzer's input: one op, all its calls merged.
struct OpWork {
  std::string name;
  std::size_t calls = 0;
  double self_seconds = 0;   // time in the op itself (ranking)
  double total_seconds = 0;  // time including its children (the rate: flops / total_seconds)
  double flops = 0;
  double bytes = 0;  // memory traffic
};

struct OpAnalysis {
  OpWork op;
  double share = 0;              // op.self_seconds / sum of all ops' self_seconds
  double intensity = 0;          // flops / bytes (0 when either is unknown)
  double gflops = 0;             // achieved: flops / total_seconds / 1e9
  double attainable_gflops = 0;  // the roofline at this intensity
  double efficiency = 0;         // gflops / attainable_gflops (/ peak gflops when bytes are unknown)
  Bound bound = Bound::unknown;
  std::string suggestion;  // what to try, naming the module (15–18) that teaches it
};

// The profiler's ops (hook scopes merged by name, regions left out) as analyzer input, bytes
// estimated as kTrafficPerAllocatedByte × self bytes allocated.
std::vector<OpWork> ops_from_profile(const PerformanceProfiler& p);

class BottleneckAnalyzer {
 public:
  // With given roofs (tests inject them, so classification is deterministic).
  explicit BottleneckAnalyzer(MachinePeaks peaks);
  // With roofs measured now (measure_machine(quick)).
  static BottleneckAnalyzer measured(bool quick = false);
  const MachinePeaks& peaks() const { return peaks_; }

  // memory below the ridge, compute at or above it; unknown for intensity ≤ 0 or NaN.
  Bound classify(double intensity) const;
  // Every op analyzed, ranked by self time (largest first).
  std::vector<OpAnalysis> analyze(const std::vector<OpWork>& ops) const;
  std::vector<OpAnalysis> analyze(const PerformanceProfiler& p) const { return analyze(ops_from_profile(p)); }
  // One sentence for an analyzed op: compute-bound far below the roof → the optimized backend
  // (module 15); compute-bound near the roof → less work: INT8 (module 17), pruning (module 18);
  // memory-bound attention → a KV cache (module 16); other memory-bound ops → fewer bytes: INT8
  // weights (module 17), sparse weights (module 18); unknown with FLOPs (no bytes) → its share
  // of the compute peak and module 15; unknown without FLOPs → give the op a FLOP count.
  std::string suggest(const OpAnalysis& a) const;
  // A text table: rank, op, calls, self ms, share, FLOP/B, GFLOP/s, % of roof, bound, suggestion.
  std::string report(const std::vector<OpAnalysis>& ops) const;
  // The roofline chart with one point per op that has a FLOP count.
  std::string roofline_svg(const std::vector<OpAnalysis>& ops, const std::string& title = "Roofline") const;

 private:
  MachinePeaks peaks_;
};

}  // namespace tt::profile
