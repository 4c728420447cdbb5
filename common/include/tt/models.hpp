// The Fashion-MNIST models the later modules optimize: an MLP and a small CNN.
// Not a model zoo: two architectures, built as inspectable Sequentials.
#pragma once

#include <cstdint>
#include <vector>

#include "tt/sequential.hpp"

namespace tt {

// Flatten, then Linear+ReLU per hidden size, then Linear to the last size.
// make_mlp({784, 256, 128, 10}, seed)
Sequential make_mlp(const std::vector<std::size_t>& sizes, std::uint64_t seed);
// Conv(1→8, 3, pad 1) ReLU MaxPool(2) Conv(8→16, 3, pad 1) ReLU MaxPool(2) Flatten Linear(784→10).
// Input (N, 1, 28, 28) → logits (N, 10).
Sequential make_cnn(std::uint64_t seed);

}  // namespace tt
