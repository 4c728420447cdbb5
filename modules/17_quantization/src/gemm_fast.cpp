// Your code for 17.5: the fast int8 GEMMs on packed weights (AVX-512 VNNI, ARM sdot, a portable fallback).
// Not the oracle: matmul_i8_reference (gemm_i8.cpp) is; every kernel must be bit-exact with it.
#include <algorithm>
#include <array>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#if defined(__AVX512VNNI__) && defined(__AVX512BW__)
#include <immintrin.h>
#define TT_HAVE_VNNI 1
#else
#define TT_HAVE_VNNI 0
#endif

// The sdot kernel is compiled on any 64-bit ARM Linux build; the CPU is asked at run time.
#if defined(__aarch64__) && defined(__linux__)
#include <arm_neon.h>
#include <sys/auxv.h>
#ifndef HWCAP_ASIMDDP
#define HWCAP_ASIMDDP (1UL << 20)  // the kernel's arm64 hwcap bit for dotprod
#endif
#define TT_HAVE_SDOT 1
// Functions that use vdotq_s32: compiled for Armv8.2-A + dotprod whatever TT_ISA says.
#define TT_DOTPROD __attribute__((target("arch=armv8.2-a+dotprod")))
#else
#define TT_HAVE_SDOT 0
#endif

#include "tt/quant/gemm_i8.hpp"

