// Student file for task 15.5: matmul_parallel, matmul_simd on contiguous row blocks, one std::thread per block.
// Not a thread pool: starting threads per call costs tens of microseconds, so the backend only
// goes parallel above a measured size.
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
  // Then measure: if two threads are barely faster than one, the OS may have put both on the
  // same core; pinning each thread to its own CPU (pthread_setaffinity_np, restored after
  // the call) fixes that on a busy machine. Correctness does not depend on it.
  // TODO(15.5): the row split over threads.
  TT_UNIMPLEMENTED("15.5 matmul_parallel");
}

}  // namespace tt::accel
