// Tests of tt::matmul: the entry points, views, the built-in backends and backend switching.
// Not tests of module 15's kernels (those are the students').
#include <catch2/catch.hpp>

#include "tt/blas.hpp"
#include "tt/matmul.hpp"
#include "tt/random.hpp"
#include "tt/testing.hpp"

namespace {
// The oracle: c = a · b in double precision.
tt::Tensor oracle(const tt::ConstMatrixRef& a, const tt::ConstMatrixRef& b) {
  tt::Tensor c = tt::zeros({a.rows, b.cols});
  for (std::size_t i = 0; i < a.rows; ++i)
    for (std::size_t j = 0; j < b.cols; ++j) {
      double s = 0;
      for (std::size_t p = 0; p < a.cols; ++p) s += static_cast<double>(a(i, p)) * b(p, j);
      c(i, j) = static_cast<float>(s);
    }
  return c;
}

struct Counting final : tt::Backend {
  int calls = 0;
  std::string name() const override { return "counting"; }
  void gemm(tt::ConstMatrixRef a, tt::ConstMatrixRef b, tt::MatrixRef c) override {
    ++calls;
    tt::reference_backend().gemm(a, b, c);
  }
};
}  // namespace

TEST_CASE("matmul, matmul_nt and matmul_tn match a double-precision oracle", "[core][matmul]") {
  auto dims = GENERATE(std::array<std::size_t, 3>{1, 1, 1}, std::array<std::size_t, 3>{1, 17, 5},
                       std::array<std::size_t, 3>{37, 53, 29}, std::array<std::size_t, 3>{64, 1, 33},
                       std::array<std::size_t, 3>{29, 13, 1}, std::array<std::size_t, 3>{1, 64, 48});
  auto [m, k, n] = dims;
  tt::Rng rng(m * 1000 + k * 10 + n);
  tt::Tensor a = tt::rand_uniform({m, k}, -1, 1, rng);
  tt::Tensor b = tt::rand_uniform({k, n}, -1, 1, rng);
  tt::Tensor bt = tt::rand_uniform({n, k}, -1, 1, rng);
  tt::Tensor at = tt::rand_uniform({k, m}, -1, 1, rng);
  const tt::Tolerance tol{1e-4F, 1e-4F};
  for (tt::Backend* be : {&tt::reference_backend(), &tt::blas_backend()}) {
    INFO("backend " << be->name());
    tt::BackendGuard g(*be);
    CHECK_THAT(tt::matmul(a, b), tt::testing::AllClose(oracle(tt::view(a), tt::view(b)), tol));
    CHECK_THAT(tt::matmul_nt(a, bt), tt::testing::AllClose(oracle(tt::view(a), tt::view(bt).t()), tol));
    CHECK_THAT(tt::matmul_tn(at, b), tt::testing::AllClose(oracle(tt::view(at).t(), tt::view(b)), tol));
  }
}

TEST_CASE("BLAS handles views it cannot take directly by copying them", "[core][matmul]") {
  tt::Rng rng(3);
  tt::Tensor a = tt::rand_uniform({6, 8}, -1, 1, rng);
  tt::Tensor b = tt::rand_uniform({4, 5}, -1, 1, rng);
  // Every other column of a: col_stride 2, neither row- nor column-contiguous.
  tt::ConstMatrixRef a_odd{a.data(), 6, 4, 8, 2};
  tt::Tensor c = tt::zeros({6, 5});
  tt::blas::sgemm(a_odd, tt::view(b), tt::view_mut(c));
  CHECK_THAT(c, tt::testing::AllClose(oracle(a_odd, tt::view(b)), {1e-5F, 1e-4F}));
}

TEST_CASE("BLAS computes one-row and one-column products (GEMV) through any view into a padded c", "[core][matmul]") {
  tt::Rng rng(5);
  const tt::Tensor x = tt::rand_uniform({1, 40}, -1, 1, rng);    // a row
  const tt::Tensor w = tt::rand_uniform({40, 24}, -1, 1, rng);   // (k, n)
  const tt::Tensor wt = tt::rand_uniform({24, 40}, -1, 1, rng);  // stored (n, k): used transposed
  const tt::Tensor xt = tt::rand_uniform({40, 1}, -1, 1, rng);   // a column: its transpose is a row
  const tt::Tolerance tol{1e-5F, 1e-4F};
  for (const auto& a : {tt::view(x), tt::view(xt).t()})
    for (const auto& b : {tt::view(w), tt::view(wt).t()}) {
      tt::Tensor c = tt::full({1, 30}, -7.0F);  // n = 24 inside a row of 30
      tt::blas::sgemm(a, b, tt::MatrixRef{c.data(), 1, 24, 30});
      tt::Tensor got = tt::zeros({1, 24});
      for (std::size_t j = 0; j < 24; ++j) got(0, j) = c(0, j);
      CHECK_THAT(got, tt::testing::AllClose(oracle(a, b), tol));
      CHECK(c(0, 29) == -7.0F);
    }
  // One column: c (24×1) in a column of a (24×3) buffer, a = w stored (n, k) or its transpose.
  for (const auto& a : {tt::view(wt), tt::view(w).t()}) {
    tt::Tensor c = tt::full({24, 3}, -7.0F);
    tt::blas::sgemm(a, tt::view(xt), tt::MatrixRef{c.data(), 24, 1, 3});
    tt::Tensor got = tt::zeros({24, 1});
    for (std::size_t i = 0; i < 24; ++i) got(i, 0) = c(i, 0);
    CHECK_THAT(got, tt::testing::AllClose(oracle(a, tt::view(xt)), tol));
    CHECK(c(0, 1) == -7.0F);
  }
}

TEST_CASE("mismatched shapes throw shape_error naming them", "[core][matmul]") {
  REQUIRE_THROWS_WITH(tt::matmul(tt::zeros({2, 3}), tt::zeros({4, 5})),
                      Catch::Contains("(2, 3)") && Catch::Contains("(4, 5)"));
  REQUIRE_THROWS_AS(tt::matmul(tt::zeros({2, 3, 4}), tt::zeros({4, 5})), tt::shape_error);
  tt::Tensor c = tt::zeros({2, 2});
  REQUIRE_THROWS_AS(
      tt::reference_backend().gemm(tt::view(tt::zeros({2, 3})), tt::view(tt::zeros({3, 3})), tt::view_mut(c)),
      tt::shape_error);
}

TEST_CASE("an inner dimension of zero gives zeros", "[core][matmul]") {
  CHECK((tt::matmul(tt::zeros({3, 0}), tt::zeros({0, 2})) == tt::zeros({3, 2})));
}

TEST_CASE("BackendGuard installs a backend and restores the previous one, even on exceptions", "[core][matmul]") {
  Counting counting;
  REQUIRE(&tt::current_backend() == &tt::reference_backend());
  {
    tt::BackendGuard g(counting);
    tt::matmul(tt::zeros({2, 2}), tt::zeros({2, 2}));
    CHECK(counting.calls == 1);
    CHECK(&tt::current_backend() == &counting);
  }
  CHECK(&tt::current_backend() == &tt::reference_backend());
  try {
    tt::BackendGuard g(counting);
    throw std::runtime_error("boom");
  } catch (const std::runtime_error&) {
  }
  CHECK(&tt::current_backend() == &tt::reference_backend());
}
