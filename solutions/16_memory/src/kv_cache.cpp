// KVCache reference implementation: preallocated per-layer K/V blocks, appends, views, exact bytes.
// Not the sliding window's eviction (sliding_window.cpp) and not attention (attention.cpp).
#include "tt/memory/kv_cache.hpp"

#include <algorithm>
#include <string>

namespace tt::memory {

namespace {

std::string num(std::size_t v) { return std::to_string(v); }

}  // namespace

KVCache::KVCache(const GPTConfig& cfg, std::size_t batch, std::size_t capacity)
    : n_layers_(cfg.n_layers), batch_(batch), n_heads_(cfg.n_heads), capacity_(capacity) {
  if (batch == 0 || capacity == 0) {
    throw value_error("KVCache: batch and capacity must be ≥ 1, got batch " + num(batch) + " and capacity " +
                      num(capacity));
  }
  if (cfg.n_heads == 0 || cfg.d_model % cfg.n_heads != 0 || cfg.n_layers == 0) {
    throw value_error("KVCache: d_model " + num(cfg.d_model) + " must be a positive multiple of n_heads " +
                      num(cfg.n_heads) + ", with n_layers ≥ 1 (got " + num(cfg.n_layers) + ")");
  }
  head_dim_ = cfg.head_dim();
  layer_len_.assign(n_layers_, 0);
  // Exactly 2·layers tracked allocations of (batch, heads, capacity, head_dim) floats, and no
  // other tensor: memory_bytes() is what the tracking allocator sees.
  const Shape shape{batch_, n_heads_, capacity_, head_dim_};
  k_.reserve(n_layers_);
  v_.reserve(n_layers_);
  for (std::size_t l = 0; l < n_layers_; ++l) {
    k_.emplace_back(Tensor::from_shape(shape));
    v_.emplace_back(Tensor::from_shape(shape));
    k_.back().fill(0.0F);
    v_.back().fill(0.0F);
  }
}

std::size_t KVCache::layer_len(std::size_t layer) const {
  if (layer >= n_layers_) {
    throw index_error("KVCache: layer " + num(layer) + " out of range: the cache has " + num(n_layers_) +
                      " layers (0 … " + num(n_layers_ - 1) + ")");
  }
  return layer_len_[layer];
}

void KVCache::make_room(std::size_t t_new) {
  std::fill(layer_len_.begin(), layer_len_.end(), seq_len_);
  if (seq_len_ + t_new > capacity_) {
    throw index_error("KVCache full: " + num(seq_len_) + " positions held + " + num(t_new) + " new > capacity " +
                      num(capacity_) + "; build a larger cache, reset() it, or use a SlidingWindowKVCache");
  }
}

void KVCache::update(std::size_t layer, const Tensor& k_new, const Tensor& v_new) {
  const std::size_t len = layer_len(layer);  // checks the layer index
  if (k_new.dimension() != 4 || k_new.shape()[0] != batch_ || k_new.shape()[1] != n_heads_ ||
      k_new.shape()[3] != head_dim_ || k_new.shape()[2] == 0) {
    throw shape_error("KVCache::update: k_new must be (batch " + num(batch_) + ", heads " + num(n_heads_) +
                      ", t_new ≥ 1, head_dim " + num(head_dim_) + "), got " + shape_of(k_new) +
                      "; split the projections with tt::split_heads first");
  }
  check_same_shape(v_new, k_new, "KVCache::update: v_new against k_new");
  const std::size_t t = k_new.shape()[2];
  if (len + t > capacity_) {
    throw index_error("KVCache::update: layer " + num(layer) + " holds " + num(len) + " positions, " + num(t) +
                      " more exceed capacity " + num(capacity_) + "; call make_room() first, or reset()");
  }
  // Row (b, h, i) of the step goes to row (b, h, len + i) of the layer's block.
  const std::size_t rows = t * head_dim_;
  for (std::size_t bh = 0; bh < batch_ * n_heads_; ++bh) {
    const std::size_t src = bh * rows;
    const std::size_t dst = (bh * capacity_ + len) * head_dim_;
    std::copy_n(k_new.data() + src, rows, k_[layer].data() + dst);
    std::copy_n(v_new.data() + src, rows, v_[layer].data() + dst);
  }
  layer_len_[layer] = len + t;
}

void KVCache::advance(std::size_t t_new) {
  for (std::size_t l = 0; l < n_layers_; ++l) {
    if (layer_len_[l] != seq_len_ + t_new) {
      throw value_error("KVCache::advance(" + num(t_new) + "): layer " + num(l) + " holds " + num(layer_len_[l]) +
                        " positions, expected " + num(seq_len_ + t_new) +
                        "; call update() once per layer with the step's keys and values before advance()");
    }
  }
  seq_len_ += t_new;
}

namespace {

ConstMatrixRef block_view(const std::vector<Tensor>& store, std::size_t layer, std::size_t b, std::size_t h,
                          std::size_t len, std::size_t batch, std::size_t heads, std::size_t capacity,
                          std::size_t head_dim) {
  if (b >= batch || h >= heads) {
    throw index_error("KVCache: (batch row " + num(b) + ", head " + num(h) + ") out of range for batch " + num(batch) +
                      " × heads " + num(heads));
  }
  const float* base = store[layer].data() + ((b * heads + h) * capacity) * head_dim;
  return ConstMatrixRef{base, len, head_dim, static_cast<std::ptrdiff_t>(head_dim), 1};
}

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

ConstMatrixRef KVCache::keys(std::size_t layer, std::size_t b, std::size_t h) const {
  const std::size_t len = layer_len(layer);
  return block_view(k_, layer, b, h, len, batch_, n_heads_, capacity_, head_dim_);
}

ConstMatrixRef KVCache::values(std::size_t layer, std::size_t b, std::size_t h) const {
  const std::size_t len = layer_len(layer);
  return block_view(v_, layer, b, h, len, batch_, n_heads_, capacity_, head_dim_);
}

Tensor KVCache::keys_tensor(std::size_t layer) const { return copy_prefix(*this, layer, true); }
Tensor KVCache::values_tensor(std::size_t layer) const { return copy_prefix(*this, layer, false); }

void KVCache::reset() {
  seq_len_ = 0;
  evicted_ = 0;
  std::fill(layer_len_.begin(), layer_len_.end(), 0);
}

std::size_t KVCache::memory_bytes() const {
  std::size_t bytes = 0;
  for (std::size_t l = 0; l < n_layers_; ++l) bytes += (k_[l].size() + v_[l].size()) * sizeof(float);
  return bytes;
}

std::size_t KVCache::bytes_for(const GPTConfig& cfg, std::size_t batch, std::size_t capacity) {
  return 2 * cfg.n_layers * batch * cfg.n_heads * capacity * cfg.head_dim() * sizeof(float);
}

}  // namespace tt::memory
