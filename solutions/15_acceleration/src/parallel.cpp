// Reference 15.5: matmul_parallel, matmul_simd on contiguous row blocks, one std::thread per block.
// Not a thread pool: threads are started per call (tens of microseconds), which is why the
// backend only goes parallel above a measured size. Each thread packs its own panels.
#include <algorithm>
#include <exception>
#include <string>
#include <thread>
#include <vector>

#ifdef __linux__
#include <pthread.h>
#include <sched.h>
#endif

#include "tt/accel/matmul.hpp"
#include "tt/errors.hpp"

namespace tt::accel {
namespace {

// On a busy machine the scheduler may start the new thread on the caller's own core, where
// both then run at half speed (measured on the course VM: 2 threads ≈ 1 thread unpinned,
// 1.8× pinned). So each thread is pinned to its own CPU for the duration of the call, and
// the caller's previous affinity is restored afterwards, also when an exception passes.
class CpuPin {
 public:
#ifdef __linux__
  explicit CpuPin(int cpu) {
    have_old_ = pthread_getaffinity_np(pthread_self(), sizeof(old_), &old_) == 0;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    pinned_ = have_old_ && pthread_setaffinity_np(pthread_self(), sizeof(set), &set) == 0;
  }
  ~CpuPin() {
    if (pinned_) pthread_setaffinity_np(pthread_self(), sizeof(old_), &old_);
  }
  static int current_cpu() { return std::max(0, sched_getcpu()); }

 private:
  cpu_set_t old_{};
  bool have_old_ = false;
  bool pinned_ = false;
#else
  explicit CpuPin(int) {}
  static int current_cpu() { return 0; }
#endif
 public:
  CpuPin(const CpuPin&) = delete;
  CpuPin& operator=(const CpuPin&) = delete;
};

}  // namespace

void matmul_parallel(ConstMatrixRef a, ConstMatrixRef b, MatrixRef c, int threads) {
  check_gemm_shapes(a, b, c);
  if (threads < 1) throw value_error("matmul_parallel: threads must be >= 1, got " + std::to_string(threads));
  const std::size_t m = a.rows;
  const std::size_t parts = std::min<std::size_t>(static_cast<std::size_t>(threads), m);

  // Row block t: rows [t·m/parts, (t+1)·m/parts). Blocks of a and c are views with the same
  // strides, so each worker calls the single-thread kernel unchanged; no two write one row.
  auto block = [&](std::size_t t) {
    const std::size_t r0 = t * m / parts;
    const std::size_t r1 = (t + 1) * m / parts;
    ConstMatrixRef ab{a.data + static_cast<std::ptrdiff_t>(r0) * a.row_stride, r1 - r0, a.cols, a.row_stride,
                      a.col_stride};
    MatrixRef cb{c.data + static_cast<std::ptrdiff_t>(r0) * c.row_stride, r1 - r0, c.cols, c.row_stride};
    matmul_simd(ab, b, cb);
  };
  if (parts == 1) {
    block(0);
    return;
  }

  const int cpus = static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  const int here = CpuPin::current_cpu();
  std::vector<std::exception_ptr> errors(parts);
  std::vector<std::thread> workers;
  workers.reserve(parts - 1);
  {
    const CpuPin caller(here);
    for (std::size_t t = 1; t < parts; ++t) {
      workers.emplace_back([&, t] {
        try {
          const CpuPin pin((here + static_cast<int>(t)) % cpus);
          block(t);
        } catch (...) {
          errors[t] = std::current_exception();
        }
      });
    }
    try {
      block(0);  // the calling thread takes the first block
    } catch (...) {
      errors[0] = std::current_exception();
    }
    for (auto& w : workers) w.join();
  }
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
}

}  // namespace tt::accel
