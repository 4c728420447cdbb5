// MagnitudePruner (reference): |w| thresholds per layer or global, masks, the cubic schedule.
// Not structured pruning: shapes never change here.
#include "tt/compress/magnitude_pruner.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "tt/conv2d.hpp"
#include "tt/errors.hpp"
#include "tt/linear.hpp"

namespace tt::compress {
namespace {

void check_amount(double amount, const char* what) {
  if (!(amount >= 0.0 && amount <= 1.0)) {
    throw value_error(std::string(what) + ": amount must be in [0, 1] (a share of the weights), got " +
                      std::to_string(amount));
  }
}

// Sort key of a weight: masked weights come first (−1), then by |w|.
float prune_key(float w, float m) { return m == 0.0F ? -1.0F : std::fabs(w); }

// Masks the k entries with the smallest key (ties: lower index first). keys[i] belongs to
// masks[owner[i]].flat(offset[i]); here flattened as (layer, flat index) pairs.
struct Entry {
  float key;
  std::size_t layer;
  std::size_t index;
};

void mask_smallest(std::vector<Entry>& entries, std::size_t k, std::vector<Tensor>& masks) {
  if (k == 0) return;
  k = std::min(k, entries.size());
  auto less = [](const Entry& a, const Entry& b) {
    if (a.key != b.key) return a.key < b.key;
    if (a.layer != b.layer) return a.layer < b.layer;
    return a.index < b.index;
  };
  std::nth_element(entries.begin(), entries.begin() + static_cast<std::ptrdiff_t>(k - 1), entries.end(), less);
  for (std::size_t i = 0; i < k; ++i) masks[entries[i].layer].flat(entries[i].index) = 0.0F;
}

std::size_t share_of(double amount, std::size_t n) {
  return static_cast<std::size_t>(std::llround(amount * static_cast<double>(n)));
}

}  // namespace

MagnitudePruner::MagnitudePruner(Sequential& model) {
  for (std::size_t i = 0; i < model.size(); ++i) {
    Param* w = nullptr;
    if (auto* lin = model.as<Linear>(i)) w = &lin->weight;
    if (auto* conv = model.as<Conv2d>(i)) w = &conv->weight;
    if (w == nullptr) continue;
    weights_.emplace_back(std::to_string(i) + ".weight", w);
    masks_.push_back(Tensor(xt::ones<float>(w->value.shape())));
  }
  if (weights_.empty()) {
    throw value_error("MagnitudePruner: the model has nothing to prune (no Linear or Conv2d layer among its " +
                      std::to_string(model.size()) + " layers); pass a model with weighted layers");
  }
}

void MagnitudePruner::prune(double amount, PruneScope scope) {
  check_amount(amount, "MagnitudePruner::prune");
  if (weights_.empty()) throw error("MagnitudePruner::prune: remove() was called; create a new pruner");
  if (scope == PruneScope::per_layer) {
    for (std::size_t l = 0; l < weights_.size(); ++l) {
      const Tensor& w = weights_[l].second->value;
      std::vector<Entry> entries(w.size());
      for (std::size_t i = 0; i < w.size(); ++i) entries[i] = {prune_key(w.flat(i), masks_[l].flat(i)), l, i};
      mask_smallest(entries, share_of(amount, w.size()), masks_);
    }
  } else {
    std::vector<Entry> entries;
    for (std::size_t l = 0; l < weights_.size(); ++l) {
      const Tensor& w = weights_[l].second->value;
      for (std::size_t i = 0; i < w.size(); ++i) entries.push_back({prune_key(w.flat(i), masks_[l].flat(i)), l, i});
    }
    mask_smallest(entries, share_of(amount, entries.size()), masks_);
  }
  apply_masks();
}

void MagnitudePruner::apply_masks() {
  for (std::size_t l = 0; l < weights_.size(); ++l) {
    Param& p = *weights_[l].second;
    const float* m = masks_[l].data();
    float* w = p.value.data();
    for (std::size_t i = 0, n = p.value.size(); i < n; ++i) w[i] *= m[i];
    if (p.grad.size() == p.value.size()) {
      float* g = p.grad.data();
      for (std::size_t i = 0, n = p.grad.size(); i < n; ++i) g[i] *= m[i];
    }
  }
}

std::function<void()> MagnitudePruner::hook() {
  return [this] { apply_masks(); };
}

void MagnitudePruner::remove() {
  if (weights_.empty()) throw error("MagnitudePruner::remove: already removed");
  apply_masks();
  weights_.clear();
  masks_.clear();
}

const std::string& MagnitudePruner::layer_name(std::size_t layer) const {
  if (layer >= weights_.size()) {
    throw index_error("MagnitudePruner::layer_name: layer " + std::to_string(layer) + " of " +
                      std::to_string(weights_.size()) + " prunable layers");
  }
  return weights_[layer].first;
}

const Tensor& MagnitudePruner::mask(std::size_t layer) const {
  if (layer >= masks_.size()) {
    throw index_error("MagnitudePruner::mask: layer " + std::to_string(layer) + " of " + std::to_string(masks_.size()) +
                      " prunable layers");
  }
  return masks_[layer];
}

double MagnitudePruner::mask_sparsity() const {
  std::size_t zeros = 0, total = 0;
  for (const Tensor& m : masks_) {
    total += m.size();
    zeros += static_cast<std::size_t>(std::count(m.begin(), m.end(), 0.0F));
  }
  return total ? static_cast<double>(zeros) / static_cast<double>(total) : 0.0;
}

double cubic_sparsity(double initial, double final_sparsity, std::size_t step, std::size_t begin_step,
                      std::size_t end_step) {
  if (!(initial >= 0 && initial <= final_sparsity && final_sparsity <= 1)) {
    throw value_error("cubic_sparsity: need 0 <= initial <= final <= 1, got initial " + std::to_string(initial) +
                      ", final " + std::to_string(final_sparsity));
  }
  if (end_step <= begin_step) {
    throw value_error("cubic_sparsity: end_step must be after begin_step, got " + std::to_string(begin_step) + " .. " +
                      std::to_string(end_step));
  }
  if (step <= begin_step) return initial;
  if (step >= end_step) return final_sparsity;
  const double progress = static_cast<double>(step - begin_step) / static_cast<double>(end_step - begin_step);
  const double rest = 1.0 - progress;
  return final_sparsity + (initial - final_sparsity) * rest * rest * rest;
}

GradualPruner::GradualPruner(MagnitudePruner& pruner, GradualOptions options)
    : pruner_(pruner), options_(options), target_(options.initial_sparsity) {
  if (options_.every == 0) throw value_error("GradualPruner: every must be at least 1 step, got 0");
  (void)cubic_sparsity(options_.initial_sparsity, options_.final_sparsity, 0, options_.begin_step,
                       options_.end_step);  // validates the schedule
}

void GradualPruner::step() {
  ++step_;
  const bool in_range = step_ >= options_.begin_step && step_ <= options_.end_step;
  const bool on_grid = (step_ - std::min(step_, options_.begin_step)) % options_.every == 0;
  if (in_range && (on_grid || step_ == options_.end_step)) {
    target_ = cubic_sparsity(options_.initial_sparsity, options_.final_sparsity, step_, options_.begin_step,
                             options_.end_step);
    pruner_.prune(target_, options_.scope);
  } else {
    pruner_.apply_masks();
  }
}

std::function<void()> GradualPruner::hook() {
  return [this] { step(); };
}

}  // namespace tt::compress
