// Student file for task 15.4: matmul_simd, packed panels and a register-blocked xsimd micro-kernel (GotoBLAS/BLIS
// style). Not multithreaded (matmul_parallel, 15.5, splits rows over threads) and not a general BLAS.
#include <xsimd/xsimd.hpp>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "tt/accel/matmul.hpp"
#include "tt/errors.hpp"

namespace tt::accel {
namespace {

using Vec = xsimd::batch<float>;
[[maybe_unused]] constexpr std::size_t kW = Vec::size;  // floats per register: 16 with AVX-512, 8 with AVX2

// Register tile: MR rows × NV vectors of c stay in registers for the whole k loop.
// Budget: MR·NV accumulators + NV values of b + 1 broadcast <= the register file (32 zmm with
// AVX-512, 32 on NEON, 16 ymm with AVX2), and MR·NV >= 2 FMA units × 4 cycles of latency = 8,
// so the FMA units never wait. Start with 6 × 4 (24 accumulators) on 32 registers, 6 × 2 on 16;
// the benchmark lets you compare others.
#if defined(__AVX512F__) || defined(__aarch64__)
[[maybe_unused]] constexpr std::size_t kVectorRegisters = 32;
#else
[[maybe_unused]] constexpr std::size_t kVectorRegisters = 16;
#endif
[[maybe_unused]] constexpr std::size_t kMR = 6;
[[maybe_unused]] constexpr std::size_t kNV = kVectorRegisters >= 32 ? 4 : 2;
[[maybe_unused]] constexpr std::size_t kNR = kNV * kW;

// Cache blocks: a (kc × NR) micro-panel of b stays in L1 while it meets every micro-panel of
// a; the packed (mc × kc) block of a stays in L2; the packed (kc × nc) panel of b in L3.
[[maybe_unused]] constexpr std::size_t kKC = 256;
[[maybe_unused]] constexpr std::size_t kMC = kMR * 24;
[[maybe_unused]] constexpr std::size_t kNC = (4096 / kNR) * kNR;
[[maybe_unused]] constexpr std::size_t kAlign = 64;  // a cache line, and the alignment of a zmm load

struct FreeDeleter {
  void operator()(float* p) const { std::free(p); }
};

// Given: a per-thread, 64-byte-aligned scratch buffer that only grows. Use one for a, one
// for b: `thread_local PackBuffer buf_a; float* pa = buf_a.get(kMC * kKC);`
class [[maybe_unused]] PackBuffer {
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

}  // namespace

void matmul_simd(ConstMatrixRef a, ConstMatrixRef b, MatrixRef c) {
  // Build it in four pieces (helper functions in the anonymous namespace above):
  //  1. pack_b: b(p0..p0+kc, j0..j0+nc) → micro-panels of NR columns; in panel s, for each p,
  //     the NR values b(p, j0 + s·NR + 0..NR-1) are contiguous. Pad missing columns with 0.
  //     Read through the view (b(p, j) or pointers with b.row_stride/b.col_stride), so a
  //     transposed b works; memcpy a row when b.col_stride == 1.
  //  2. pack_a: a(i0..i0+mc, p0..p0+kc) → micro-panels of MR rows; for each p, the MR values
  //     a(i0 + r·MR + 0..MR-1, p) are contiguous. Pad missing rows with 0.
  //  3. micro_kernel(kc, a_panel, b_panel, c, ldc, accumulate): Vec acc[kMR][kNV] = 0; for each
  //     p: load NV vectors of b (Vec::load_aligned), then for each row r broadcast a[r]
  //     (Vec(a[r])) and acc[r][v] = xsimd::fma(ar, bv[v], acc[r][v]). Finally store (or add,
  //     when accumulate: every kc block after the first adds to c) with store_unaligned.
  //  4. The loop nest: for j0 (step kNC) { for p0 (step kKC) { pack_b; for i0 (step kMC)
  //     { pack_a; for each NR panel j, for each MR panel i: micro_kernel } } }.
  //     Edge tiles (fewer than MR rows or NR columns left): run the micro-kernel into an
  //     aligned MR×NR scratch tile and copy (or add) only the valid part into c.
  // Check shapes first (tt::check_gemm_shapes). Compare with matmul_naive on awkward shapes,
  // then time it: `m15_perf_student --case matmul_simd`.
  // TODO(15.4): packing, micro-kernel, loop nest.
  TT_UNIMPLEMENTED("15.4 matmul_simd");
}

}  // namespace tt::accel
