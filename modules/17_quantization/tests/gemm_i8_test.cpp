// Tests for 17.4 (the int8 reference GEMM) and 17.5 (the portable, VNNI and sdot kernels, bit-exact with it).
// Not tests of requantization (requantize_test.cpp) or of layers (quantized_layers_test.cpp).
#include <catch2/catch.hpp>

#include <tuple>

#include "quant_fixtures.hpp"
#include "tt/quant/gemm_i8.hpp"

using namespace tt::quant;
using tt::TensorI32;
using tt::TensorI8;
namespace qt = tt::quant::testing;

namespace {
TensorI8 i8(const tt::Shape& shape, std::initializer_list<int> v) {
  TensorI8 t = TensorI8::from_shape(shape);
  std::size_t i = 0;
  for (const int x : v) t.flat(i++) = static_cast<std::int8_t>(x);
  return t;
}

// Shapes (m, k, n) that stress the edges: single elements, k not a multiple of 4, 16 (1–3 quads
// after the last 16-byte step) or 64, n not a multiple of 16 or 32 (a last panel of 1–15
// columns, or only one), m not a multiple of the row tile, k beyond one cache block.
const std::vector<std::tuple<std::size_t, std::size_t, std::size_t>> kAwkward = {
    {1, 1, 1}, {37, 53, 29}, {5, 3, 17}, {8, 64, 16}, {9, 67, 33}, {17, 1037, 47}, {64, 130, 100}, {3, 1000, 2}, {2, 4, 31}, {6, 59, 20}, {4, 16, 12}};

void check_kernel(GemmKernel kernel) {
  for (const auto& [m, k, n] : kAwkward) {
    CAPTURE(m, k, n, to_string(kernel));
    const TensorI8 a = qt::random_i8({m, k}, 1000 + m * k);
    const TensorI8 b = qt::random_i8({n, k}, 2000 + n * k);
    const TensorI32 expected = matmul_i8_reference(a, b);
    const PackedI8 packed(b);
    REQUIRE((packed.unpack() == b));
    TensorI32 c;
    gemm_i8(a, packed, c, kernel);
    REQUIRE(c.shape() == expected.shape());
    const long bad = qt::first_mismatch(c, expected);
    INFO("first mismatch at flat index " << bad
                                         << (bad >= 0 ? ": expected " + std::to_string(expected.flat(bad)) + ", got " +
                                                            std::to_string(c.flat(bad))
                                                      : std::string()));
    CHECK(bad == -1);
  }
  // The extreme products: -128 · -128 summed over a long k, and -128 · 127.
  const std::size_t k = 2051;
  TensorI8 a = TensorI8::from_shape({3, k});
  for (auto& v : a) v = -128;
  TensorI8 b = TensorI8::from_shape({2, k});
  for (std::size_t kk = 0; kk < k; ++kk) {
    b(0, kk) = -128;
    b(1, kk) = 127;
  }
  TensorI32 c;
  gemm_i8(a, PackedI8(b), c, kernel);
  CHECK(c(2, 0) == 2051 * 16384);
  CHECK(c(0, 1) == -2051 * 16256);
  REQUIRE_THROWS_AS(gemm_i8(qt::random_i8({2, 5}, 1), PackedI8(qt::random_i8({3, 6}, 2)), c, kernel), tt::shape_error);
}
}  // namespace

TEST_CASE("matmul_i8_reference computes exact int32 dot products", "[m17][17.4][points=2]") {
  const TensorI8 a = i8({2, 3}, {1, 2, 3, -4, 5, -6});
  const TensorI8 b = i8({2, 3}, {1, 0, -1, 2, 2, 2});
  const TensorI32 c = matmul_i8_reference(a, b);
  REQUIRE(c.shape()[0] == 2);
  REQUIRE(c.shape()[1] == 2);
  CHECK(c(0, 0) == -2);
  CHECK(c(0, 1) == 12);
  CHECK(c(1, 0) == 2);
  CHECK(c(1, 1) == -10);
  for (const auto& [m, k, n] : kAwkward) {
    CAPTURE(m, k, n);
    const TensorI8 x = qt::random_i8({m, k}, m + k);
    const TensorI8 y = qt::random_i8({n, k}, n * k);
    const TensorI32 got = matmul_i8_reference(x, y);
    const auto want = qt::dot_oracle(x, y);
    for (std::size_t i = 0; i < want.size(); ++i) REQUIRE(got.flat(i) == want[i]);
  }
  REQUIRE_THROWS_AS(matmul_i8_reference(qt::random_i8({2, 3}, 1), qt::random_i8({2, 4}, 1)), tt::shape_error);
}

TEST_CASE("The portable int8 kernel is bit-exact with the reference on awkward shapes", "[m17][17.5][points=3]") {
  check_kernel(GemmKernel::portable);
}

TEST_CASE("The machine's fastest int8 kernel (VNNI, sdot) is bit-exact with the reference", "[m17][17.5][points=3]") {
  // On a CPU with neither AVX-512 VNNI nor ARM dotprod best_kernel() is the portable one; say so, and test it.
  if (best_kernel() == GemmKernel::portable) WARN("no AVX-512 VNNI or ARM sdot here: testing the portable kernel instead");
  check_kernel(best_kernel());
  // A kernel this CPU cannot run is refused with tt::error, not run.
  TensorI32 none;
  const PackedI8 small(qt::random_i8({2, 8}, 5));
  if (!vnni_available()) CHECK_THROWS_AS(gemm_i8(qt::random_i8({1, 8}, 6), small, none, GemmKernel::vnni), tt::error);
  if (!sdot_available()) CHECK_THROWS_AS(gemm_i8(qt::random_i8({1, 8}, 6), small, none, GemmKernel::sdot), tt::error);
  if (best_kernel() != GemmKernel::portable) {
    // The dispatching default must be the fast kernel.
    const TensorI8 a = qt::random_i8({33, 70}, 3);
    const TensorI8 b = qt::random_i8({40, 70}, 4);
    TensorI32 c;
    gemm_i8(a, PackedI8(b), c);
    CHECK(qt::first_mismatch(c, matmul_i8_reference(a, b)) == -1);
  }
}
