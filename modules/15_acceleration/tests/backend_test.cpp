// Autograder tests of tt/accel/backend.hpp: kernel choice by threshold, the scoped guard, transparent layers.
// Not benchmarks: whether the thresholds are the fastest choice is measured by m15_bench.
#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include "m15_fixtures.hpp"
#include "tt/accel/backend.hpp"
#include "tt/conv2d.hpp"
#include "tt/gpt.hpp"
#include "tt/linear.hpp"

using tt::accel::Kernel;

namespace {

// Counts the calls that reach it, then lets the optimized backend do the work.
class CountingBackend : public tt::Backend {
 public:
  std::string name() const override { return "counting"; }
  void gemm(tt::ConstMatrixRef a, tt::ConstMatrixRef b, tt::MatrixRef c) override {
    ++calls;
    tt::accel::optimized_backend().gemm(a, b, c);
  }
  int calls = 0;
};

struct BackendThrew {};  // an exception type that no kernel throws

// Runs `fn` once with the reference backend and once through a CountingBackend; checks that
// the counting backend saw at least `min_calls` products and that both outputs agree.
template <class Fn>
void check_routes_through_backend(Fn fn, int min_calls) {
  tt::Tensor expected;
  {
    tt::BackendGuard g(tt::reference_backend());
    expected = fn();
  }
  CountingBackend counting;
  tt::Tensor actual;
  {
    tt::BackendGuard g(counting);
    actual = fn();
  }
  CHECK(counting.calls >= min_calls);
  CHECK_THAT(actual, tt::testing::AllClose(expected, {1e-4F, 1e-4F}));
}

tt::Tensor as_tensor_product(const tt::Tensor& a, const tt::Tensor& b) {
  return m15::reference_product(tt::view(a), tt::view(b));
}

}  // namespace

TEST_CASE("OptimizedBackend picks the kernel by its thresholds and then runs that kernel", "[m15][15.7][points=3]") {
  tt::accel::Thresholds t;
  t.simd_min_rows = 4;
  t.simd_min_flops = 2.0 * 32 * 32 * 32;
  t.parallel_min_flops = 2.0 * 256 * 256 * 256;
  t.threads = 2;
  tt::accel::OptimizedBackend backend(t);
  CHECK(backend.name() == "optimized");
  CHECK(backend.choose(1, 512, 512) == Kernel::reordered);  // too few rows: a vector-matrix product
  CHECK(backend.choose(3, 512, 512) == Kernel::reordered);
  CHECK(backend.choose(512, 8, 512) == Kernel::simd);      // thin but tall: packing still pays
  CHECK(backend.choose(20, 20, 20) == Kernel::reordered);  // too few FLOPs
  CHECK(backend.choose(64, 64, 64) == Kernel::simd);
  CHECK(backend.choose(256, 256, 256) == Kernel::parallel);  // at the threshold
  CHECK(backend.choose(300, 300, 300) == Kernel::parallel);

  t.threads = 1;
  tt::accel::OptimizedBackend single(t);
  CHECK(single.threads() == 1);
  CHECK(single.choose(300, 300, 300) == Kernel::simd);

  // gemm() runs the kernel choose() names, and the product is right.
  const m15::Dims shape =
      GENERATE(m15::Dims{1, 37, 40}, m15::Dims{40, 37, 8}, m15::Dims{64, 64, 64}, m15::Dims{300, 300, 300});
  m15::check_against_reference(
      [&](tt::ConstMatrixRef a, tt::ConstMatrixRef b, tt::MatrixRef c) { backend.gemm(a, b, c); }, shape, false, true,
      11);
  CHECK(backend.last_kernel() == backend.choose(shape.m, shape.n, shape.k));
  INFO("kernel " << tt::accel::kernel_name(backend.last_kernel()));
}

