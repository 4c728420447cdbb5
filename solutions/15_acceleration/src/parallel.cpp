// Reference 15.5: matmul_parallel, matmul_simd on contiguous row blocks over a persistent pool of threads.
// Not a general task scheduler: one fork-join call at a time; a second, concurrent or nested
// caller runs its blocks on its own thread instead of waiting.
//
// Why a pool and not a std::thread per call: measured on the course machine (n = 512), starting
// a thread per call cost about 1.3 ms, more than the whole product takes on one thread: the new
// thread's pack buffers are fresh pages (page faults, then munmap at exit) and the thread needs
// a wake-up on some core. Workers that stay alive keep warm buffers; a call costs one wake-up.
#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tt/accel/matmul.hpp"
#include "tt/errors.hpp"

namespace tt::accel {
namespace {

// run(parts, fn) calls fn(t) for every t in [0, parts): t = 0 on the calling thread, the others
// on workers that are started once and then sleep between calls. Exceptions thrown by fn are
// caught where they happen and the first is rethrown on the caller after every part finished.
class ForkJoinPool {
 public:
  using Task = std::function<void(std::size_t)>;

  ForkJoinPool() = default;
  ForkJoinPool(const ForkJoinPool&) = delete;
  ForkJoinPool& operator=(const ForkJoinPool&) = delete;
  ~ForkJoinPool() {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    for (auto& w : workers_) w.join();
  }

  // False, having done nothing, when another call holds the pool (the caller then runs serially).
  bool try_run(std::size_t parts, const Task& fn) {
    std::unique_lock<std::mutex> call(call_mutex_, std::try_to_lock);
    if (!call.owns_lock()) return false;
    while (workers_.size() + 1 < parts) workers_.emplace_back([this, id = workers_.size() + 1] { work(id); });

    std::vector<std::exception_ptr> errors(parts);
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      task_ = &fn;
      errors_ = &errors;
      parts_ = parts;
      pending_ = parts - 1;
      ++generation_;
    }
    wake_.notify_all();
    run_one(0);
    {
      std::unique_lock<std::mutex> lock(mutex_);
      done_.wait(lock, [this] { return pending_ == 0; });
      task_ = nullptr;
      errors_ = nullptr;
    }
    for (auto& e : errors)
      if (e) std::rethrow_exception(e);
    return true;
  }

 private:
  void run_one(std::size_t t) {
    try {
      (*task_)(t);
    } catch (...) {
      (*errors_)[t] = std::current_exception();
    }
  }

  void work(std::size_t id) {
    std::size_t seen = 0;
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
      if (id >= parts_) continue;  // this call needs fewer workers than the pool has
      lock.unlock();
      run_one(id);  // task_ and errors_ stay valid until pending_ reaches 0
      lock.lock();
      if (--pending_ == 0) done_.notify_one();
    }
  }

  std::mutex call_mutex_;  // one fork-join call at a time
  std::mutex mutex_;       // guards everything below
  std::condition_variable wake_;
  std::condition_variable done_;
  std::vector<std::thread> workers_;
  const Task* task_ = nullptr;
  std::vector<std::exception_ptr>* errors_ = nullptr;
  std::size_t parts_ = 0;
  std::size_t pending_ = 0;
  std::size_t generation_ = 0;
  bool stop_ = false;
};

}  // namespace

void matmul_parallel(ConstMatrixRef a, ConstMatrixRef b, MatrixRef c, int threads) {
  check_gemm_shapes(a, b, c);
  if (threads < 1) throw value_error("matmul_parallel: threads must be >= 1, got " + std::to_string(threads));
  const std::size_t m = a.rows;
  const std::size_t parts = std::min<std::size_t>(static_cast<std::size_t>(threads), m);

  // Row block t: rows [t·m/parts, (t+1)·m/parts). Blocks of a and c are views with the same
  // strides, so each part calls the single-thread kernel unchanged; no two write one row.
  const ForkJoinPool::Task block = [&](std::size_t t) {
    const std::size_t r0 = t * m / parts;
    const std::size_t r1 = (t + 1) * m / parts;
    ConstMatrixRef ab{a.data + static_cast<std::ptrdiff_t>(r0) * a.row_stride, r1 - r0, a.cols, a.row_stride,
                      a.col_stride};
    MatrixRef cb{c.data + static_cast<std::ptrdiff_t>(r0) * c.row_stride, r1 - r0, c.cols, c.row_stride};
    matmul_simd(ab, b, cb);
  };
  static ForkJoinPool pool;
  if (parts > 1 && pool.try_run(parts, block)) return;
  for (std::size_t t = 0; t < parts; ++t) block(t);  // one part, or the pool is busy
}

}  // namespace tt::accel
