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
