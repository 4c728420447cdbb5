// tt::blas: the only translation unit that includes OpenBLAS's <cblas.h>.
// Not xtensor-blas: the two headers cannot be compiled together.
#include "tt/blas.hpp"

#include <cblas.h>

#include <vector>

namespace tt::blas {
namespace {

// A view BLAS can take directly: row-major (col_stride 1) or transposed row-major (row_stride 1).
bool direct(const ConstMatrixRef& m, CBLAS_TRANSPOSE& trans, blasint& ld) {
  if (m.col_stride == 1 && m.row_stride >= static_cast<std::ptrdiff_t>(m.cols) && m.row_stride > 0) {
    trans = CblasNoTrans;
    ld = static_cast<blasint>(m.row_stride);
    return true;
  }
  if (m.row_stride == 1 && m.col_stride >= static_cast<std::ptrdiff_t>(m.rows) && m.col_stride > 0) {
    trans = CblasTrans;
    ld = static_cast<blasint>(m.col_stride);
    return true;
  }
  return false;
}

std::vector<float> pack(const ConstMatrixRef& m) {
  std::vector<float> out(m.rows * m.cols);
  for (std::size_t i = 0; i < m.rows; ++i)
    for (std::size_t j = 0; j < m.cols; ++j) out[i * m.cols + j] = m(i, j);
  return out;
}

}  // namespace

void sgemm(ConstMatrixRef a, ConstMatrixRef b, MatrixRef c) {
  check_gemm_shapes(a, b, c);
  if (c.rows == 0 || c.cols == 0) return;
  std::vector<float> a_copy, b_copy;
  CBLAS_TRANSPOSE ta = CblasNoTrans, tb = CblasNoTrans;
  blasint lda = 0, ldb = 0;
  if (!direct(a, ta, lda)) {
    a_copy = pack(a);
    a = {a_copy.data(), a.rows, a.cols, static_cast<std::ptrdiff_t>(a.cols), 1};
    ta = CblasNoTrans;
    lda = static_cast<blasint>(a.cols);
  }
  if (!direct(b, tb, ldb)) {
    b_copy = pack(b);
    b = {b_copy.data(), b.rows, b.cols, static_cast<std::ptrdiff_t>(b.cols), 1};
    tb = CblasNoTrans;
    ldb = static_cast<blasint>(b.cols);
  }
  // A leading dimension must be >= 1 even for a single column.
  if (lda < 1) lda = 1;
  if (ldb < 1) ldb = 1;
  const auto m = static_cast<blasint>(c.rows), n = static_cast<blasint>(c.cols), k = static_cast<blasint>(a.cols);
  // A single row or column of c is a matrix-vector product. sgemm would pack the whole matrix
  // for it on every call (measured: most of a KV-cached generation step's time went to OpenBLAS's
  // packing routine); sgemv reads the matrix once. Element p of a one-row/column operand stored
  // with transpose flag t and leading dimension ld sits at data + p·(t == NoTrans ? 1 : ld) for
  // a row, data + p·(t == NoTrans ? ld : 1) for a column.
  if (m == 1) {  // c (1×n) = a (1×k) · b (k×n):  cᵀ = bᵀ · aᵀ
    const blasint inc_a = ta == CblasNoTrans ? 1 : lda;
    if (tb == CblasNoTrans)  // b stored (k×n): cᵀ = stored b, transposed, times a
      cblas_sgemv(CblasRowMajor, CblasTrans, k, n, 1.0F, b.data, ldb, a.data, inc_a, 0.0F, c.data, 1);
    else  // b stored (n×k): cᵀ = stored b times a
      cblas_sgemv(CblasRowMajor, CblasNoTrans, n, k, 1.0F, b.data, ldb, a.data, inc_a, 0.0F, c.data, 1);
    return;
  }
  if (n == 1) {  // c (m×1) = a (m×k) · b (k×1)
    const blasint inc_b = tb == CblasNoTrans ? ldb : 1;
    const auto inc_c = static_cast<blasint>(c.row_stride);
    if (ta == CblasNoTrans)  // a stored (m×k)
      cblas_sgemv(CblasRowMajor, CblasNoTrans, m, k, 1.0F, a.data, lda, b.data, inc_b, 0.0F, c.data, inc_c);
    else  // a stored (k×m)
      cblas_sgemv(CblasRowMajor, CblasTrans, k, m, 1.0F, a.data, lda, b.data, inc_b, 0.0F, c.data, inc_c);
    return;
  }
  cblas_sgemm(CblasRowMajor, ta, tb, static_cast<blasint>(c.rows), static_cast<blasint>(c.cols),
              static_cast<blasint>(a.cols), 1.0F, a.data, lda, b.data, ldb, 0.0F, c.data,
              static_cast<blasint>(c.row_stride));
}

std::string core_name() {
  const char* s = openblas_get_corename();
  return s != nullptr ? s : "unknown";
}
int num_threads() { return openblas_get_num_threads(); }
void set_num_threads(int n) { openblas_set_num_threads(n); }

}  // namespace tt::blas
