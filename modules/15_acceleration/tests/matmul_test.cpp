// Autograder tests of tt/accel/matmul.hpp: every kernel against a double-precision oracle.
// Not benchmarks: no test here measures time (speed is m15_bench's and m15_perf's job).
#include <catch2/catch.hpp>

#include <exception>
#include <thread>

#include "m15_fixtures.hpp"
#include "tt/accel/matmul.hpp"

using tt::ConstMatrixRef;
using tt::MatrixRef;

TEST_CASE("arithmetic_intensity counts FLOPs per byte of minimum traffic", "[m15][15.1][points=1]") {
  // 2·n³ FLOPs over 3·n² floats of 4 bytes: n / 6 FLOP per byte for a square product.
  CHECK(tt::accel::arithmetic_intensity(1024, 1024, 1024) == Approx(1024.0 / 6.0));
  CHECK(tt::accel::arithmetic_intensity(1, 1, 1) == Approx(2.0 / 12.0));
  // A matrix-vector product stays near 0.5 FLOP/byte however large it is: memory-bound.
  CHECK(tt::accel::arithmetic_intensity(1, 4096, 4096) ==
        Approx(2.0 * 4096 * 4096 / (4.0 * (4096 + 4096.0 * 4096 + 4096))));
  CHECK(tt::accel::arithmetic_intensity(197, 64, 768) ==
        Approx(2.0 * 197 * 64 * 768 / (4.0 * (197.0 * 768 + 768.0 * 64 + 197.0 * 64))));
  REQUIRE_THROWS_AS(tt::accel::arithmetic_intensity(0, 4, 4), tt::value_error);
}

TEST_CASE("matmul_naive matches a double-precision reference on awkward shapes and transposed views", "[m15][15.1][points=3]") {
  m15::check_all_shapes(tt::accel::matmul_naive);
  SECTION("mismatched shapes throw shape_error") { m15::check_rejects_mismatch(tt::accel::matmul_naive); }
}

TEST_CASE("matmul_reordered matches a double-precision reference on awkward shapes and transposed views", "[m15][15.2][points=3]") {
  m15::check_all_shapes(tt::accel::matmul_reordered);
  SECTION("mismatched shapes throw shape_error") { m15::check_rejects_mismatch(tt::accel::matmul_reordered); }
}

TEST_CASE("matmul_blocked matches a double-precision reference for any tile sizes", "[m15][15.3][points=4]") {
  const tt::accel::BlockSizes tiles =
      GENERATE(tt::accel::BlockSizes{}, tt::accel::BlockSizes{1, 1, 1}, tt::accel::BlockSizes{5, 7, 3},
               tt::accel::BlockSizes{16, 32, 8}, tt::accel::BlockSizes{1000, 1000, 1000});
  INFO("tiles mc=" << tiles.mc << " nc=" << tiles.nc << " kc=" << tiles.kc);
  m15::check_all_shapes(
      [&](ConstMatrixRef a, ConstMatrixRef b, MatrixRef c) { tt::accel::matmul_blocked(a, b, c, tiles); });
  SECTION("mismatched shapes throw shape_error") {
    m15::check_rejects_mismatch(
        [&](ConstMatrixRef a, ConstMatrixRef b, MatrixRef c) { tt::accel::matmul_blocked(a, b, c, tiles); });
  }
}

TEST_CASE("matmul_blocked rejects a zero tile size with value_error", "[m15][15.3][points=1]") {
  // A valid call must work first (a stub that only checks arguments does not pass).
  m15::check_against_reference(
      [](ConstMatrixRef a, ConstMatrixRef b, MatrixRef c) { tt::accel::matmul_blocked(a, b, c); }, {9, 10, 11}, false,
      false, 1);
  tt::Rng rng(2);
  const auto a = m15::random_operand(4, 4, false, rng);
  tt::Tensor c = tt::zeros({4, 4});
  const MatrixRef cv{c.data(), 4, 4, 4};
  REQUIRE_THROWS_AS(tt::accel::matmul_blocked(a.view, a.view, cv, {0, 8, 8}), tt::value_error);
  REQUIRE_THROWS_AS(tt::accel::matmul_blocked(a.view, a.view, cv, {8, 0, 8}), tt::value_error);
  REQUIRE_THROWS_AS(tt::accel::matmul_blocked(a.view, a.view, cv, {8, 8, 0}), tt::value_error);
}

