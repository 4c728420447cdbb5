// Memory accounting: a tracking allocator behind every tt::Tensor, with live, peak and scoped counts.
// Not a memory pool: it forwards to aligned new/delete and counts bytes. Linking it also applies the
// process-wide allocator tuning of tt/malloc_tuning.hpp (tracking.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>

namespace tt {

// Alignment of every tracked allocation: one AVX-512 register / one cache line.
inline constexpr std::size_t kTensorAlignment = 64;

namespace tracking {

void note_alloc(std::size_t bytes) noexcept;
void note_free(std::size_t bytes) noexcept;

// Bytes held right now by tracked allocations, process-wide.
std::size_t live_bytes() noexcept;
// Highest live_bytes() since start-up or the last reset_peak().
std::size_t peak_bytes() noexcept;
// Total bytes and calls ever allocated (monotonic).
std::size_t total_allocated_bytes() noexcept;
std::size_t allocation_count() noexcept;
void reset_peak() noexcept;

// Counts what happens between its construction and now: bytes allocated, bytes freed,
// allocations, and the peak of live bytes above the level at construction. Scopes nest; each
// sees everything allocated while it is alive, on any thread. At most kMaxScopes at once
// (more throws tt::index_error).
class Scope {
 public:
  static constexpr int kMaxScopes = 64;
  Scope();
  ~Scope();
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;

  std::size_t allocated_bytes() const noexcept;
  std::size_t freed_bytes() const noexcept;
  std::size_t allocations() const noexcept;
  // Peak of (live bytes - live bytes at construction), never negative.
  std::size_t peak_bytes() const noexcept;
  // live_bytes() now minus at construction (may be negative if the scope freed older memory).
  std::int64_t net_bytes() const noexcept;

 private:
  int slot_;
  std::size_t base_live_;
  std::size_t base_total_;
  std::size_t base_freed_;
  std::size_t base_count_;
};

}  // namespace tracking

// Allocator for xtensor containers: 64-byte aligned, every byte counted by tt::tracking.
template <class T>
struct tracking_allocator {
  using value_type = T;
  tracking_allocator() noexcept = default;
  template <class U>
  tracking_allocator(const tracking_allocator<U>&) noexcept {}

  T* allocate(std::size_t n) {
    const std::size_t bytes = n * sizeof(T);
    void* p = ::operator new (bytes, std::align_val_t{kTensorAlignment});
    tracking::note_alloc(bytes);
    return static_cast<T*>(p);
  }
  void deallocate(T* p, std::size_t n) noexcept {
    ::operator delete (p, std::align_val_t{kTensorAlignment});
    tracking::note_free(n * sizeof(T));
  }
  template <class U>
  struct rebind {
    using other = tracking_allocator<U>;
  };
  friend bool operator==(const tracking_allocator&, const tracking_allocator&) { return true; }
  friend bool operator!=(const tracking_allocator&, const tracking_allocator&) { return false; }
};

}  // namespace tt
