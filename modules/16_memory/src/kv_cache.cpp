// KVCache (task 16.2): preallocated per-layer K/V blocks, appends at the current position, views, exact bytes.
// Not the sliding window's eviction (sliding_window.cpp) and not attention (attention.cpp).
#include "tt/memory/kv_cache.hpp"

#include <algorithm>
#include <string>

namespace tt::memory {

KVCache::KVCache(const GPTConfig& cfg, std::size_t batch, std::size_t capacity)
    : n_layers_(cfg.n_layers), batch_(batch), n_heads_(cfg.n_heads), capacity_(capacity) {
  // Check the arguments (value_error for a zero batch/capacity or d_model % n_heads != 0), set
  // head_dim_, layer_len_ (one 0 per layer), then allocate K and V for every layer, each
  // (batch, heads, capacity, head_dim). Allocate exactly those 2·layers tensors and nothing else
  // that is tracked: the tests compare memory_bytes() with what tt::tracking::Scope saw.
  // Tensor::from_shape(shape) allocates without a temporary; reserve() the vectors first.
  // TODO(16.2): validate, then allocate k_ and v_.
  TT_UNIMPLEMENTED("16.2 KVCache::KVCache");
}

std::size_t KVCache::layer_len(std::size_t layer) const {
  if (layer >= n_layers_) {
    throw index_error("KVCache: layer " + std::to_string(layer) + " out of range: the cache has " +
                      std::to_string(n_layers_) + " layers");
  }
  return layer_len_[layer];
}

void KVCache::make_room(std::size_t t_new) {
  // A step starts here: forget pending positions of an interrupted step (every layer_len_ back
  // to seq_len_), then refuse a step that does not fit: tt::index_error whose message gives
  // seq_len(), t_new, capacity() and what to do (a larger cache, reset(), a sliding window).
  // TODO(16.2): discard pending positions, check the capacity.
  TT_UNIMPLEMENTED("16.2 KVCache::make_room");
}

void KVCache::update(std::size_t layer, const Tensor& k_new, const Tensor& v_new) {
  // Check the layer (layer_len() does), the shapes (shape_error unless k_new is (batch, heads,
  // t, head_dim) with t ≥ 1 and v_new has the same shape) and the capacity (index_error).
  // Then copy: for each (b, h), the t rows of head_dim floats go to rows layer_len … +t of that
  // (b, h) block. In the (batch, heads, capacity, head_dim) storage, row (b, h, i) starts at
  // float ((b·heads + h)·capacity + i)·head_dim. No allocation: std::copy_n into k_[layer].data().
  // TODO(16.2): check, copy keys and values, grow layer_len_[layer].
  TT_UNIMPLEMENTED("16.2 KVCache::update");
}

void KVCache::advance(std::size_t t_new) {
  // Every layer must now hold seq_len_ + t_new positions; name the first that does not
  // (tt::value_error). Then commit.
  // TODO(16.2): check every layer, then seq_len_ += t_new.
  TT_UNIMPLEMENTED("16.2 KVCache::advance");
}

ConstMatrixRef KVCache::keys(std::size_t layer, std::size_t b, std::size_t h) const {
  // A (layer_len(layer), head_dim) view of block (b, h) of k_[layer]: data pointer, rows, cols,
  // row stride head_dim, column stride 1. index_error for b ≥ batch or h ≥ heads.
  // TODO(16.2): return the view.
  TT_UNIMPLEMENTED("16.2 KVCache::keys");
}

ConstMatrixRef KVCache::values(std::size_t layer, std::size_t b, std::size_t h) const {
  // The same view of v_[layer].
  // TODO(16.2): return the view.
  TT_UNIMPLEMENTED("16.2 KVCache::values");
}

namespace {

// Copies the valid prefix of every (b, h) view into one (batch, heads, len, head_dim) tensor.
// Given: bookkeeping, not part of a task.
Tensor copy_prefix(const KVCache& c, std::size_t layer, bool keys) {
  const std::size_t len = c.layer_len(layer);
  Tensor out = Tensor::from_shape({c.batch(), c.n_heads(), len, c.head_dim()});
  for (std::size_t b = 0; b < c.batch(); ++b) {
    for (std::size_t h = 0; h < c.n_heads(); ++h) {
      const ConstMatrixRef m = keys ? c.keys(layer, b, h) : c.values(layer, b, h);
      std::copy_n(m.data, len * c.head_dim(), out.data() + (b * c.n_heads() + h) * len * c.head_dim());
    }
  }
  return out;
}

}  // namespace

// Given: bookkeeping, not part of a task.
Tensor KVCache::keys_tensor(std::size_t layer) const { return copy_prefix(*this, layer, true); }
// Given: bookkeeping, not part of a task.
Tensor KVCache::values_tensor(std::size_t layer) const { return copy_prefix(*this, layer, false); }

void KVCache::reset() {
  // Forget every position (committed, pending, evicted) without touching the storage.
  // TODO(16.2): reset the counters.
  TT_UNIMPLEMENTED("16.2 KVCache::reset");
}

std::size_t KVCache::memory_bytes() const {
  // What the cache really holds: add up the sizes of k_ and v_ (not the formula).
  // TODO(16.2): sum the storage.
  TT_UNIMPLEMENTED("16.2 KVCache::memory_bytes");
}

std::size_t KVCache::bytes_for(const GPTConfig& cfg, std::size_t batch, std::size_t capacity) {
  // 2 (K and V) · layers · batch · heads · capacity · head_dim · sizeof(float).
  // TODO(16.2): the formula.
  TT_UNIMPLEMENTED("16.2 KVCache::bytes_for");
}

}  // namespace tt::memory
