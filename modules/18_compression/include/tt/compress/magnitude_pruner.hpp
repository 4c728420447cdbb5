// MagnitudePruner: unstructured pruning by |w| (per layer or one global threshold), masks kept
// applied during fine-tuning, and the cubic gradual-pruning schedule of Zhu & Gupta (2017).
// Not structured pruning (see structured_pruner.hpp): shapes stay the same, weights become zeros.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "tt/sequential.hpp"

namespace tt::compress {

// How the threshold is chosen: one per layer (each layer loses `amount` of its weights) or one
// for the whole model (the smallest `amount` of all weights go, wherever they are).
enum class PruneScope { per_layer, global };

class MagnitudePruner {
 public:
  // Collects the weight Param of every Linear and Conv2d layer of `model`, in layer order
  // (biases are never pruned), and starts with all-ones masks. `model` must outlive the pruner.
  // A model with no Linear/Conv2d layer throws tt::value_error.
  explicit MagnitudePruner(Sequential& model);

  // Prunes so that a share `amount` of the weights is zero-masked: per layer, layer l masks its
  // round(amount · n_l) smallest |w|; global, the round(amount · N) smallest |w| over all N
  // weights. Ties are broken by position (lower flat index first). Masks only grow: weights
  // pruned earlier stay pruned (they are 0, so they count among the smallest). The weights are
  // zeroed at once. amount outside [0, 1] (or NaN) throws tt::value_error.
  void prune(double amount, PruneScope scope = PruneScope::per_layer);

  // w ← w ⊙ mask and grad ← grad ⊙ mask for every layer: call it after each optimizer step
  // (TrainOptions::after_step = pruner.hook()) so pruned weights stay exactly zero.
  void apply_masks();
  // A callable for TrainOptions::after_step that calls apply_masks().
  std::function<void()> hook();

  // Makes the pruning permanent: applies the masks a last time and forgets them (the pruner
  // then holds no layer; num_layers() is 0 and further calls throw tt::error).
  void remove();

  std::size_t num_layers() const { return weights_.size(); }
  // "0.weight", "2.weight", … (Sequential::named_params names). index_error past the end.
  const std::string& layer_name(std::size_t layer) const;
  // The layer's mask, same shape as its weight: 1 keeps, 0 prunes. index_error past the end.
  const Tensor& mask(std::size_t layer) const;
  // Share of zero-masked weights over all layers.
  double mask_sparsity() const;

 private:
  std::vector<std::pair<std::string, Param*>> weights_;  // (name, weight) of each prunable layer
  std::vector<Tensor> masks_;                            // one per weight, same shape
};

// The cubic sparsity schedule (Zhu & Gupta 2017, "To prune, or not to prune"):
// s(t) = s_f + (s_i − s_f) · (1 − (t − t0) / (t1 − t0))³ for t0 ≤ t ≤ t1; s_i before t0 and
// s_f after t1. Fast pruning early (many redundant weights), slower near the target.
// value_error unless 0 ≤ s_i ≤ s_f ≤ 1 and t1 > t0.
double cubic_sparsity(double initial, double final_sparsity, std::size_t step, std::size_t begin_step,
                      std::size_t end_step);

struct GradualOptions {
  double initial_sparsity = 0.0;
  double final_sparsity = 0.9;
  std::size_t begin_step = 0;   // first optimizer step at which pruning happens
  std::size_t end_step = 1000;  // step at which final_sparsity is reached
  std::size_t every = 50;       // prune every `every` steps in between (Δt in the paper)
  PruneScope scope = PruneScope::per_layer;
};

// Gradual pruning driven by optimizer steps: step() is meant for TrainOptions::after_step.
class GradualPruner {
 public:
  // value_error on a bad schedule (see cubic_sparsity) or every == 0.
  GradualPruner(MagnitudePruner& pruner, GradualOptions options);
  // Counts one optimizer step; at t0, t0+Δt, … and at t1 prunes to cubic_sparsity(t); always
  // re-applies the masks (so the weights pruned so far stay zero).
  void step();
  std::function<void()> hook();
  std::size_t steps() const { return step_; }
  // The sparsity pruned to most recently (initial_sparsity before the first pruning).
  double current_target() const { return target_; }

 private:
  MagnitudePruner& pruner_;
  GradualOptions options_;
  std::size_t step_ = 0;
  double target_ = 0;
};

}  // namespace tt::compress
