// The training loop (mini-batch, shuffled, with a progress line) and evaluation.
// Not a trainer framework: one loss (cross-entropy); other losses write their own loop.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "tt/fashion_mnist.hpp"
#include "tt/module.hpp"
#include "tt/optim.hpp"

namespace tt {

struct TrainOptions {
  std::size_t batch_size = 64;
  int epochs = 1;
  std::uint64_t seed = 0;  // shuffling order
  bool progress = true;    // a progress line on stderr, redrawn in place
  // Called after every optimizer step (module 18 re-applies pruning masks here).
  std::function<void()> after_step;
};

struct EpochStats {
  int epoch = 0;
  double loss = 0;      // mean training loss
  double accuracy = 0;  // training accuracy over the epoch
  double seconds = 0;
  double samples_per_second = 0;
};

// Trains `model` for options.epochs epochs; returns one EpochStats per epoch.
std::vector<EpochStats> fit(Module& model, Optimizer& opt, const Dataset& data, const TrainOptions& options);
// Accuracy of `model` on `data` in eval mode (training mode restored after).
double evaluate(Module& model, const Dataset& data, std::size_t batch_size = 256);
// Logits of `model` on all of `data` in eval mode: (N, classes).
Tensor predict(Module& model, const Dataset& data, std::size_t batch_size = 256);

}  // namespace tt
