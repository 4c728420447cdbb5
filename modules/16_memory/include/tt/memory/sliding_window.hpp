// SlidingWindowKVCache: a KVCache of bounded size that keeps only the most recent `window` positions.
// Not exact attention once the sequence is longer than the window: older positions are forgotten.
#pragma once

#include "tt/memory/kv_cache.hpp"

namespace tt::memory {

// Memory: 2·layers·batch·heads·window·head_dim·sizeof(float), whatever the sequence length.
//
// How positions are handled: the storage always holds the last seq_len() ≤ window positions,
// oldest first, contiguous (make_room shifts them down; no ring buffer, so attention reads one
// contiguous block). position() keeps counting absolute positions, so the position embedding
// of a new token is its true position in the sequence (the model's max_seq still bounds it).
// The attention mask is relative to the kept block: the new tokens are its last t_new rows.
//
// Decoding one token per step, position p attends to positions p-window+1 … p (itself
// included): exact sliding-window attention. A multi-token step evicts for its last token, so
// its earlier tokens see fewer than `window` positions; a step longer than the window is
// refused. While position() + t_new ≤ window nothing is evicted and the results equal a full
// cache's.
class SlidingWindowKVCache : public KVCache {
 public:
  // window ≥ 1 positions kept (value_error for 0).
  SlidingWindowKVCache(const GPTConfig& cfg, std::size_t batch, std::size_t window);

  std::size_t window() const { return capacity(); }
  // Positions dropped so far.
  std::size_t evicted() const { return evicted_; }

  // Discards pending positions, then drops the oldest max(0, seq_len() + t_new - window)
  // positions so the step fits. tt::index_error if t_new > window (prefill in chunks instead).
  void make_room(std::size_t t_new) override;
};

}  // namespace tt::memory
