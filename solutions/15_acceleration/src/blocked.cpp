// Reference 15.3: matmul_blocked, the i-k-j loops run tile by tile so each tile is reused from cache.
// Not packed and not register-blocked: that is matmul_simd's job; this shows what tiling alone buys.
#include <algorithm>
#include <string>

#include "tt/accel/matmul.hpp"
#include "tt/errors.hpp"

namespace tt::accel {

void matmul_blocked(ConstMatrixRef a, ConstMatrixRef b, MatrixRef c, BlockSizes tiles) {
  check_gemm_shapes(a, b, c);
  if (tiles.mc == 0 || tiles.nc == 0 || tiles.kc == 0)
    throw value_error("matmul_blocked: tile sizes must be >= 1, got mc=" + std::to_string(tiles.mc) +
                      " nc=" + std::to_string(tiles.nc) + " kc=" + std::to_string(tiles.kc) +
                      "; use BlockSizes{} for the defaults");
  const std::size_t m = a.rows;
  const std::size_t k = a.cols;
  const std::size_t n = b.cols;
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < n; ++j) c(i, j) = 0.0F;

  // Loop order of the tiles: a (kc × nc) tile of b is loaded once per (i0, p0, j0) and then
  // reused by all mc rows of the a tile, so b's traffic drops by a factor of mc.
  for (std::size_t i0 = 0; i0 < m; i0 += tiles.mc) {
    const std::size_t i1 = std::min(m, i0 + tiles.mc);
    for (std::size_t p0 = 0; p0 < k; p0 += tiles.kc) {
      const std::size_t p1 = std::min(k, p0 + tiles.kc);
      for (std::size_t j0 = 0; j0 < n; j0 += tiles.nc) {
        const std::size_t j1 = std::min(n, j0 + tiles.nc);
        for (std::size_t i = i0; i < i1; ++i) {
          float* __restrict crow = &c(i, 0);
          for (std::size_t p = p0; p < p1; ++p) {
            const float aip = a(i, p);
            if (b.col_stride == 1) {
              const float* __restrict brow = &b.data[static_cast<std::ptrdiff_t>(p) * b.row_stride];
              for (std::size_t j = j0; j < j1; ++j) crow[j] += aip * brow[j];
            } else {
              for (std::size_t j = j0; j < j1; ++j) crow[j] += aip * b(p, j);
            }
          }
        }
      }
    }
  }
}

}  // namespace tt::accel
