// SlidingWindowKVCache (task 16.5): evict the oldest positions by shifting the kept ones down.
// Not a ring buffer: the kept positions stay contiguous so attention reads one block per head.
#include "tt/memory/sliding_window.hpp"

#include <algorithm>
#include <string>

namespace tt::memory {

SlidingWindowKVCache::SlidingWindowKVCache(const GPTConfig& cfg, std::size_t batch, std::size_t window)
    : KVCache(cfg, batch, window) {}

void KVCache::drop_oldest(std::size_t n) {
  // In every layer and every (b, h) block, move rows n … seq_len-1 to rows 0 … seq_len-n-1
  // (the ranges overlap; a front-to-back copy is safe when moving down). Then seq_len_ -= n,
  // evicted_ += n (so position() does not change) and layer_len_ follows seq_len_.
  // index_error if n > seq_len_.
  // TODO(16.5): shift K and V, update the counters.
  TT_UNIMPLEMENTED("16.5 KVCache::drop_oldest");
}

void SlidingWindowKVCache::make_room(std::size_t t_new) {
  // Like KVCache::make_room, but a step that does not fit evicts instead of failing:
  // discard pending positions, refuse t_new > window (index_error: prefill in chunks), then
  // drop_oldest(seq_len + t_new - window) when that is positive.
  // TODO(16.5): evict what the step needs.
  TT_UNIMPLEMENTED("16.5 SlidingWindowKVCache::make_room");
}

}  // namespace tt::memory
