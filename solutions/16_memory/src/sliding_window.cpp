// SlidingWindowKVCache reference implementation: evict the oldest positions by shifting them out.
// Not a ring buffer: the kept positions stay contiguous so attention reads one block per head.
#include "tt/memory/sliding_window.hpp"

#include <algorithm>
#include <string>

namespace tt::memory {

SlidingWindowKVCache::SlidingWindowKVCache(const GPTConfig& cfg, std::size_t batch, std::size_t window)
    : KVCache(cfg, batch, window) {}

void KVCache::drop_oldest(std::size_t n) {
  if (n > seq_len_) {
    throw index_error("KVCache::drop_oldest: cannot drop " + std::to_string(n) + " of " + std::to_string(seq_len_) +
                      " positions");
  }
  if (n == 0) return;
  const std::size_t keep = (seq_len_ - n) * head_dim_;
  for (std::size_t l = 0; l < n_layers_; ++l) {
    for (std::size_t bh = 0; bh < batch_ * n_heads_; ++bh) {
      const std::size_t base = bh * capacity_ * head_dim_;
      // Overlapping ranges, moving down: std::copy is correct front to back.
      std::copy_n(k_[l].data() + base + n * head_dim_, keep, k_[l].data() + base);
      std::copy_n(v_[l].data() + base + n * head_dim_, keep, v_[l].data() + base);
    }
  }
  seq_len_ -= n;
  evicted_ += n;
  std::fill(layer_len_.begin(), layer_len_.end(), seq_len_);
}

void SlidingWindowKVCache::make_room(std::size_t t_new) {
  std::fill(layer_len_.begin(), layer_len_.end(), seq_len_);
  if (t_new > capacity_) {
    throw index_error("SlidingWindowKVCache: a step of " + std::to_string(t_new) + " tokens does not fit a window of " +
                      std::to_string(capacity_) + "; feed the prompt in chunks of at most " +
                      std::to_string(capacity_) + " tokens");
  }
  if (seq_len_ + t_new > capacity_) drop_oldest(seq_len_ + t_new - capacity_);
}

}  // namespace tt::memory
