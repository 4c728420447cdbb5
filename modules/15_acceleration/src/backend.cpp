// Student file for task 15.7: OptimizedBackend, a tt::Backend that picks the fastest kernel by problem shape.
// Not a tuner: the thresholds are fixed numbers measured once with m15_bench (README, Part 5).
#include "tt/accel/backend.hpp"

#include <algorithm>
#include <thread>

#include "tt/accel/matmul.hpp"
#include "tt/errors.hpp"

namespace tt::accel {

// Given: text for reports and messages, not part of a task.
std::string kernel_name(Kernel k) {
  switch (k) {
    case Kernel::reordered:
      return "reordered";
    case Kernel::simd:
      return "simd";
    case Kernel::parallel:
      return "parallel";
    case Kernel::blas:
      return "blas";
  }
  return "unknown";
}

OptimizedBackend::OptimizedBackend(Thresholds thresholds)
    : thresholds_(thresholds),
      threads_(thresholds.threads > 0 ? thresholds.threads
                                      : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()))) {}

// Given: text for reports and messages, not part of a task.
std::string OptimizedBackend::name() const { return "optimized"; }

Kernel OptimizedBackend::choose(std::size_t m, std::size_t n, std::size_t k) const {
  // The decision, from the thresholds only (thresholds_ and threads_):
  //  - reordered when m < simd_min_rows or 2·m·n·k < simd_min_flops
  //    (too small for packing to pay off);
  //  - parallel when threads_ > 1, m >= 2 and 2·m·n·k >= parallel_min_flops;
  //  - simd otherwise.
  // TODO(15.7): return the kernel for this shape.
  TT_UNIMPLEMENTED("15.7 OptimizedBackend::choose");
}

void OptimizedBackend::gemm(ConstMatrixRef a, ConstMatrixRef b, MatrixRef c) {
  // Check shapes, remember the choice in last_ (= choose(m, n, k) with m = a.rows,
  // n = b.cols, k = a.cols), then call that kernel (matmul_parallel with threads_).
  // Once this works, every layer of the core speeds up with no change to its code:
  // tt::BackendGuard g(tt::accel::optimized_backend()); model.forward(x);
  // TODO(15.7): dispatch to the chosen kernel.
  TT_UNIMPLEMENTED("15.7 OptimizedBackend::gemm");
}

// Given: bookkeeping, not part of a task.
OptimizedBackend& optimized_backend() {
  static OptimizedBackend instance;
  return instance;
}

}  // namespace tt::accel
