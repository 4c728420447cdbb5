// The tracking allocator's counters: process-wide atomics plus a fixed table of active scopes.
// Not an allocator: tracking_allocator (tt/tracking.hpp) allocates and calls note_alloc/free.
#include "tt/tracking.hpp"

#include <array>
#include <atomic>
#include <cstdlib>
#include <mutex>

#include "tt/errors.hpp"
#include "tt/malloc_tuning.hpp"

namespace tt::tracking {
namespace {

std::atomic<std::size_t> g_live{0};
std::atomic<std::size_t> g_peak{0};
std::atomic<std::size_t> g_total{0};
std::atomic<std::size_t> g_freed{0};
std::atomic<std::size_t> g_count{0};

// Each active Scope owns a slot holding its running peak of live bytes; the allocator raises
// every active slot's peak. The count of active slots keeps the common case (no scope) cheap.
struct Slot {
  std::atomic<bool> used{false};
  std::atomic<std::size_t> peak_live{0};
};
std::array<Slot, Scope::kMaxScopes> g_slots;
std::atomic<int> g_active{0};
std::atomic<int> g_slot_limit{0};  // 1 + the highest slot index ever used: note_alloc scans only these

void raise(std::atomic<std::size_t>& target, std::size_t value) {
  std::size_t cur = target.load(std::memory_order_relaxed);
  while (value > cur && !target.compare_exchange_weak(cur, value, std::memory_order_relaxed)) {
  }
}

// A process-wide side effect, on purpose and in its own unit: every program that allocates
// tensors runs with the allocator tuning of tt/malloc_tuning.hpp (TT_MALLOC_DEFAULTS=1 opts out).
[[maybe_unused]] const bool g_malloc_tuned = apply_malloc_tuning();

}  // namespace

void note_alloc(std::size_t bytes) noexcept {
  const std::size_t live = g_live.fetch_add(bytes, std::memory_order_relaxed) + bytes;
  g_total.fetch_add(bytes, std::memory_order_relaxed);
  g_count.fetch_add(1, std::memory_order_relaxed);
  raise(g_peak, live);
  if (g_active.load(std::memory_order_acquire) > 0) {
    const int limit = g_slot_limit.load(std::memory_order_acquire);
    for (int i = 0; i < limit; ++i) {
      if (g_slots[i].used.load(std::memory_order_acquire)) raise(g_slots[i].peak_live, live);
    }
  }
}

void note_free(std::size_t bytes) noexcept {
  g_live.fetch_sub(bytes, std::memory_order_relaxed);
  g_freed.fetch_add(bytes, std::memory_order_relaxed);
}

std::size_t live_bytes() noexcept { return g_live.load(std::memory_order_relaxed); }
std::size_t peak_bytes() noexcept { return g_peak.load(std::memory_order_relaxed); }
std::size_t total_allocated_bytes() noexcept { return g_total.load(std::memory_order_relaxed); }
std::size_t allocation_count() noexcept { return g_count.load(std::memory_order_relaxed); }
void reset_peak() noexcept { g_peak.store(g_live.load(std::memory_order_relaxed), std::memory_order_relaxed); }

Scope::Scope()
    : slot_(-1),
      base_live_(live_bytes()),
      base_total_(total_allocated_bytes()),
      base_freed_(g_freed.load(std::memory_order_relaxed)),
      base_count_(allocation_count()) {
  for (int i = 0; i < kMaxScopes; ++i) {
    // A plain load first: a failed compare-exchange costs as much as a successful one, and
    // nested scopes (the profiler opens one per op) would otherwise pay one per used slot.
    if (g_slots[i].used.load(std::memory_order_relaxed)) continue;
    bool expected = false;
    if (g_slots[i].used.compare_exchange_strong(expected, true, std::memory_order_acq_rel)) {
      g_slots[i].peak_live.store(base_live_, std::memory_order_relaxed);
      slot_ = i;
      break;
    }
  }
  if (slot_ >= 0) {
    int limit = g_slot_limit.load(std::memory_order_relaxed);
    while (limit < slot_ + 1 && !g_slot_limit.compare_exchange_weak(limit, slot_ + 1, std::memory_order_acq_rel)) {
    }
  }
  if (slot_ < 0) {
    throw index_error("tt::tracking::Scope: at most " + std::to_string(kMaxScopes) +
                      " memory scopes can be active at once; close some before opening more");
  }
  g_active.fetch_add(1, std::memory_order_acq_rel);
}

Scope::~Scope() {
  g_active.fetch_sub(1, std::memory_order_acq_rel);
  g_slots[slot_].used.store(false, std::memory_order_release);
}

std::size_t Scope::allocated_bytes() const noexcept { return total_allocated_bytes() - base_total_; }
std::size_t Scope::freed_bytes() const noexcept { return g_freed.load(std::memory_order_relaxed) - base_freed_; }
std::size_t Scope::allocations() const noexcept { return allocation_count() - base_count_; }
std::size_t Scope::peak_bytes() const noexcept {
  const std::size_t p = g_slots[slot_].peak_live.load(std::memory_order_relaxed);
  return p > base_live_ ? p - base_live_ : 0;
}
std::int64_t Scope::net_bytes() const noexcept {
  return static_cast<std::int64_t>(live_bytes()) - static_cast<std::int64_t>(base_live_);
}

}  // namespace tt::tracking
