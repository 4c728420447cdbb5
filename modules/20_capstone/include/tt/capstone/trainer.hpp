// The fastest-trainer task (20.6): from the pristine training split to a classifier that reaches a fixed test
// accuracy, as fast as you can (DAWNBench-style). Not the race itself: m20_harness times it from outside.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "tt/fashion_mnist.hpp"
#include "tt/sequential.hpp"

namespace tt::capstone {

// The data sets the race can run on (m20_harness --dataset): Fashion-MNIST (the default) or CIFAR-10's
// binary version when an instructor provides its files.
enum class TrainerDataset { fashion_mnist, cifar10 };
std::string to_string(TrainerDataset d);  // "fashion-mnist", "cifar10"
// value_error naming the two known names for any other.
TrainerDataset trainer_dataset(const std::string& name);

// A split as the race loads it (provided code): Fashion-MNIST (N, 1, 28, 28) or CIFAR-10 (N, 3, 32, 32),
// standardized, labels in [0, 10). `dir` empty: the data set's default folder (TT_DATA_DIR).
Dataset load_trainer_split(TrainerDataset d, Split split, const std::string& dir = "");

struct TrainerOptions {
  std::uint64_t seed = 0;         // every random choice (initial weights, order, held-out slice) follows it
  double target_accuracy = 0.83;  // the race's target on the hidden test split
  int max_epochs = 8;             // give up after this many passes over the data
};

// 20.6 — your fastest trainer. The harness hands you the pristine training split exactly as
// load_trainer_split returns it (in the file's order, which may be sorted: shuffle) and starts its
// wall clock; it stops when your model is back, rebuilds the model with the course's layers
// (model_io.hpp) and measures it on the hidden test split.
//   train: images (N, …) standardized, labels in [0, 10) · returns a Sequential in eval mode mapping
//   (B, …) images of train's shape to (B, 10) logits, made only of layers model_io exports
//   (Linear, ReLU, GELU, Flatten, QuantizedLinear, SparseLinear).
// Rules: use only `train` (never open a file: the test split is hidden in a grade, and the tests run
// you with TT_DATA_DIR pointing at an empty folder); decide when to stop on a held-out slice of
// `train`; the same data and seed give the same model, another seed another model; stop after
// options.max_epochs passes even if the target is not reached (that run counts as the slowest).
Sequential train_fastest(const Dataset& train, const TrainerOptions& options = {});

}  // namespace tt::capstone
