// Module 15's matrix-multiply kernels, from the textbook loop to a packed SIMD micro-kernel.
// Not the backend that chooses between them (tt/accel/backend.hpp), and not a general BLAS.
#pragma once

#include <cstddef>

#include "tt/matmul.hpp"

namespace tt::accel {

// Every kernel computes c = a · b, overwriting c (never accumulating into it):
//   a: (m, k) · b: (k, n) → c: (m, n)
// a and b may have any strides (a transposed view is the same memory with its strides
// swapped); c is row-major with row stride >= n. Sizes may be anything >= 1, including
// sizes that are not multiples of a tile or of the SIMD width. Mismatched shapes throw
// tt::shape_error (tt::check_gemm_shapes) before anything is written.

// ---- Part 2: why we need optimization ----------------------------------------------------

// Arithmetic intensity of one (m, k)·(k, n) product in FLOP per byte, counting the minimum
// traffic: every float of a, b and c moved once (4 bytes each), 2·m·n·k FLOPs.
// (m, n, k) → gemm_flops(m, n, k) / (4 · (m·k + k·n + m·n)); value_error if any size is 0.
double arithmetic_intensity(std::size_t m, std::size_t n, std::size_t k);

// The textbook i-j-k loop: a dot product per element of c, accumulated in float.
// Walks b down a column (stride n): one cache line per multiply-add once b leaves the cache.
// a: (m, k) · b: (k, n) → c: (m, n)
void matmul_naive(ConstMatrixRef a, ConstMatrixRef b, MatrixRef c);

// The i-k-j loop: c's row i += a(i, p) · b's row p. The inner loop walks b and c with unit
// stride, so it streams whole cache lines and the compiler vectorizes it.
// a: (m, k) · b: (k, n) → c: (m, n)
void matmul_reordered(ConstMatrixRef a, ConstMatrixRef b, MatrixRef c);

// ---- Part 3: building better ---------------------------------------------------------------

// Cache tiles of matmul_blocked: c is computed in (mc × nc) tiles, each summing (mc × kc) ·
// (kc × nc) products, sized so the three tiles stay in L1/L2 while they are reused.
struct BlockSizes {
  std::size_t mc = 64;   // rows of a and c per tile
  std::size_t nc = 256;  // columns of b and c per tile
  std::size_t kc = 128;  // the shared (inner) dimension per tile
};

// Cache-blocked i-k-j loops over tiles of a, b and c (tiles as parameters: value_error if
// any is 0). Edge tiles are smaller; any size works.
// a: (m, k) · b: (k, n) → c: (m, n)
void matmul_blocked(ConstMatrixRef a, ConstMatrixRef b, MatrixRef c, BlockSizes tiles = {});

// The BLAS-style kernel: a and b are packed (through their strides, so transposed views
// work) into contiguous, 64-byte-aligned panels, then a register-blocked micro-kernel written
// with xsimd (batch<float>, fma) computes an (MR × NR) block of c entirely in registers.
// Edge blocks (m or n not a multiple of the register tile) are handled; any size works.
// a: (m, k) · b: (k, n) → c: (m, n)
void matmul_simd(ConstMatrixRef a, ConstMatrixRef b, MatrixRef c);

// matmul_simd on row blocks of a and c, one thread per block (`threads` >= 1, else
// value_error; never more blocks than rows). The calling thread computes one block itself.
// a: (m, k) · b: (k, n) → c: (m, n)
void matmul_parallel(ConstMatrixRef a, ConstMatrixRef b, MatrixRef c, int threads = 2);

// ---- Part 4: production reality -------------------------------------------------------------

// OpenBLAS's sgemm (tt::blas::sgemm), with the same contract as the kernels above.
// a: (m, k) · b: (k, n) → c: (m, n)
void matmul_blas(ConstMatrixRef a, ConstMatrixRef b, MatrixRef c);

}  // namespace tt::accel
