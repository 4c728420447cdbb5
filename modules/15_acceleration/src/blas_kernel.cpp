// Student file for task 15.6: matmul_blas, the production library (OpenBLAS sgemm) behind the module's contract.
// Not a BLAS binding of its own: tt::blas::sgemm (the core, tt/blas.hpp) already handles strides.
#include "tt/accel/matmul.hpp"
#include "tt/blas.hpp"
#include "tt/errors.hpp"

namespace tt::accel {

void matmul_blas(ConstMatrixRef a, ConstMatrixRef b, MatrixRef c) {
  // One call does the work: tt::blas::sgemm(a, b, c). Check shapes first, so a mismatch is a
  // tt::shape_error from us and not an error from inside BLAS. Then run the benchmark and read
  // Part 4 of the README: which kernels did OpenBLAS pick on this CPU, and why?
  // TODO(15.6): check shapes and call tt::blas::sgemm.
  TT_UNIMPLEMENTED("15.6 matmul_blas");
}

}  // namespace tt::accel
