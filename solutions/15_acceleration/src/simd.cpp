// Reference 15.4: matmul_simd, packed panels and a register-blocked xsimd micro-kernel (GotoBLAS/BLIS style).
// Not multithreaded (matmul_parallel splits rows over threads) and not tuned for every CPU: the
// tile sizes below were measured on the course machine (AMD Zen 5, AVX-512).
#include <xsimd/xsimd.hpp>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "tt/accel/matmul.hpp"

namespace tt::accel {
namespace {

using Vec = xsimd::batch<float>;
constexpr std::size_t kW = Vec::size;  // floats per SIMD register: 16 with AVX-512, 8 with AVX2

// Register tile: MR rows × NV vectors of c live in registers during the k loop.
// MR·NV accumulators + NV values of b + 1 broadcast must fit in the register file
// (32 zmm with AVX-512: 6·4 + 4 + 1 = 29), and MR·NV ≥ 2 FMA pipes × 4 cycles latency = 8
// independent accumulators so the FMA units never wait. 6×4 needs the fewest loads per FMA
// (4 vectors + 6 broadcasts per 24 FMAs); measured on Zen 5 it edged out 8×3, 8×2 and 12×2
// (see the module README). AVX2 has 16 ymm registers, where 6×4 would spill: 6×2 (12
// accumulators + 2 + 1 = 15, BLIS's Haswell shape). NEON has 32, like AVX-512.
// The macros let the benchmark sweep other shapes.
#if defined(__AVX512F__) || defined(__aarch64__)
constexpr std::size_t kVectorRegisters = 32;
#else
constexpr std::size_t kVectorRegisters = 16;
#endif
#ifndef TT_M15_MR
#define TT_M15_MR 6
#endif
#ifndef TT_M15_NV
#define TT_M15_NV (kVectorRegisters >= 32 ? 4 : 2)
#endif
constexpr std::size_t kMR = TT_M15_MR;
constexpr std::size_t kNV = TT_M15_NV;
constexpr std::size_t kNR = kNV * kW;  // columns of the register tile

// Cache blocks: a kc-deep micro-panel of b (kc × NR floats) stays in L1 while it meets every
// micro-panel of a; the packed block of a (mc × kc) stays in L2; the packed panel of b
// (kc × nc) in L3.
#ifndef TT_M15_KC
#define TT_M15_KC 256
#endif
#ifndef TT_M15_MC
#define TT_M15_MC (kMR * 24)
#endif
#ifndef TT_M15_NC
#define TT_M15_NC 4096
#endif
constexpr std::size_t kKC = TT_M15_KC;
constexpr std::size_t kMC = TT_M15_MC;
constexpr std::size_t kNC = (TT_M15_NC / kNR) * kNR;

constexpr std::size_t kAlign = 64;  // one cache line; also the alignment of a zmm load

struct FreeDeleter {
  void operator()(float* p) const { std::free(p); }
};

// A per-thread, 64-byte-aligned scratch buffer that only grows.
class PackBuffer {
 public:
  float* get(std::size_t floats) {
    if (floats > size_) {
      const std::size_t bytes = (floats * sizeof(float) + kAlign - 1) / kAlign * kAlign;
      data_.reset(static_cast<float*>(std::aligned_alloc(kAlign, bytes)));
      if (!data_) throw std::bad_alloc();
      size_ = floats;
    }
    return data_.get();
  }

