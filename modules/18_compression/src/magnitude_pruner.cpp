// MagnitudePruner (student stubs): |w| thresholds per layer or global, masks, the cubic schedule.
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

// Scaffolding (written for you): collect the weights of the Linear and Conv2d layers.
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
  // Check amount first (value_error outside [0, 1]; NaN too: `!(amount >= 0 && amount <= 1)`).
  // Give every weight a key: -1 if its mask is already 0 (so earlier prunings stay), else |w|.
  // Per layer: mask the round(amount · n_l) smallest keys of each layer. Global: put all
  // (key, layer, index) entries in one vector and mask the round(amount · N) smallest.
  // std::nth_element with a comparator on (key, layer, index) finds them in O(N) and breaks
  // ties by position as the header promises. Finish with apply_masks().
  (void)amount;
  (void)scope;
  // TODO(18.1): choose the weights to mask and zero them.
  TT_UNIMPLEMENTED("18.1 MagnitudePruner::prune");
}

void MagnitudePruner::apply_masks() {
  // For each layer: value *= mask and grad *= mask, elementwise (skip grad if it is empty).
  // TODO(18.2): re-apply the masks.
  TT_UNIMPLEMENTED("18.2 MagnitudePruner::apply_masks");
}

// Given: bookkeeping, not part of a task.
std::function<void()> MagnitudePruner::hook() {
  return [this] { apply_masks(); };
}

void MagnitudePruner::remove() {
  // Apply the masks one last time, then forget layers and masks. A second remove() is an error.
  // TODO(18.2): make the pruning permanent.
  TT_UNIMPLEMENTED("18.2 MagnitudePruner::remove");
}

// Given: bookkeeping, not part of a task.
const std::string& MagnitudePruner::layer_name(std::size_t layer) const {
  if (layer >= weights_.size()) {
    throw index_error("MagnitudePruner::layer_name: layer " + std::to_string(layer) + " of " +
                      std::to_string(weights_.size()) + " prunable layers");
  }
  return weights_[layer].first;
}

// Given: bookkeeping, not part of a task.
const Tensor& MagnitudePruner::mask(std::size_t layer) const {
  if (layer >= masks_.size()) {
    throw index_error("MagnitudePruner::mask: layer " + std::to_string(layer) + " of " + std::to_string(masks_.size()) +
                      " prunable layers");
  }
  return masks_[layer];
}

// Given: bookkeeping, not part of a task.
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
  // Validate (value_error), then: before t0 → s_i; after t1 → s_f; in between
  // s_f + (s_i − s_f)·(1 − (t − t0)/(t1 − t0))³.
  (void)initial;
  (void)final_sparsity;
  (void)step;
  (void)begin_step;
  (void)end_step;
  // TODO(18.3): the Zhu & Gupta schedule.
  TT_UNIMPLEMENTED("18.3 cubic_sparsity");
}

// Given: the constructor checks and stores its arguments; not part of a task.
GradualPruner::GradualPruner(MagnitudePruner& pruner, GradualOptions options)
    : pruner_(pruner), options_(options), target_(options.initial_sparsity) {
  if (options_.every == 0) throw value_error("GradualPruner: every must be at least 1 step, got 0");
  (void)cubic_sparsity(options_.initial_sparsity, options_.final_sparsity, 0, options_.begin_step,
                       options_.end_step);  // validates the schedule
}

void GradualPruner::step() {
  // Count the step. On t0, t0 + every, t0 + 2·every, … up to t1 (and at t1 itself), prune to
  // cubic_sparsity(step) and remember it in target_; on other steps only re-apply the masks.
  // TODO(18.3): one step of gradual pruning.
  TT_UNIMPLEMENTED("18.3 GradualPruner::step");
}

// Given: bookkeeping, not part of a task.
std::function<void()> GradualPruner::hook() {
  return [this] { step(); };
}

}  // namespace tt::compress
