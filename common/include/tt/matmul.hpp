// tt::matmul: the single matrix-multiply entry point of the core, and its pluggable backend.
// Not the fast kernels themselves: module 15 writes those and installs them as a Backend.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "tt/tensor.hpp"

namespace tt {

// A read-only strided 2-D view: element (i, j) is data[i*row_stride + j*col_stride].
// A transpose is the same memory with the strides swapped, so kernels get it for free.
struct ConstMatrixRef {
  const float* data = nullptr;
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::ptrdiff_t row_stride = 0;
  std::ptrdiff_t col_stride = 1;

  float operator()(std::size_t i, std::size_t j) const {
    return data[static_cast<std::ptrdiff_t>(i) * row_stride + static_cast<std::ptrdiff_t>(j) * col_stride];
  }
  ConstMatrixRef t() const { return {data, cols, rows, col_stride, row_stride}; }
  bool row_major_contiguous() const { return col_stride == 1 && row_stride == static_cast<std::ptrdiff_t>(cols); }
};

// A writable row-major view with a row stride (leading dimension) >= cols.
struct MatrixRef {
  float* data = nullptr;
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::ptrdiff_t row_stride = 0;

  float& operator()(std::size_t i, std::size_t j) const {
    return data[static_cast<std::ptrdiff_t>(i) * row_stride + static_cast<std::ptrdiff_t>(j)];
  }
};

// Views of a 2-D tensor (shape_error if it is not 2-D).
ConstMatrixRef view(const Tensor& t);
MatrixRef view_mut(Tensor& t);

// Throws shape_error unless a: (m, k), b: (k, n), c: (m, n); the message names all three.
void check_gemm_shapes(const ConstMatrixRef& a, const ConstMatrixRef& b, const MatrixRef& c);

// A matrix-multiply implementation: c = a · b (c is overwritten, never accumulated into).
// Implementations must accept any strides in a and b (transposed views included) and any
// sizes, including 1 and sizes that are not multiples of their tiles.
class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string name() const = 0;
  // a: (m, k) · b: (k, n) → c: (m, n)
  virtual void gemm(ConstMatrixRef a, ConstMatrixRef b, MatrixRef c) = 0;
};

// The backend tt::matmul uses now. Default: reference_backend() (correct, not fast).
Backend& current_backend();
// Installs `b` as the process-wide backend and returns the previous one. `b` must outlive
// its installation. Prefer BackendGuard, which restores the previous one.
Backend& set_backend(Backend& b);
// Built-in backends: a plain cache-friendly loop (the default) and OpenBLAS sgemm.
Backend& reference_backend();
Backend& blas_backend();

// Installs a backend for the guard's lifetime and restores the previous one on exit, even
// when an exception passes through.
class BackendGuard {
 public:
  explicit BackendGuard(Backend& b) : previous_(&set_backend(b)) {}
  ~BackendGuard() { set_backend(*previous_); }
  BackendGuard(const BackendGuard&) = delete;
  BackendGuard& operator=(const BackendGuard&) = delete;

 private:
  Backend* previous_;
};

// a: (m, k) · b: (k, n) → (m, n), through current_backend().
Tensor matmul(const Tensor& a, const Tensor& b);
// a: (m, k) · b: (n, k)ᵀ → (m, n) (a Linear layer's x · Wᵀ), no copy of b.
Tensor matmul_nt(const Tensor& a, const Tensor& b);
// a: (k, m)ᵀ · b: (k, n) → (m, n) (a weight gradient), no copy of a.
Tensor matmul_tn(const Tensor& a, const Tensor& b);
// Floating-point operations of one (m, k)·(k, n) product: 2·m·n·k.
double gemm_flops(std::size_t m, std::size_t n, std::size_t k);

}  // namespace tt