namespace tt::quant {

// ---- given code: packing, detection, dispatch (read it: your kernels consume this layout) ----

PackedI8::PackedI8(const TensorI8& b) {
  if (b.dimension() != 2 || b.shape()[0] == 0 || b.shape()[1] == 0) {
    throw shape_error("PackedI8: expected a non-empty (n, k) int8 matrix, got " + shape_of(b));
  }
  n_ = b.shape()[0];
  k_ = b.shape()[1];
  kp_ = (k_ + 3) / 4 * 4;
  data_ = TensorI8::from_shape({n_ * kp_});
  col_sums_ = TensorI32::from_shape({n_});
  std::int8_t* out = data_.data();
  for (std::size_t p = 0; p < panels(); ++p) {
    const std::size_t w = panel_width(p);
    std::int8_t* base = out + p * kPanel * kp_;
    for (std::size_t q = 0; q < kp_ / 4; ++q) {
      for (std::size_t jj = 0; jj < w; ++jj) {
        for (std::size_t t = 0; t < 4; ++t) {
          const std::size_t kk = 4 * q + t;
          base[(q * w + jj) * 4 + t] = kk < k_ ? b(p * kPanel + jj, kk) : std::int8_t{0};
        }
      }
    }
  }
  for (std::size_t j = 0; j < n_; ++j) {
    std::int32_t s = 0;
    for (std::size_t kk = 0; kk < k_; ++kk) s += b(j, kk);
    col_sums_(j) = s;
  }
}

std::int8_t PackedI8::at(std::size_t j, std::size_t kk) const {
  const std::size_t p = j / kPanel, jj = j % kPanel, w = panel_width(p);
  return panel(p)[((kk / 4) * w + jj) * 4 + kk % 4];
}

TensorI8 PackedI8::unpack() const {
  TensorI8 b = TensorI8::from_shape({n_, k_});
  for (std::size_t j = 0; j < n_; ++j) {
    for (std::size_t kk = 0; kk < k_; ++kk) b(j, kk) = at(j, kk);
  }
  return b;
}

std::string to_string(GemmKernel k) {
  switch (k) {
    case GemmKernel::vnni:
      return "vnni";
    case GemmKernel::sdot:
      return "sdot";
    case GemmKernel::portable:
      break;
  }
  return "portable";
}

bool vnni_available() {
#if TT_HAVE_VNNI
  static const bool ok = __builtin_cpu_supports("avx512vnni") && __builtin_cpu_supports("avx512bw");
  return ok;
#else
  return false;
#endif
}

bool sdot_available() {
#if TT_HAVE_SDOT
  static const bool ok = (getauxval(AT_HWCAP) & HWCAP_ASIMDDP) != 0;
  return ok;
#else
  return false;
#endif
}

GemmKernel best_kernel() {
  if (vnni_available()) return GemmKernel::vnni;
  return sdot_available() ? GemmKernel::sdot : GemmKernel::portable;
}

namespace {
void check_gemm(const TensorI8& a, const PackedI8& b, TensorI32& c, const char* what) {
  if (a.dimension() != 2 || a.shape()[1] != b.k()) {
    throw shape_error(std::string(what) + ": expected a (m, " + std::to_string(b.k()) + ") to multiply packed b (" +
                      std::to_string(b.n()) + ", " + std::to_string(b.k()) + "), got a " + shape_of(a));
  }
  const std::size_t m = a.shape()[0];
  if (c.dimension() != 2 || c.shape()[0] != m || c.shape()[1] != b.n()) c = TensorI32::from_shape({m, b.n()});
}
}  // namespace

void gemm_i8(const TensorI8& a, const PackedI8& b, TensorI32& c, GemmKernel kernel) {
  if (kernel == GemmKernel::vnni) {
    gemm_i8_vnni(a, b, c);
  } else if (kernel == GemmKernel::sdot) {
    gemm_i8_sdot(a, b, c);
  } else {
    gemm_i8_portable(a, b, c);
  }
}

// ---- 17.5: your kernels ----

void gemm_i8_portable(const TensorI8& a, const PackedI8& b, TensorI32& c) {
  check_gemm(a, b, c, "gemm_i8_portable");
  // Plain C++ on the packed layout: for each row of a (copied into a zero-padded buffer of
  // k_padded() bytes) and each panel, 16 int32 accumulators; for each group of 4 k's,
  // acc[jj] += Σ_t a[4q + t] · panel[(q · width + jj) · 4 + t]. Start simple and correct.
  // TODO(17.5): the portable kernel.
  TT_UNIMPLEMENTED("17.5 gemm_i8_portable");
}

void gemm_i8_vnni(const TensorI8& a, const PackedI8& b, TensorI32& c) {
#if TT_HAVE_VNNI
  if (!vnni_available()) throw error("gemm_i8_vnni: this CPU has no AVX-512 VNNI; use GemmKernel::portable");
  check_gemm(a, b, c, "gemm_i8_vnni");
  // _mm512_dpbusd_epi32(acc, u, s) adds, in each of 16 int32 lanes, the 4 products of
  // unsigned bytes of u with signed bytes of s. Activations are signed, so:
  //  1. copy a into a u8 buffer with a + 128 (x ^ 0x80), rows zero-padded to k_padded();
  //  2. start each accumulator lane j at -128 · column_sums()(j), which cancels the +128;
  //  3. micro-kernel: a tile of MR rows × 16·NV columns held in MR·NV zmm registers; per group
  //     of 4 k's load NV panel vectors (64 bytes each; _mm512_maskz_loadu_epi8 for the last,
  //     narrower panel), broadcast 4 bytes of each row (_mm512_set1_epi32) and dpbusd;
  //  4. block k (e.g. 512 at a time, adding into c) so a panel's slice stays in L1;
  //  5. store with _mm512_mask_storeu_epi32 where the panel is narrower than 16.
  // Handle every m (rows left over), n (partial panels) and k (padding) — the tests do.
  // TODO(17.5): the VNNI kernel.
  TT_UNIMPLEMENTED("17.5 gemm_i8_vnni");
#else
  throw error(
      "gemm_i8_vnni: built without AVX-512 VNNI (-march=native on a CPU with avx512vnni); use "
      "GemmKernel::portable");
#endif
}

void gemm_i8_sdot(const TensorI8& a, const PackedI8& b, TensorI32& c) {
#if TT_HAVE_SDOT
  if (!sdot_available()) {
    throw error("gemm_i8_sdot: this CPU has no Armv8.2-A dot product (HWCAP_ASIMDDP); use GemmKernel::portable");
  }
  check_gemm(a, b, c, "gemm_i8_sdot");
  // vdotq_laneq_s32(acc, b, a, L) adds, in each of 4 int32 lanes, the 4 products of signed
  // bytes of b with the signed bytes of quad L of a: no offset, no column-sum correction.
  //  1. copy a into a buffer whose rows are zero-padded to a multiple of 16 bytes: one vld1q_s8
  //     of a row then feeds 4 k-quads (lanes 0..3), and the last 1–3 quads read no further;
  //  2. micro-kernel: MR rows (e.g. 4) × one panel of 16 columns = 4 int32x4 per row; per quad
  //     load the panel's 64 bytes as 4 vectors (4 columns × 4 k each) and sdot each row's lane;
  //  3. the last panel may be narrower than 16: widen it to 16 columns with zeros first (or it
  //     reads past the end), and store only its width.
  // Put TT_DOTPROD on every function that calls a dotprod intrinsic (and mark helpers inline).
  // TODO(17.5): the sdot kernel (64-bit ARM only; the tests run it under qemu-aarch64).
  TT_UNIMPLEMENTED("17.5 gemm_i8_sdot");
#else
  throw error(
      "gemm_i8_sdot: built for another architecture (sdot is 64-bit ARM's dotprod, __aarch64__ Linux); use "
      "GemmKernel::portable or best_kernel()");
#endif
}

}  // namespace tt::quant
