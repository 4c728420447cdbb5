// Reference 15.1–15.2: arithmetic intensity, and the naive (i-j-k) and reordered (i-k-j) loops.
// Not fast code: these are the baseline and the oracle every faster kernel is checked against.
#include <string>

#include "tt/accel/matmul.hpp"
#include "tt/errors.hpp"

namespace tt::accel {

double arithmetic_intensity(std::size_t m, std::size_t n, std::size_t k) {
  if (m == 0 || n == 0 || k == 0)
    throw value_error("arithmetic_intensity: sizes must be >= 1, got m=" + std::to_string(m) +
                      " n=" + std::to_string(n) + " k=" + std::to_string(k));
  const double bytes =
      4.0 * (static_cast<double>(m) * static_cast<double>(k) + static_cast<double>(k) * static_cast<double>(n) +
             static_cast<double>(m) * static_cast<double>(n));
  return gemm_flops(m, n, k) / bytes;
}

void matmul_naive(ConstMatrixRef a, ConstMatrixRef b, MatrixRef c) {
  check_gemm_shapes(a, b, c);
  for (std::size_t i = 0; i < a.rows; ++i) {
    for (std::size_t j = 0; j < b.cols; ++j) {
      float sum = 0.0F;
      for (std::size_t p = 0; p < a.cols; ++p) sum += a(i, p) * b(p, j);
      c(i, j) = sum;
    }
  }
}

void matmul_reordered(ConstMatrixRef a, ConstMatrixRef b, MatrixRef c) {
  check_gemm_shapes(a, b, c);
  const std::size_t n = b.cols;
  for (std::size_t i = 0; i < a.rows; ++i) {
    float* __restrict crow = &c(i, 0);
    for (std::size_t j = 0; j < n; ++j) crow[j] = 0.0F;
    for (std::size_t p = 0; p < a.cols; ++p) {
      const float aip = a(i, p);
      if (b.col_stride == 1) {
        // The common case: b's row p is contiguous, so this loop vectorizes.
        const float* __restrict brow = &b.data[static_cast<std::ptrdiff_t>(p) * b.row_stride];
        for (std::size_t j = 0; j < n; ++j) crow[j] += aip * brow[j];
      } else {
        for (std::size_t j = 0; j < n; ++j) crow[j] += aip * b(p, j);
      }
    }
  }
}

}  // namespace tt::accel
