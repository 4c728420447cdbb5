// Shared fixtures of module 15's tests: random operands, a double-precision oracle, awkward shapes.
// Not a test itself, and not timing: speed is measured by m15_bench and m15_perf, never here.
#pragma once

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "tt/matmul.hpp"
#include "tt/random.hpp"
#include "tt/testing.hpp"

namespace m15 {

using KernelFn = std::function<void(tt::ConstMatrixRef, tt::ConstMatrixRef, tt::MatrixRef)>;

// One product a: (m, k) · b: (k, n) → (m, n).
struct Dims {
  std::size_t m, k, n;
};
inline std::string to_string(const Dims& d) {
  return std::to_string(d.m) + "x" + std::to_string(d.k) + "x" + std::to_string(d.n) + " (m x k x n)";
}

// 1×1×1, a row vector, a column vector, primes, sizes just off the SIMD width (16) and the
// register tile (6 × 64), and a transformer-like 197×768×64 (ViT tokens × width × head).
inline std::vector<Dims> awkward_shapes() {
  return {{1, 1, 1}, {1, 300, 17}, {29, 13, 1}, {37, 53, 29}, {7, 33, 65}, {13, 17, 15}, {130, 257, 129}, {197, 768, 64}};
}

// An operand of shape (rows, cols) with values in [-1, 1); stored transposed (as (cols, rows),
// viewed through .t()) when `transposed`, so kernels see strides (1, rows).
struct Operand {
  tt::Tensor storage;
  tt::ConstMatrixRef view;
};
inline Operand random_operand(std::size_t rows, std::size_t cols, bool transposed, tt::Rng& rng) {
  Operand o;
  if (transposed) {
    o.storage = tt::rand_uniform({cols, rows}, -1.0F, 1.0F, rng);
    o.view = tt::ConstMatrixRef{o.storage.data(), cols, rows, static_cast<std::ptrdiff_t>(rows), 1}.t();
  } else {
    o.storage = tt::rand_uniform({rows, cols}, -1.0F, 1.0F, rng);
    o.view = tt::ConstMatrixRef{o.storage.data(), rows, cols, static_cast<std::ptrdiff_t>(cols), 1};
  }
  return o;
}

// The oracle: every dot product accumulated in double, independent of any kernel under test.
inline tt::Tensor reference_product(const tt::ConstMatrixRef& a, const tt::ConstMatrixRef& b) {
  tt::Tensor c = tt::zeros({a.rows, b.cols});
  for (std::size_t i = 0; i < a.rows; ++i)
    for (std::size_t j = 0; j < b.cols; ++j) {
      double s = 0;
      for (std::size_t p = 0; p < a.cols; ++p) s += static_cast<double>(a(i, p)) * static_cast<double>(b(p, j));
      c(i, j) = static_cast<float>(s);
    }
  return c;
}

// Float sums of k products of values in [-1, 1) drift by about sqrt(k)·eps·|sum|; this bound
// is a comfortable multiple of that and still catches a single missing term.
inline tt::Tolerance gemm_tolerance(std::size_t k) { return {2e-6F * static_cast<float>(k) + 1e-6F, 1e-4F}; }

constexpr std::size_t kPad = 3;  // extra columns in c's storage: kernels must honor its row stride

// Runs fn on fresh random operands and compares with the oracle. c starts as NaN (a kernel
// must overwrite, not accumulate) and has a padded row stride whose padding must stay NaN.
inline void check_against_reference(const KernelFn& fn, Dims d, bool transpose_a, bool transpose_b,
                                    std::uint64_t seed) {
  INFO("shape " << to_string(d) << (transpose_a ? ", a transposed" : "") << (transpose_b ? ", b transposed" : "")
                << ", seed " << seed);
  tt::Rng rng(seed);
  const Operand a = random_operand(d.m, d.k, transpose_a, rng);
  const Operand b = random_operand(d.k, d.n, transpose_b, rng);
  tt::Tensor storage = tt::full({d.m, d.n + kPad}, std::numeric_limits<float>::quiet_NaN());
  tt::MatrixRef c{storage.data(), d.m, d.n, static_cast<std::ptrdiff_t>(d.n + kPad)};
  fn(a.view, b.view, c);

  tt::Tensor actual = tt::zeros({d.m, d.n});
  bool padding_untouched = true;
  for (std::size_t i = 0; i < d.m; ++i) {
    for (std::size_t j = 0; j < d.n; ++j) actual(i, j) = storage(i, j);
    for (std::size_t j = d.n; j < d.n + kPad; ++j) padding_untouched = padding_untouched && std::isnan(storage(i, j));
  }
  CHECK_THAT(actual, tt::testing::AllClose(reference_product(a.view, b.view), gemm_tolerance(d.k)));
  CHECK(padding_untouched);
}

// Every awkward shape, with a and b stored plainly and transposed.
inline void check_all_shapes(const KernelFn& fn) {
  std::uint64_t seed = 15;
  for (const Dims& d : awkward_shapes())
    for (bool ta : {false, true})
      for (bool tb : {false, true}) check_against_reference(fn, d, ta, tb, seed++);
}

// Mismatched inner sizes, and a c of the wrong shape, both throw tt::shape_error.
inline void check_rejects_mismatch(const KernelFn& fn) {
  tt::Tensor a = tt::zeros({3, 4});
  tt::Tensor b = tt::zeros({5, 2});
  tt::Tensor b_ok = tt::zeros({4, 2});
  tt::Tensor c = tt::zeros({3, 2});
  tt::Tensor c_bad = tt::zeros({3, 3});
  auto view = [](const tt::Tensor& t) {
    return tt::ConstMatrixRef{t.data(), t.shape()[0], t.shape()[1], static_cast<std::ptrdiff_t>(t.shape()[1]), 1};
  };
  auto view_mut = [](tt::Tensor& t) {
    return tt::MatrixRef{t.data(), t.shape()[0], t.shape()[1], static_cast<std::ptrdiff_t>(t.shape()[1])};
  };
  REQUIRE_THROWS_AS(fn(view(a), view(b), view_mut(c)), tt::shape_error);
  REQUIRE_THROWS_AS(fn(view(a), view(b_ok), view_mut(c_bad)), tt::shape_error);
}

}  // namespace m15
