// Reference for 17.5: the fast int8 GEMMs on packed weights (AVX-512 VNNI, ARM sdot, a portable fallback).
// Not the oracle: matmul_i8_reference (gemm_i8.cpp) is; every kernel here is bit-exact with it.
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

// ---- given code: packing, detection, dispatch (identical in the stub) ----

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

// ---- 17.5 ----

namespace {
#if defined(__aarch64__) && defined(__linux__)  // where arm_neon.h is included (above)
// One row of a against one full panel (16 columns), NEON without dotprod (every 64-bit ARM, e.g. a
// Pi 4's A72): per quad, smull/smull2 multiply 4 columns × 4 k into 16-bit lanes (|a·b| ≤ 2^14, no
// overflow) and sadalp adds them pairwise into 32 bits; the last pairwise add (addp) gives the columns.
inline void portable_panel16(const std::int8_t* a, const std::int8_t* bp, std::size_t quads, std::int32_t* out) {
  constexpr std::size_t kGroups = PackedI8::kPanel / 4;  // 4 columns × 4 k = 16 bytes each
  int32x4_t lo[kGroups], hi[kGroups];                    // columns 4g, 4g+1 (lo) and 4g+2, 4g+3 (hi), in halves
  for (std::size_t g = 0; g < kGroups; ++g) lo[g] = hi[g] = vdupq_n_s32(0);
  for (std::size_t q = 0; q < quads; ++q, bp += 4 * PackedI8::kPanel) {
    std::int32_t a4;
    std::memcpy(&a4, a + 4 * q, 4);
    const int8x16_t av = vreinterpretq_s8_s32(vdupq_n_s32(a4));
    for (std::size_t g = 0; g < kGroups; ++g) {
      const int8x16_t bv = vld1q_s8(bp + 16 * g);
      lo[g] = vpadalq_s16(lo[g], vmull_s8(vget_low_s8(bv), vget_low_s8(av)));
      hi[g] = vpadalq_s16(hi[g], vmull_high_s8(bv, av));
    }
  }
  for (std::size_t g = 0; g < kGroups; ++g) vst1q_s32(out + 4 * g, vpaddq_s32(lo[g], hi[g]));
}
#else
// One row of a against one full panel (16 columns); fixed sizes let the compiler vectorize.
inline void portable_panel16(const std::int8_t* a, const std::int8_t* bp, std::size_t quads, std::int32_t* out) {
  std::int32_t acc[PackedI8::kPanel] = {};
  for (std::size_t q = 0; q < quads; ++q) {
    const std::int8_t* bq = bp + q * 4 * PackedI8::kPanel;
    const std::int32_t a0 = a[4 * q], a1 = a[4 * q + 1], a2 = a[4 * q + 2], a3 = a[4 * q + 3];
    for (std::size_t jj = 0; jj < PackedI8::kPanel; ++jj) {
      acc[jj] += a0 * bq[4 * jj] + a1 * bq[4 * jj + 1] + a2 * bq[4 * jj + 2] + a3 * bq[4 * jj + 3];
    }
  }
  for (std::size_t jj = 0; jj < PackedI8::kPanel; ++jj) out[jj] = acc[jj];
}
#endif
}  // namespace

void gemm_i8_portable(const TensorI8& a, const PackedI8& b, TensorI32& c) {
  check_gemm(a, b, c, "gemm_i8_portable");
  const std::size_t m = a.shape()[0], k = b.k(), kp = b.k_padded();
  std::vector<std::int8_t> row(kp, 0);  // one row of a, zero-padded to kp
  for (std::size_t i = 0; i < m; ++i) {
    std::memcpy(row.data(), a.data() + i * k, k);
    for (std::size_t p = 0; p < b.panels(); ++p) {
      const std::size_t w = b.panel_width(p);
      const std::int8_t* bp = b.panel(p);
      std::int32_t* out = c.data() + i * b.n() + p * PackedI8::kPanel;
      if (w == PackedI8::kPanel) {
        portable_panel16(row.data(), bp, kp / 4, out);
        continue;
      }
      std::int32_t acc[PackedI8::kPanel] = {};
      for (std::size_t q = 0; q < kp / 4; ++q) {
        const std::int8_t* aq = row.data() + 4 * q;
        const std::int8_t* bq = bp + q * w * 4;
        for (std::size_t jj = 0; jj < w; ++jj) {
          acc[jj] += aq[0] * bq[4 * jj] + aq[1] * bq[4 * jj + 1] + aq[2] * bq[4 * jj + 2] + aq[3] * bq[4 * jj + 3];
        }
      }
      for (std::size_t jj = 0; jj < w; ++jj) out[jj] = acc[jj];
    }
  }
}

