// Tests that the SIMD code of the course compiles to the instruction set the build targets (TT_ISA).
// Not a kernel test: module 15's tests check matmul_simd's answers; this checks which xsimd path they ran.
#include <string>

#include <catch2/catch.hpp>
#include <xsimd/xsimd.hpp>

TEST_CASE("xsimd's batch of floats is the widest the target instruction set has", "[core][simd]") {
  using Vec = xsimd::batch<float>;
  const std::string arch = xsimd::default_arch::name();
  INFO("xsimd default architecture: " << arch << ", " << Vec::size << " floats per register");
#if defined(__aarch64__)
  // 64-bit ARM always has NEON (Advanced SIMD): 128-bit registers, 4 floats, fused multiply-add.
  CHECK(arch == "arm64+neon");
  CHECK(Vec::size == 4);
#elif defined(__AVX512F__)
  CHECK(Vec::size == 16);
#elif defined(__AVX__)
  CHECK(Vec::size == 8);
#else
  CHECK(Vec::size == 4);
#endif
}

TEST_CASE("a fused multiply-add on xsimd batches matches the scalar computation lane by lane", "[core][simd]") {
  using Vec = xsimd::batch<float>;
  alignas(64) float a[Vec::size], b[Vec::size], c[Vec::size], out[Vec::size];
  for (std::size_t i = 0; i < Vec::size; ++i) {
    a[i] = 0.5F * static_cast<float>(i + 1);
    b[i] = 2.0F - static_cast<float>(i);
    c[i] = 0.25F;
  }
  xsimd::fma(Vec::load_aligned(a), Vec::load_aligned(b), Vec::load_aligned(c)).store_aligned(out);
  // Exact: every product and sum here is a small multiple of 1/4, representable in a float.
  for (std::size_t i = 0; i < Vec::size; ++i) CHECK(out[i] == a[i] * b[i] + c[i]);
}
