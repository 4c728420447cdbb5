// OptimizedBackend: the transparent backend that picks one of module 15's kernels by problem shape.
// Not the kernels themselves (tt/accel/matmul.hpp) and not the backend hook (tt/matmul.hpp, core).
#pragma once

#include <cstddef>
#include <string>

#include "tt/matmul.hpp"

namespace tt::accel {

// The kernels the backend can choose from (naive and blocked are never the fastest, so they
// are not candidates; they stay in the course as teaching steps and oracles).
enum class Kernel { reordered, simd, parallel, blas };

// "reordered", "simd", "parallel", "blas"
std::string kernel_name(Kernel k);

// Where the backend switches kernels. The defaults were measured on the course machine with
// `m15_bench` (see the module README, Part 5): below the small-problem limits the packing of
// matmul_simd costs more than it saves; above parallel_min_flops a second thread pays off.
struct Thresholds {
  // Fewer rows than this in a: reordered (a vector-matrix product: packing a panel of b to use
  // it for one or two rows costs more than it saves).
  std::size_t simd_min_rows = 4;
  // Fewer FLOPs than this (2·m·n·k): reordered (call and packing overhead dominate).
  double simd_min_flops = 2.0 * 4 * 4 * 4;
  // At least this many FLOPs, threads > 1 and m >= 2: parallel (matmul_parallel with
  // threads()). Below it, handing half the rows to another thread (a wake-up, tens of
  // microseconds) costs more than the second core saves; at 192³ the two tie on the course
  // machine (README, Part 5).
  double parallel_min_flops = 2.0 * 192 * 192 * 192;
  // Threads for matmul_parallel; 0 means std::thread::hardware_concurrency(). 1 disables it.
  int threads = 0;
};

class OptimizedBackend : public Backend {
 public:
  explicit OptimizedBackend(Thresholds thresholds = {});

  // "optimized"
  std::string name() const override;
  // c = a · b with the kernel choose(m, n, k) names; shape_error on mismatch.
  // a: (m, k) · b: (k, n) → c: (m, n)
  void gemm(ConstMatrixRef a, ConstMatrixRef b, MatrixRef c) override;

  // The kernel gemm() uses for an (m, k)·(k, n) product, from the thresholds alone.
  Kernel choose(std::size_t m, std::size_t n, std::size_t k) const;
  // The kernel of the last gemm() call (for tests and the demo; not synchronized).
  Kernel last_kernel() const { return last_; }
  const Thresholds& thresholds() const { return thresholds_; }
  // The thread count matmul_parallel gets (threads, or the hardware's when threads == 0).
  int threads() const { return threads_; }

 private:
  Thresholds thresholds_;
  int threads_;
  Kernel last_ = Kernel::reordered;
};

// The process-wide instance with the measured defaults. Install it for a scope with
// `tt::BackendGuard g(tt::accel::optimized_backend());`.
OptimizedBackend& optimized_backend();

}  // namespace tt::accel
