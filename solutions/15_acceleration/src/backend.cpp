// Reference 15.7: OptimizedBackend, a tt::Backend that picks the fastest kernel by problem shape.
// Not a tuner: the thresholds are fixed numbers measured once with m15_bench (README, Part 5).
#include "tt/accel/backend.hpp"

#include <algorithm>
#include <thread>

#include "tt/accel/matmul.hpp"
#include "tt/errors.hpp"

namespace tt::accel {

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

std::string OptimizedBackend::name() const { return "optimized"; }

Kernel OptimizedBackend::choose(std::size_t m, std::size_t n, std::size_t k) const {
  const double flops = gemm_flops(m, n, k);
  if (m < thresholds_.simd_min_rows || flops < thresholds_.simd_min_flops) return Kernel::reordered;
  // Two threads need at least two row blocks worth splitting.
  if (threads_ > 1 && m >= 2 && flops >= thresholds_.parallel_min_flops) return Kernel::parallel;
  return Kernel::simd;
}

void OptimizedBackend::gemm(ConstMatrixRef a, ConstMatrixRef b, MatrixRef c) {
  check_gemm_shapes(a, b, c);
  last_ = choose(a.rows, b.cols, a.cols);
  switch (last_) {
    case Kernel::reordered:
      matmul_reordered(a, b, c);
      break;
    case Kernel::simd:
      matmul_simd(a, b, c);
      break;
    case Kernel::parallel:
      matmul_parallel(a, b, c, threads_);
      break;
    case Kernel::blas:
      matmul_blas(a, b, c);
      break;
  }
}

OptimizedBackend& optimized_backend() {
  static OptimizedBackend instance;
  return instance;
}

}  // namespace tt::accel
