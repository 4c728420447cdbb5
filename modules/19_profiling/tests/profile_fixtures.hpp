// Shared fixtures of module 19's tests: known amounts of work, sleeps and a JSON nesting check.
// Not a timer: tests only use these to make work whose size is known, never to assert speed.
#pragma once

#include <chrono>
#include <cstddef>
#include <exception>
#include <functional>
#include <thread>
#include <vector>

namespace tt::profile::testing {

// A dependent chain of n multiply-adds: the time grows linearly with n and cannot be skipped.
inline double busy(std::size_t n) {
  double x = 1.0;
  for (std::size_t i = 0; i < n; ++i) x = x * 1.0000001 + 1e-9;
  // Written to a volatile so the loop has an observable result and cannot be removed.
  volatile double sink = x;
  return sink;
}

// Iterations of busy() for about a millisecond on a current core (used as a unit of work).
inline constexpr std::size_t kMillisecondOfWork = 1'000'000;

// Runs each function on a thread of its own, joins them, then rethrows the first exception one of
// them threw (a stub's "not implemented yet" must fail the test, not std::terminate the binary).
inline void run_on_threads(const std::vector<std::function<void()>>& work) {
  std::vector<std::exception_ptr> errors(work.size());
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < work.size(); ++i) {
    threads.emplace_back([&, i] {
      try {
        work[i]();
      } catch (...) {
        errors[i] = std::current_exception();
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);
}

inline void sleep_ms(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

}  // namespace tt::profile::testing
