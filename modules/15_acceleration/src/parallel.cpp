// Student file for task 15.5: matmul_parallel, matmul_simd on contiguous row blocks, one thread per block.
// Not a general scheduler: one fork-join split of the rows per call.
#include "tt/accel/matmul.hpp"
#include "tt/errors.hpp"

namespace tt::accel {

void matmul_parallel(ConstMatrixRef a, ConstMatrixRef b, MatrixRef c, int threads) {
  // Check shapes, then reject threads < 1 with tt::value_error. Split the rows of a and c into
  // parts = min(threads, m) contiguous blocks: block t is rows [t·m/parts, (t+1)·m/parts).
  // A block is just a view: same strides, data pointer moved by r0 rows. Start parts - 1
  // std::threads, each calling matmul_simd on its block, compute block 0 on this thread, then
  // join them all. An exception inside a thread must not terminate the program: catch it
  // there (std::current_exception), join, then rethrow it on the calling thread.
  // Then measure (./scripts/bench 15): if two threads are barely faster than one, look at
  // what a call costs besides the product: creating threads, and their thread_local pack
  // buffers being fresh pages every time. Workers kept alive between calls (README, 15.5)
  // fix both. Correctness does not depend on it.
  // TODO(15.5): the row split over threads.
  TT_UNIMPLEMENTED("15.5 matmul_parallel");
}

}  // namespace tt::accel
