// Sparsity analysis of a model's weights: share of zeros per layer and overall, and a histogram of |w|.
// Not a pruner: it only looks (see magnitude_pruner.hpp to make zeros).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "tt/sequential.hpp"

namespace tt::compress {

// Share of entries of `t` that are exactly 0 (0 for an empty tensor).
double sparsity(const Tensor& t);

struct LayerSparsity {
  std::string name;       // "<layer index>.weight", e.g. "0.weight"
  std::size_t total = 0;  // number of weights
  std::size_t zeros = 0;  // number of exact zeros
  double sparsity() const { return total ? static_cast<double>(zeros) / static_cast<double>(total) : 0.0; }
};

// One entry per Linear/Conv2d/SparseLinear weight (the layers pruning acts on), in layer order.
// A SparseLinear's zeros are the entries its CSR does not store (plus stored exact zeros).
std::vector<LayerSparsity> layer_sparsity(Sequential& model);
// Zeros over all of those weights divided by their count (a weighted mean, not a mean of layers).
double global_sparsity(Sequential& model);

struct Histogram {
  double lo = 0, hi = 0;            // bin i covers [lo + i·w, lo + (i+1)·w), w = (hi − lo) / bins;
  std::vector<std::size_t> counts;  // the last bin also holds hi
  double bin_width() const { return counts.empty() ? 0 : (hi - lo) / static_cast<double>(counts.size()); }
};

// Histogram of |w| over [0, max |w|] of all Linear/Conv2d weights, `bins` bins (value_error if
// bins == 0). With all weights 0, hi = 0 and every weight falls into bin 0.
Histogram magnitude_histogram(Sequential& model, std::size_t bins);

}  // namespace tt::compress
