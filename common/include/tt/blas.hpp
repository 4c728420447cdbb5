// A thin wrapper over OpenBLAS's cblas_sgemm, kept in its own translation unit.
// Not xtensor-blas: OpenBLAS's <cblas.h> cannot share a translation unit with it.
#pragma once

#include <string>

#include "tt/matmul.hpp"

namespace tt::blas {

// c = a · b with cblas_sgemm. Views with unit column stride (or unit row stride, i.e. a
// transposed row-major matrix) go straight to BLAS; other strides are copied first.
void sgemm(ConstMatrixRef a, ConstMatrixRef b, MatrixRef c);
// OpenBLAS's own report: the kernel core it chose ("Haswell", "SkylakeX", …) and its threads.
std::string core_name();
int num_threads();
void set_num_threads(int n);

}  // namespace tt::blas
