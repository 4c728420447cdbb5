// Shared fixtures of module 19's tests: known amounts of work, sleeps and a JSON nesting check.
// Not a timer: tests only use these to make work whose size is known, never to assert speed.
#pragma once

#include <chrono>
#include <cstddef>
#include <thread>

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

inline void sleep_ms(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

}  // namespace tt::profile::testing
