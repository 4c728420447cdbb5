// tt::matmul and friends, the backend registry, and the built-in reference and BLAS backends.
// Not the fast kernels: module 15 writes those; the reference here is correct and plain.
#include "tt/matmul.hpp"

#include <atomic>

#include "tt/blas.hpp"
#include "tt/profile_hooks.hpp"

namespace tt {
namespace {

std::string dims(std::size_t r, std::size_t c) { return "(" + std::to_string(r) + ", " + std::to_string(c) + ")"; }

// Plain loops, ordered by the strides so the innermost loop walks contiguous memory.
class ReferenceBackend final : public Backend {
 public:
  std::string name() const override { return "reference"; }
  void gemm(ConstMatrixRef a, ConstMatrixRef b, MatrixRef c) override {
    check_gemm_shapes(a, b, c);
    const std::size_t m = a.rows, n = b.cols, k = a.cols;
    if (b.col_stride == 1) {
      // i-k-j: the inner loop streams a row of b into a row of c.
      for (std::size_t i = 0; i < m; ++i) {
        float* ci = &c(i, 0);
        for (std::size_t j = 0; j < n; ++j) ci[j] = 0;
        for (std::size_t p = 0; p < k; ++p) {
          const float aip = a(i, p);
          const float* bp = b.data + static_cast<std::ptrdiff_t>(p) * b.row_stride;
          for (std::size_t j = 0; j < n; ++j) ci[j] += aip * bp[j];
        }
      }
      return;
    }
    // i-j-k dot products: contiguous when b is a transposed row-major matrix (x · Wᵀ).
    for (std::size_t i = 0; i < m; ++i) {
      for (std::size_t j = 0; j < n; ++j) {
        float s = 0;
        for (std::size_t p = 0; p < k; ++p) s += a(i, p) * b(p, j);
        c(i, j) = s;
      }
    }
  }
};

class BlasBackend final : public Backend {
 public:
  std::string name() const override { return "openblas"; }
  void gemm(ConstMatrixRef a, ConstMatrixRef b, MatrixRef c) override {
    check_gemm_shapes(a, b, c);
    blas::sgemm(a, b, c);
  }
};

std::atomic<Backend*> g_backend{nullptr};

}  // namespace

ConstMatrixRef view(const Tensor& t) {
  if (t.dimension() != 2) throw shape_error("matmul: expected a 2-d tensor, got shape " + shape_of(t));
  return {t.data(), t.shape()[0], t.shape()[1], static_cast<std::ptrdiff_t>(t.shape()[1]), 1};
}

MatrixRef view_mut(Tensor& t) {
  if (t.dimension() != 2) throw shape_error("matmul: expected a 2-d tensor, got shape " + shape_of(t));
  return {t.data(), t.shape()[0], t.shape()[1], static_cast<std::ptrdiff_t>(t.shape()[1])};
}

void check_gemm_shapes(const ConstMatrixRef& a, const ConstMatrixRef& b, const MatrixRef& c) {
  if (a.cols != b.rows || c.rows != a.rows || c.cols != b.cols) {
    throw shape_error("matmul: expected a (m, k) · b (k, n) → c (m, n), got a " + dims(a.rows, a.cols) + ", b " +
                      dims(b.rows, b.cols) + ", c " + dims(c.rows, c.cols));
  }
  if (a.data == nullptr || b.data == nullptr || c.data == nullptr) {
    if (a.rows * a.cols * b.cols != 0) throw value_error("matmul: a view has no data");
  }
}

Backend& reference_backend() {
  static ReferenceBackend b;
  return b;
}

Backend& blas_backend() {
  static BlasBackend b;
  return b;
}

Backend& current_backend() {
  Backend* b = g_backend.load(std::memory_order_acquire);
  return b != nullptr ? *b : reference_backend();
}

Backend& set_backend(Backend& b) {
  Backend* prev = g_backend.exchange(&b, std::memory_order_acq_rel);
  return prev != nullptr ? *prev : reference_backend();
}

double gemm_flops(std::size_t m, std::size_t n, std::size_t k) {
  return 2.0 * static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(k);
}

namespace {
Tensor run(ConstMatrixRef a, ConstMatrixRef b) {
  if (a.cols != b.rows) {
    throw shape_error("matmul: inner dimensions differ: " + dims(a.rows, a.cols) + " · " + dims(b.rows, b.cols));
  }
  // The scope opens before the output is allocated so a profiler sees the op's memory too.
  TT_PROFILE_SCOPE("matmul", gemm_flops(a.rows, b.cols, a.cols));
  Tensor c = Tensor::from_shape({a.rows, b.cols});
  if (c.size() == 0) return c;
  if (a.cols == 0) {
    c.fill(0);
    return c;
  }
  current_backend().gemm(a, b, view_mut(c));
  return c;
}
}  // namespace

Tensor matmul(const Tensor& a, const Tensor& b) { return run(view(a), view(b)); }
Tensor matmul_nt(const Tensor& a, const Tensor& b) { return run(view(a), view(b).t()); }
Tensor matmul_tn(const Tensor& a, const Tensor& b) { return run(view(a).t(), view(b)); }

}  // namespace tt
