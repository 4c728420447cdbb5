// Student file for task 15.3: matmul_blocked, the i-k-j loops run tile by tile so each tile is reused from cache.
// Not packed and not register-blocked: that is matmul_simd's job (15.4); this shows what tiling alone buys.
#include "tt/accel/matmul.hpp"
#include "tt/errors.hpp"

namespace tt::accel {

void matmul_blocked(ConstMatrixRef a, ConstMatrixRef b, MatrixRef c, BlockSizes tiles) {
  // Check shapes (tt::check_gemm_shapes) and reject a zero tile size with tt::value_error.
  // Zero c, then loop over tiles: i0 in steps of tiles.mc, p0 in steps of tiles.kc, j0 in
  // steps of tiles.nc (the last tile of each is smaller: std::min). Inside a tile, run the
  // i-k-j loop of 15.2 restricted to the tile: c(i, j0..j1) += a(i, p) · b(p, j0..j1).
  // Why it helps: the (kc × nc) tile of b is read from cache by all mc rows of the a tile
  // instead of from memory once per row. Try a few tile sizes with the benchmark.
  // TODO(15.3): the tiled loops.
  TT_UNIMPLEMENTED("15.3 matmul_blocked");
}

}  // namespace tt::accel
