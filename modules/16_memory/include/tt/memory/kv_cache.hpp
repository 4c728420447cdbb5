// KVCache: preallocated key/value storage per decoder layer, so each new token reuses the past.
// Not attention itself (tt/memory/attention.hpp) and not an allocator: one block per layer, made once.
#pragma once

#include <cstddef>
#include <vector>

#include "tt/gpt.hpp"
#include "tt/matmul.hpp"
#include "tt/tensor.hpp"

namespace tt::memory {

// The keys and values of every position seen so far, for every layer of a GPT, for a batch of
// equal-length sequences. Storage per layer: K and V, each (batch, heads, capacity, head_dim),
// allocated once in the constructor and never again (update() only copies into it).
//
// Protocol of one decoder step over t_new new tokens (forward_cached follows it):
//   cache.make_room(t_new);               // start the step: checks (or, sliding window, evicts)
//   for each layer l: cache.update(l, k, v);   // append the step's K/V at layer_len(l)
//                     ... attend to keys(l, b, h) / values(l, b, h) (new positions included)
//   cache.advance(t_new);                 // commit: seq_len() grows by t_new
// Positions written by update() but not yet committed are "pending": layer_len(l) counts them,
// seq_len() does not. advance() never happens implicitly (not even on the last layer), so a
// forgotten layer is an error instead of a silent off-by-one.
class KVCache {
 public:
  // cfg gives layers, heads and head_dim; batch ≥ 1 sequences; capacity ≥ 1 positions.
  // Throws tt::value_error for a zero batch or capacity, or d_model not divisible by heads.
  KVCache(const GPTConfig& cfg, std::size_t batch, std::size_t capacity);
  virtual ~KVCache() = default;
  KVCache(const KVCache&) = default;
  KVCache& operator=(const KVCache&) = default;
  KVCache(KVCache&&) = default;
  KVCache& operator=(KVCache&&) = default;

  std::size_t n_layers() const { return n_layers_; }
  std::size_t batch() const { return batch_; }
  std::size_t n_heads() const { return n_heads_; }
  std::size_t head_dim() const { return head_dim_; }
  // Positions the storage holds per layer (max_seq for a full cache, the window for a sliding one).
  std::size_t capacity() const { return capacity_; }

  // Committed positions held (identical in every layer).
  std::size_t seq_len() const { return seq_len_; }
  // Positions held by `layer` now: seq_len() plus this step's pending ones. index_error if layer
  // ≥ n_layers().
  std::size_t layer_len(std::size_t layer) const;
  // Absolute position of the next token: every committed token ever seen, including those a
  // sliding window dropped (= seq_len() for a full cache). The position embedding uses this.
  std::size_t position() const { return evicted_ + seq_len_; }

  // Starts a step of t_new tokens: discards pending positions of an interrupted step, then
  // checks that seq_len() + t_new ≤ capacity() (else tt::index_error naming both numbers and
  // what to do). SlidingWindowKVCache overrides it to evict the oldest positions instead.
  virtual void make_room(std::size_t t_new);

  // Appends k_new, v_new: (batch, heads, t_new, head_dim) at positions layer_len(layer) … +t_new
  // of `layer`. Throws tt::index_error for a layer ≥ n_layers() or past capacity(),
  // tt::shape_error if k_new and v_new differ or do not match (batch, heads, ·, head_dim).
  // Allocates nothing.
  void update(std::size_t layer, const Tensor& k_new, const Tensor& v_new);

  // Commits the step: every layer must hold seq_len() + t_new positions (else tt::value_error
  // naming the first layer that does not); then seq_len() += t_new.
  void advance(std::size_t t_new);

  // Views of the valid prefix of one (layer, batch row, head): (layer_len(layer), head_dim),
  // row-major, row stride head_dim; no copy. index_error for an index out of range.
  ConstMatrixRef keys(std::size_t layer, std::size_t b, std::size_t h) const;
  ConstMatrixRef values(std::size_t layer, std::size_t b, std::size_t h) const;
  // Copies of the valid prefix of a layer: (batch, heads, layer_len(layer), head_dim).
  Tensor keys_tensor(std::size_t layer) const;
  Tensor values_tensor(std::size_t layer) const;

  // Forgets every position (seq_len() = position() = 0) and keeps the storage: O(1).
  void reset();

  // Bytes of K and V storage actually held: 2·layers·batch·heads·capacity·head_dim·sizeof(float).
  std::size_t memory_bytes() const;
  // The same formula, without building a cache.
  static std::size_t bytes_for(const GPTConfig& cfg, std::size_t batch, std::size_t capacity);

 protected:
  // Drops the `n` oldest committed positions of every layer (no pending positions allowed):
  // shifts the rest to the front, seq_len() -= n, position() unchanged. For SlidingWindowKVCache.
  void drop_oldest(std::size_t n);

  std::size_t n_layers_ = 0;
  std::size_t batch_ = 0;
  std::size_t n_heads_ = 0;
  std::size_t head_dim_ = 0;
  std::size_t capacity_ = 0;
  std::size_t seq_len_ = 0;             // committed positions
  std::size_t evicted_ = 0;             // positions dropped so far (sliding window)
  std::vector<std::size_t> layer_len_;  // per layer: seq_len_ + pending
  std::vector<Tensor> k_;               // per layer: (batch, heads, capacity, head_dim)
  std::vector<Tensor> v_;               // per layer: (batch, heads, capacity, head_dim)
};

}  // namespace tt::memory