 private:
  std::unique_ptr<float, FreeDeleter> data_;
  std::size_t size_ = 0;
};

// Packs a(i0 .. i0+mc, p0 .. p0+kc) into micro-panels of MR rows: panel r holds, for each p,
// the MR values a(i0 + r·MR + 0 .. MR-1, p) contiguously (rows past the edge are zeros).
void pack_a(const ConstMatrixRef& a, std::size_t i0, std::size_t mc, std::size_t p0, std::size_t kc, float* out) {
  for (std::size_t r0 = 0; r0 < mc; r0 += kMR) {
    const std::size_t rows = std::min(kMR, mc - r0);
    const float* base =
        a.data + static_cast<std::ptrdiff_t>(i0 + r0) * a.row_stride + static_cast<std::ptrdiff_t>(p0) * a.col_stride;
    if (a.row_stride == 1) {
      // a is a transposed row-major matrix: the MR values of one p are contiguous.
      for (std::size_t p = 0; p < kc; ++p) {
        const float* src = base + static_cast<std::ptrdiff_t>(p) * a.col_stride;
        float* dst = out + p * kMR;
        std::size_t r = 0;
        for (; r < rows; ++r) dst[r] = src[r];
        for (; r < kMR; ++r) dst[r] = 0.0F;
      }
    } else {
      // Row by row: each row of a is read along p with its column stride (1 when row-major).
      for (std::size_t r = 0; r < rows; ++r) {
        const float* src = base + static_cast<std::ptrdiff_t>(r) * a.row_stride;
        const std::ptrdiff_t cs = a.col_stride;
        for (std::size_t p = 0; p < kc; ++p) out[p * kMR + r] = src[static_cast<std::ptrdiff_t>(p) * cs];
      }
      for (std::size_t r = rows; r < kMR; ++r)
        for (std::size_t p = 0; p < kc; ++p) out[p * kMR + r] = 0.0F;
    }
    out += kc * kMR;
  }
}

// Packs b(p0 .. p0+kc, j0 .. j0+nc) into micro-panels of NR columns: panel s holds, for each p,
// the NR values b(p, j0 + s·NR + 0 .. NR-1) contiguously (columns past the edge are zeros).
void pack_b(const ConstMatrixRef& b, std::size_t p0, std::size_t kc, std::size_t j0, std::size_t nc, float* out) {
  for (std::size_t s0 = 0; s0 < nc; s0 += kNR) {
    const std::size_t cols = std::min(kNR, nc - s0);
    const float* base =
        b.data + static_cast<std::ptrdiff_t>(p0) * b.row_stride + static_cast<std::ptrdiff_t>(j0 + s0) * b.col_stride;
    if (b.col_stride == 1) {
      for (std::size_t p = 0; p < kc; ++p) {
        const float* src = base + static_cast<std::ptrdiff_t>(p) * b.row_stride;
        float* dst = out + p * kNR;
        if (cols == kNR) {
          std::memcpy(dst, src, kNR * sizeof(float));
        } else {
          std::size_t j = 0;
          for (; j < cols; ++j) dst[j] = src[j];
          for (; j < kNR; ++j) dst[j] = 0.0F;
        }
      }
    } else {
      // b is (for example) a transposed row-major matrix: read each column along p.
      for (std::size_t j = 0; j < cols; ++j) {
        const float* src = base + static_cast<std::ptrdiff_t>(j) * b.col_stride;
        const std::ptrdiff_t rs = b.row_stride;
        for (std::size_t p = 0; p < kc; ++p) out[p * kNR + j] = src[static_cast<std::ptrdiff_t>(p) * rs];
      }
      for (std::size_t j = cols; j < kNR; ++j)
        for (std::size_t p = 0; p < kc; ++p) out[p * kNR + j] = 0.0F;
    }
    out += kc * kNR;
  }
}

// The micro-kernel: c(MR × NR) (=|+=) a_panel(MR × kc) · b_panel(kc × NR), all in registers.
// a: kc groups of MR floats · b: kc groups of NR floats (64-byte aligned) · c: row stride ldc.
void micro_kernel(std::size_t kc, const float* __restrict a, const float* __restrict b, float* c, std::ptrdiff_t ldc,
                  bool accumulate) {
  Vec acc[kMR][kNV];
#pragma GCC unroll 16
  for (std::size_t r = 0; r < kMR; ++r)
#pragma GCC unroll 4
    for (std::size_t v = 0; v < kNV; ++v) acc[r][v] = Vec(0.0F);

#pragma GCC unroll 4
  for (std::size_t p = 0; p < kc; ++p) {
    Vec bv[kNV];
#pragma GCC unroll 4
    for (std::size_t v = 0; v < kNV; ++v) bv[v] = Vec::load_aligned(b + v * kW);
#pragma GCC unroll 16
    for (std::size_t r = 0; r < kMR; ++r) {
      const Vec ar(a[r]);
#pragma GCC unroll 4
      for (std::size_t v = 0; v < kNV; ++v) acc[r][v] = xsimd::fma(ar, bv[v], acc[r][v]);
    }
    a += kMR;
    b += kNR;
  }

#pragma GCC unroll 16
  for (std::size_t r = 0; r < kMR; ++r) {
    float* row = c + static_cast<std::ptrdiff_t>(r) * ldc;
#pragma GCC unroll 4
    for (std::size_t v = 0; v < kNV; ++v) {
      Vec out = acc[r][v];
      if (accumulate) out += Vec::load_unaligned(row + v * kW);
      out.store_unaligned(row + v * kW);
    }
  }
}

// One (mc × kc) packed block of a times one (kc × nc) packed panel of b into c.
void macro_kernel(std::size_t mc, std::size_t nc, std::size_t kc, const float* pa, const float* pb, float* c,
                  std::ptrdiff_t ldc, bool accumulate) {
  alignas(kAlign) float edge[kMR * kNR];
  for (std::size_t j = 0; j < nc; j += kNR) {
    const std::size_t cols = std::min(kNR, nc - j);
    const float* b_panel = pb + (j / kNR) * kc * kNR;
    for (std::size_t i = 0; i < mc; i += kMR) {
      const std::size_t rows = std::min(kMR, mc - i);
      const float* a_panel = pa + (i / kMR) * kc * kMR;
      float* c_tile = c + static_cast<std::ptrdiff_t>(i) * ldc + static_cast<std::ptrdiff_t>(j);
      if (rows == kMR && cols == kNR) {
        micro_kernel(kc, a_panel, b_panel, c_tile, ldc, accumulate);
      } else {
        // An edge tile: compute the full register tile into scratch, keep the valid part.
        micro_kernel(kc, a_panel, b_panel, edge, static_cast<std::ptrdiff_t>(kNR), false);
        for (std::size_t r = 0; r < rows; ++r) {
          float* dst = c_tile + static_cast<std::ptrdiff_t>(r) * ldc;
          const float* src = edge + r * kNR;
          if (accumulate) {
            for (std::size_t q = 0; q < cols; ++q) dst[q] += src[q];
          } else {
            for (std::size_t q = 0; q < cols; ++q) dst[q] = src[q];
          }
        }
      }
    }
  }
}

}  // namespace

void matmul_simd(ConstMatrixRef a, ConstMatrixRef b, MatrixRef c) {
  check_gemm_shapes(a, b, c);
  const std::size_t m = a.rows;
  const std::size_t k = a.cols;
  const std::size_t n = b.cols;
  thread_local PackBuffer buf_a;
  thread_local PackBuffer buf_b;
  const std::size_t nc_max = std::min(kNC, (n + kNR - 1) / kNR * kNR);
  const std::size_t kc_max = std::min(kKC, k);
  const std::size_t mc_max = std::min(kMC, (m + kMR - 1) / kMR * kMR);
  float* pb = buf_b.get(kc_max * nc_max);
  float* pa = buf_a.get(kc_max * mc_max);

  for (std::size_t j0 = 0; j0 < n; j0 += kNC) {
    const std::size_t nc = std::min(kNC, n - j0);
    for (std::size_t p0 = 0; p0 < k; p0 += kKC) {
      const std::size_t kc = std::min(kKC, k - p0);
      pack_b(b, p0, kc, j0, nc, pb);
      for (std::size_t i0 = 0; i0 < m; i0 += kMC) {
        const std::size_t mc = std::min(kMC, m - i0);
        pack_a(a, i0, mc, p0, kc, pa);
        macro_kernel(mc, nc, kc, pa, pb,
                     c.data + static_cast<std::ptrdiff_t>(i0) * c.row_stride + static_cast<std::ptrdiff_t>(j0),
                     c.row_stride, p0 > 0);
      }
    }
  }
}

}  // namespace tt::accel