#if TT_HAVE_VNNI
namespace {

constexpr std::size_t kMr = 8;     // rows of a per micro-tile
constexpr std::size_t kKcQ = 128;  // k-quads per cache block (512 k: a 32-column B slice is 16 KiB)

struct PanelRef {
  const std::int8_t* data = nullptr;  // first byte of the k block
  std::size_t stride = 64;            // bytes per quad (4 · width)
  __mmask64 load_mask = ~__mmask64{0};
  __mmask16 store_mask = 0xFFFF;
  const std::int32_t* init = nullptr;  // -128 · column sums of the panel's columns
};

// C[MR rows][16·NV cols] (+)= Σ_q dpbusd(a_u8 quad broadcast, B panel quad). The loops over
// r and v are fully unrolled so that the MR·NV accumulators live in zmm registers.
template <int MR, int NV>
void micro_kernel(const std::uint8_t* a, std::size_t lda, const PanelRef* pr, std::size_t quads, std::int32_t* c,
                  std::size_t ldc, bool first) {
  __m512i acc[MR][NV];
  const std::int8_t* bp[NV];
  std::size_t bs[NV];
  __mmask64 lm[NV];
#pragma GCC unroll 2
  for (int v = 0; v < NV; ++v) {
    bp[v] = pr[v].data;
    bs[v] = pr[v].stride;
    lm[v] = pr[v].load_mask;
#pragma GCC unroll 16
    for (int r = 0; r < MR; ++r) {
      acc[r][v] = first ? _mm512_maskz_loadu_epi32(pr[v].store_mask, pr[v].init)
                        : _mm512_maskz_loadu_epi32(pr[v].store_mask, c + r * ldc + std::size_t{16} * v);
    }
  }
  for (std::size_t q = 0; q < quads; ++q) {
    __m512i bv[NV];
#pragma GCC unroll 2
    for (int v = 0; v < NV; ++v) {
      bv[v] = _mm512_maskz_loadu_epi8(lm[v], bp[v]);
      bp[v] += bs[v];
    }
#pragma GCC unroll 16
    for (int r = 0; r < MR; ++r) {
      std::int32_t a4;
      std::memcpy(&a4, a + r * lda, 4);
      const __m512i av = _mm512_set1_epi32(a4);
#pragma GCC unroll 2
      for (int v = 0; v < NV; ++v) acc[r][v] = _mm512_dpbusd_epi32(acc[r][v], av, bv[v]);
    }
    a += 4;
  }
#pragma GCC unroll 2
  for (int v = 0; v < NV; ++v) {
#pragma GCC unroll 16
    for (int r = 0; r < MR; ++r)
      _mm512_mask_storeu_epi32(c + r * ldc + std::size_t{16} * v, pr[v].store_mask, acc[r][v]);
  }
}

// The hot path: 8 rows × 2 full panels (32 columns), every accumulator a named variable (GCC
// keeps an array of 16 zmm accumulators on the stack; named ones stay in registers).
// src/src_ld: where the accumulators start (c itself, or the -128·column-sum row with ld 0).
#define TT_ACC(r)                                         \
  __m512i c##r##0 = _mm512_loadu_si512(src + (r)*src_ld); \
  __m512i c##r##1 = _mm512_loadu_si512(src + (r)*src_ld + 16);
#define TT_STEP(r)                                  \
  {                                                 \
    std::int32_t a4;                                \
    std::memcpy(&a4, a + (r)*lda, 4);               \
    const __m512i av = _mm512_set1_epi32(a4);       \
    c##r##0 = _mm512_dpbusd_epi32(c##r##0, av, b0); \
    c##r##1 = _mm512_dpbusd_epi32(c##r##1, av, b1); \
  }
#define TT_STORE(r)                          \
  _mm512_storeu_si512(c + (r)*ldc, c##r##0); \
  _mm512_storeu_si512(c + (r)*ldc + 16, c##r##1);

void kernel_8x32(const std::uint8_t* a, std::size_t lda, const std::int8_t* p0, const std::int8_t* p1,
                 std::size_t quads, const std::int32_t* src, std::size_t src_ld, std::int32_t* c, std::size_t ldc) {
  TT_ACC(0)
  TT_ACC(1) TT_ACC(2) TT_ACC(3) TT_ACC(4) TT_ACC(5) TT_ACC(6) TT_ACC(7) for (std::size_t q = 0; q < quads; ++q) {
    const __m512i b0 = _mm512_loadu_si512(p0 + 64 * q);
    const __m512i b1 = _mm512_loadu_si512(p1 + 64 * q);
    TT_STEP(0) TT_STEP(1) TT_STEP(2) TT_STEP(3) TT_STEP(4) TT_STEP(5) TT_STEP(6) TT_STEP(7) a += 4;
  }
  TT_STORE(0) TT_STORE(1) TT_STORE(2) TT_STORE(3) TT_STORE(4) TT_STORE(5) TT_STORE(6) TT_STORE(7)
}
#undef TT_ACC
#undef TT_STEP
#undef TT_STORE

using KernelFn = void (*)(const std::uint8_t*, std::size_t, const PanelRef*, std::size_t, std::int32_t*, std::size_t,
                          bool);

template <int NV, std::size_t... R>
constexpr auto kernel_table(std::index_sequence<R...>) {
  return std::array<KernelFn, sizeof...(R)>{&micro_kernel<static_cast<int>(R) + 1, NV>...};
}

}  // namespace
#endif

void gemm_i8_vnni(const TensorI8& a, const PackedI8& b, TensorI32& c) {
#if TT_HAVE_VNNI
  if (!vnni_available()) throw error("gemm_i8_vnni: this CPU has no AVX-512 VNNI; use GemmKernel::portable");
  check_gemm(a, b, c, "gemm_i8_vnni");
  const std::size_t m = a.shape()[0], k = b.k(), kp = b.k_padded(), n = b.n();
  // a + 128 as u8 (flipping the sign bit), rows zero-padded to kp: vpdpbusd wants u8 × s8.
  thread_local std::vector<std::uint8_t> au;
  au.assign(m * kp, 0);
  for (std::size_t i = 0; i < m; ++i) {
    const auto* src = reinterpret_cast<const std::uint8_t*>(a.data() + i * k);
    std::uint8_t* dst = au.data() + i * kp;
    for (std::size_t kk = 0; kk < k; ++kk) dst[kk] = static_cast<std::uint8_t>(src[kk] ^ 0x80U);
  }
  // Σ (a + 128) · b = Σ a · b + 128 · Σ b: start each accumulator at -128 · column sum.
  thread_local std::vector<std::int32_t> init;
  init.assign(b.panels() * PackedI8::kPanel, 0);
  for (std::size_t j = 0; j < n; ++j) init[j] = -128 * b.column_sums()(j);

  static const auto table1 = kernel_table<1>(std::make_index_sequence<kMr>{});
  static const auto table2 = kernel_table<2>(std::make_index_sequence<kMr>{});
  const std::size_t quads = kp / 4;
  std::int32_t* cd = c.data();
  for (std::size_t q0 = 0; q0 < quads; q0 += kKcQ) {
    const std::size_t qn = std::min(kKcQ, quads - q0);
    for (std::size_t p = 0; p < b.panels(); p += 2) {
      const int nv = p + 1 < b.panels() ? 2 : 1;
      PanelRef pr[2];
      for (int v = 0; v < nv; ++v) {
        const std::size_t w = b.panel_width(p + v);
        pr[v].stride = 4 * w;
        pr[v].data = b.panel(p + v) + q0 * pr[v].stride;
        pr[v].load_mask = w == 16 ? ~__mmask64{0} : ((__mmask64{1} << (4 * w)) - 1);
        pr[v].store_mask = static_cast<__mmask16>((1U << w) - 1);
        pr[v].init = init.data() + (p + v) * PackedI8::kPanel;
      }
      const auto& table = nv == 2 ? table2 : table1;
      const bool full = nv == 2 && b.panel_width(p + 1) == PackedI8::kPanel;
      for (std::size_t i = 0; i < m; i += kMr) {
        const std::size_t mr = std::min(kMr, m - i);
        std::int32_t* ct = cd + i * n + p * PackedI8::kPanel;
        if (full && mr == kMr) {
          kernel_8x32(au.data() + i * kp + 4 * q0, kp, pr[0].data, pr[1].data, qn, q0 == 0 ? pr[0].init : ct,
                      q0 == 0 ? 0 : n, ct, n);
        } else {
          table[mr - 1](au.data() + i * kp + 4 * q0, kp, pr, qn, ct, n, q0 == 0);
        }
      }
    }
  }
#else
  throw error(
      "gemm_i8_vnni: built without AVX-512 VNNI (-march=native on a CPU with avx512vnni); use "
      "GemmKernel::portable");
#endif
}

#if TT_HAVE_SDOT
namespace {

constexpr std::size_t kSdotMr = 4;  // rows per tile: 4 × 4 accumulators + 4 of b + 4 of a = 24 of 32 q registers
constexpr std::size_t kVecs = PackedI8::kPanel / 4;       // int32x4 accumulators per row of a panel (4 columns each)
constexpr std::size_t kQuadBytes = 4 * PackedI8::kPanel;  // one k-quad of a full panel: 64 bytes, 4 sdot operands
constexpr std::size_t kRowAlign = 16;                     // a row of a is read 16 bytes (4 quads) at a time

// acc[r][v] += quad L of av[r] · columns 4v..4v+3 of the panel quad at bq. sdot by element:
// the lane of a is picked by the instruction, so one load of a row serves 4 quads.
template <int MR, int L>
TT_DOTPROD inline __attribute__((always_inline)) void sdot_quad(int32x4_t (&acc)[MR][kVecs], const int8x16_t (&av)[MR],
                                                                const std::int8_t* bq) {
  int8x16_t bv[kVecs];
#pragma GCC unroll 4
  for (std::size_t v = 0; v < kVecs; ++v) bv[v] = vld1q_s8(bq + 16 * v);
#pragma GCC unroll 4
  for (int r = 0; r < MR; ++r) {
#pragma GCC unroll 4
    for (std::size_t v = 0; v < kVecs; ++v) acc[r][v] = vdotq_laneq_s32(acc[r][v], bv[v], av[r], L);
  }
}

// c[MR rows][width] = MR rows of a (lda bytes apart, zero-padded to a multiple of 16) · one
// 16-wide panel (quads k-quads of 64 bytes). Columns ≥ width are computed but not stored.
template <int MR>
TT_DOTPROD void sdot_tile(const std::int8_t* a, std::size_t lda, const std::int8_t* bp, std::size_t quads,
                          std::int32_t* c, std::size_t ldc, std::size_t width) {
  int32x4_t acc[MR][kVecs];
#pragma GCC unroll 4
  for (int r = 0; r < MR; ++r) {
#pragma GCC unroll 4
    for (std::size_t v = 0; v < kVecs; ++v) acc[r][v] = vdupq_n_s32(0);
  }
  int8x16_t av[MR];
  std::size_t q = 0;
  for (; q + 4 <= quads; q += 4, bp += 4 * kQuadBytes) {
#pragma GCC unroll 4
    for (int r = 0; r < MR; ++r) av[r] = vld1q_s8(a + r * lda + 4 * q);
    sdot_quad<MR, 0>(acc, av, bp);
    sdot_quad<MR, 1>(acc, av, bp + kQuadBytes);
    sdot_quad<MR, 2>(acc, av, bp + 2 * kQuadBytes);
    sdot_quad<MR, 3>(acc, av, bp + 3 * kQuadBytes);
  }
  if (q < quads) {  // 1–3 quads left; the 16-byte load of a stays inside the padded row
#pragma GCC unroll 4
    for (int r = 0; r < MR; ++r) av[r] = vld1q_s8(a + r * lda + 4 * q);
    sdot_quad<MR, 0>(acc, av, bp);
    if (quads - q > 1) sdot_quad<MR, 1>(acc, av, bp + kQuadBytes);
    if (quads - q > 2) sdot_quad<MR, 2>(acc, av, bp + 2 * kQuadBytes);
  }
#pragma GCC unroll 4
  for (int r = 0; r < MR; ++r) {
    std::int32_t row[PackedI8::kPanel];
    std::int32_t* dst = width == PackedI8::kPanel ? c + r * ldc : row;
#pragma GCC unroll 4
    for (std::size_t v = 0; v < kVecs; ++v) vst1q_s32(dst + 4 * v, acc[r][v]);
    if (dst == row) std::memcpy(c + r * ldc, row, width * sizeof(std::int32_t));
  }
}

using SdotTile = void (*)(const std::int8_t*, std::size_t, const std::int8_t*, std::size_t, std::int32_t*, std::size_t,
                          std::size_t);

}  // namespace
#endif

void gemm_i8_sdot(const TensorI8& a, const PackedI8& b, TensorI32& c) {
#if TT_HAVE_SDOT
  if (!sdot_available()) {
    throw error("gemm_i8_sdot: this CPU has no Armv8.2-A dot product (HWCAP_ASIMDDP); use GemmKernel::portable");
  }
  check_gemm(a, b, c, "gemm_i8_sdot");
  const std::size_t m = a.shape()[0], k = b.k(), n = b.n(), quads = b.k_padded() / 4;
  // Rows of a zero-padded to a multiple of 16 bytes (used in place when k already is one).
  const std::size_t lda = (k + kRowAlign - 1) / kRowAlign * kRowAlign;
  const std::int8_t* ad = a.data();
  thread_local std::vector<std::int8_t> apad, wide;
  if (lda != k) {
    apad.assign(m * lda, 0);
    for (std::size_t i = 0; i < m; ++i) std::memcpy(apad.data() + i * lda, a.data() + i * k, k);
    ad = apad.data();
  }
  static const std::array<SdotTile, kSdotMr> tiles = {&sdot_tile<1>, &sdot_tile<2>, &sdot_tile<3>, &sdot_tile<4>};
  for (std::size_t p = 0; p < b.panels(); ++p) {
    const std::size_t w = b.panel_width(p);
    const std::int8_t* bp = b.panel(p);
    if (w < PackedI8::kPanel) {  // the last, narrow panel: widened to 16 columns with zeros
      wide.assign(quads * kQuadBytes, 0);
      for (std::size_t q = 0; q < quads; ++q) std::memcpy(wide.data() + q * kQuadBytes, bp + q * 4 * w, 4 * w);
      bp = wide.data();
    }
    for (std::size_t i = 0; i < m; i += kSdotMr) {
      const std::size_t mr = std::min(kSdotMr, m - i);
      tiles[mr - 1](ad + i * lda, lda, bp, quads, c.data() + i * n + p * PackedI8::kPanel, n, w);
    }
  }
#else
  throw error(
      "gemm_i8_sdot: built for another architecture (sdot is 64-bit ARM's dotprod, __aarch64__ Linux); use "
      "GemmKernel::portable or best_kernel()");
#endif
}

}  // namespace tt::quant
