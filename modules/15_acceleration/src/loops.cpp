// Student file for tasks 15.1–15.2: arithmetic intensity, and the naive (i-j-k) and reordered (i-k-j) loops.
// Not fast code: these are the baseline and the oracle every faster kernel is checked against.
#include "tt/accel/matmul.hpp"
#include "tt/errors.hpp"

namespace tt::accel {

double arithmetic_intensity(std::size_t m, std::size_t n, std::size_t k) {
  // FLOPs per byte of the minimum traffic: tt::gemm_flops(m, n, k) FLOPs over 4 bytes for
  // each float of a (m·k), b (k·n) and c (m·n). Compute in double: 1024³ overflows nothing
  // there, and the answer is fractional. Reject a zero size with tt::value_error.
  // TODO(15.1): return the intensity; throw value_error if m, n or k is 0.
  TT_UNIMPLEMENTED("15.1 arithmetic_intensity");
}

void matmul_naive(ConstMatrixRef a, ConstMatrixRef b, MatrixRef c) {
  // Start with tt::check_gemm_shapes(a, b, c): it throws tt::shape_error with all three
  // shapes. Then the textbook loops: for each i, for each j, sum a(i, p) · b(p, j) over p in
  // a float and store it in c(i, j). Use the views' operator() so any strides work.
  // TODO(15.1): the i-j-k loop.
  TT_UNIMPLEMENTED("15.1 matmul_naive");
}

void matmul_reordered(ConstMatrixRef a, ConstMatrixRef b, MatrixRef c) {
  // Same arithmetic, loops swapped to i-k-j: zero row i of c, then for each p add
  // a(i, p) · (row p of b) to it. The inner loop now walks b and c with unit stride; when
  // b.col_stride == 1, take plain pointers to the two rows so the compiler vectorizes it.
  // Check shapes first (tt::check_gemm_shapes).
  // TODO(15.2): the i-k-j loop.
  TT_UNIMPLEMENTED("15.2 matmul_reordered");
}

}  // namespace tt::accel
