// The direct cblas_sgemm call that core_bench compares tt::matmul against.
// Not part of tt::core: OpenBLAS's <cblas.h> lives here, away from xtensor-blas.
#include "direct_sgemm.hpp"

#include <cblas.h>

namespace tt::bench {

void direct_sgemm(int m, int n, int k, const float* a, const float* b, float* c) {
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0F, a, k, b, n, 0.0F, c, n);
}

}  // namespace tt::bench