TEST_CASE("matmul_simd matches a double-precision reference on awkward shapes and transposed views", "[m15][15.4][points=5]") {
  m15::check_all_shapes(tt::accel::matmul_simd);
  SECTION("mismatched shapes throw shape_error") { m15::check_rejects_mismatch(tt::accel::matmul_simd); }
}

TEST_CASE("matmul_simd is correct past every cache block (k and m beyond one panel, n beyond 4096)", "[m15][15.4][points=2]") {
  // k = 700 spans several kc blocks (so later blocks accumulate), m = 301 several mc blocks,
  // n = 4200 more than one nc panel; the edges of each are partial.
  const m15::Dims d = GENERATE(m15::Dims{301, 700, 70}, m15::Dims{7, 300, 4200});
  m15::check_against_reference(tt::accel::matmul_simd, d, false, false, 7);
  m15::check_against_reference(tt::accel::matmul_simd, d, true, true, 8);
}

TEST_CASE("matmul_parallel matches a double-precision reference for any thread count", "[m15][15.5][points=3]") {
  const int threads = GENERATE(1, 2, 3, 8);
  INFO("threads " << threads);
  // 8 threads on a 1-row product: never more blocks than rows.
  m15::check_all_shapes(
      [&](ConstMatrixRef a, ConstMatrixRef b, MatrixRef c) { tt::accel::matmul_parallel(a, b, c, threads); });
  SECTION("mismatched shapes throw shape_error") {
    m15::check_rejects_mismatch(
        [&](ConstMatrixRef a, ConstMatrixRef b, MatrixRef c) { tt::accel::matmul_parallel(a, b, c, threads); });
  }
  SECTION("two callers at once each get their own correct product") {
    // Whatever the threads are (started per call, or a pool shared by the process), two
    // concurrent calls must not mix their work. Catch2 asserts only on this thread.
    tt::Rng rng(55);
    const m15::Operand a1 = m15::random_operand(130, 257, false, rng);
    const m15::Operand b1 = m15::random_operand(257, 129, false, rng);
    const m15::Operand a2 = m15::random_operand(97, 64, true, rng);
    const m15::Operand b2 = m15::random_operand(64, 201, false, rng);
    tt::Tensor c1 = tt::zeros({130, 129});
    tt::Tensor c2 = tt::zeros({97, 201});
    std::exception_ptr error;
    std::thread other([&] {
      try {
        for (int r = 0; r < 3; ++r) tt::accel::matmul_parallel(a2.view, b2.view, tt::view_mut(c2), threads);
      } catch (...) {
        error = std::current_exception();
      }
    });
    for (int r = 0; r < 3; ++r) tt::accel::matmul_parallel(a1.view, b1.view, tt::view_mut(c1), threads);
    other.join();
    if (error) std::rethrow_exception(error);
    CHECK_THAT(c1, tt::testing::AllClose(m15::reference_product(a1.view, b1.view), m15::gemm_tolerance(257)));
    CHECK_THAT(c2, tt::testing::AllClose(m15::reference_product(a2.view, b2.view), m15::gemm_tolerance(64)));
  }
}

TEST_CASE("matmul_parallel rejects fewer than one thread with value_error", "[m15][15.5][points=1]") {
  m15::check_against_reference(
      [](ConstMatrixRef a, ConstMatrixRef b, MatrixRef c) { tt::accel::matmul_parallel(a, b, c, 2); }, {64, 40, 33},
      false, true, 3);
  tt::Rng rng(4);
  const auto a = m15::random_operand(4, 4, false, rng);
  tt::Tensor c = tt::zeros({4, 4});
  REQUIRE_THROWS_AS(tt::accel::matmul_parallel(a.view, a.view, MatrixRef{c.data(), 4, 4, 4}, 0), tt::value_error);
  REQUIRE_THROWS_AS(tt::accel::matmul_parallel(a.view, a.view, MatrixRef{c.data(), 4, 4, 4}, -2), tt::value_error);
}

TEST_CASE("matmul_blas matches a double-precision reference on awkward shapes and transposed views", "[m15][15.6][points=2]") {
  m15::check_all_shapes(tt::accel::matmul_blas);
  SECTION("mismatched shapes throw shape_error") { m15::check_rejects_mismatch(tt::accel::matmul_blas); }
}
