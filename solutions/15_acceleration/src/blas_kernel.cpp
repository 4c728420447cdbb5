// Reference 15.6: matmul_blas, the production library (OpenBLAS sgemm) behind the module's contract.
// Not a BLAS binding of its own: tt::blas::sgemm (the core) already handles strides and transposes.
#include "tt/accel/matmul.hpp"
#include "tt/blas.hpp"

namespace tt::accel {

void matmul_blas(ConstMatrixRef a, ConstMatrixRef b, MatrixRef c) {
  check_gemm_shapes(a, b, c);
  blas::sgemm(a, b, c);
}

}  // namespace tt::accel