TEST_CASE("OptimizedBackend computes matmul, matmul_nt and matmul_tn like the oracle and rejects bad shapes", "[m15][15.7][points=2]") {
  tt::Rng rng(5);
  const tt::Tensor a = tt::rand_uniform({37, 53}, -1, 1, rng);
  const tt::Tensor b = tt::rand_uniform({53, 29}, -1, 1, rng);
  const tt::Tensor w = tt::rand_uniform({29, 53}, -1, 1, rng);  // a Linear weight (out, in)
  const tt::Tensor g = tt::rand_uniform({53, 37}, -1, 1, rng);  // a gradient stored (k, m)
  const tt::Tensor x = tt::rand_uniform({197, 768}, -1, 1, rng);
  const tt::Tensor h = tt::rand_uniform({768, 64}, -1, 1, rng);
  tt::BackendGuard guard(tt::accel::optimized_backend());
  CHECK_THAT(tt::matmul(a, b), tt::testing::AllClose(as_tensor_product(a, b), m15::gemm_tolerance(53)));
  CHECK_THAT(tt::matmul_nt(a, w),
             tt::testing::AllClose(m15::reference_product(tt::view(a), tt::view(w).t()), m15::gemm_tolerance(53)));
  CHECK_THAT(tt::matmul_tn(g, b),
             tt::testing::AllClose(m15::reference_product(tt::view(g).t(), tt::view(b)), m15::gemm_tolerance(53)));
  CHECK_THAT(tt::matmul(x, h), tt::testing::AllClose(as_tensor_product(x, h), m15::gemm_tolerance(768)));
  m15::check_rejects_mismatch([](tt::ConstMatrixRef a, tt::ConstMatrixRef b, tt::MatrixRef c) {
    tt::accel::optimized_backend().gemm(a, b, c);
  });
}

TEST_CASE("BackendGuard restores the previous backend even when an exception passes through", "[m15][15.7][points=1]") {
  tt::Backend& before = tt::current_backend();
  tt::Rng rng(6);
  const tt::Tensor a = tt::rand_uniform({19, 23}, -1, 1, rng);
  const tt::Tensor b = tt::rand_uniform({23, 31}, -1, 1, rng);
  auto body = [&] {
    tt::BackendGuard guard(tt::accel::optimized_backend());
    REQUIRE(&tt::current_backend() == &tt::accel::optimized_backend());
    CHECK_THAT(tt::matmul(a, b), tt::testing::AllClose(as_tensor_product(a, b), m15::gemm_tolerance(23)));
    {
      tt::BackendGuard inner(tt::reference_backend());
      CHECK(&tt::current_backend() == &tt::reference_backend());
    }
    CHECK(&tt::current_backend() == &tt::accel::optimized_backend());
    throw BackendThrew{};
  };
  REQUIRE_THROWS_AS(body(), BackendThrew);
  CHECK(&tt::current_backend() == &before);
}

TEST_CASE("Core layers route their matmuls through the installed backend with no code change", "[m15][15.7][points=3]") {
  tt::Rng rng(7);
  SECTION("Linear forward") {
    tt::Linear linear(20, 7, rng);
    const tt::Tensor x = tt::rand_uniform({5, 20}, -1, 1, rng);
    check_routes_through_backend([&] { return linear.forward(x); }, 1);
  }
  SECTION("Conv2d forward (im2col + matmul)") {
    tt::Conv2d conv(3, 4, 3, rng, 1, 1);
    const tt::Tensor x = tt::rand_uniform({2, 3, 8, 8}, -1, 1, rng);
    check_routes_through_backend([&] { return conv.forward(x); }, 1);
  }
  SECTION("causal attention: two products per (batch, head)") {
    const tt::Tensor q = tt::rand_uniform({1, 2, 5, 8}, -1, 1, rng);
    const tt::Tensor k = tt::rand_uniform({1, 2, 5, 8}, -1, 1, rng);
    const tt::Tensor v = tt::rand_uniform({1, 2, 5, 8}, -1, 1, rng);
    check_routes_through_backend([&] { return tt::causal_attention(q, k, v); }, 2 * 1 * 2);
  }
  SECTION("GPT forward: projections, MLP, attention and the LM head") {
    tt::GPTConfig cfg;
    cfg.vocab = 50;
    cfg.d_model = 32;
    cfg.n_heads = 2;
    cfg.n_layers = 2;
    cfg.max_seq = 16;
    cfg.d_ff = 64;
    cfg.seed = 3;
    tt::GPT gpt(cfg);
    const std::vector<std::int32_t> tokens{1, 2, 3, 4, 5, 6};
    // per block: q, k, v, o projections and fc1, fc2; then the LM head
    check_routes_through_backend([&] { return gpt.forward(tokens); }, static_cast<int>(cfg.n_layers) * 6 + 1);
  }
}
