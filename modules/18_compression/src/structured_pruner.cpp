// StructuredPruner (student stubs): drops whole neurons / filters and rebuilds smaller layers.
// Not masking: every rebuilt layer has fewer rows (and the next one fewer inputs).
#include "tt/compress/structured_pruner.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>
#include <string>

#include "tt/activations.hpp"
#include "tt/conv2d.hpp"
#include "tt/errors.hpp"
#include "tt/linear.hpp"
#include "tt/shape_layers.hpp"

namespace tt::compress {

std::vector<double> unit_norms(const Tensor& weight, NormKind norm) {
  // shape_error if rank < 2 or no units. Unit u is the contiguous block
  // weight.data() + u·(size/out) of length size/out (a row, or a whole filter). L1: Σ|v|;
  // L2: sqrt(Σ v²). Accumulate in double.
  (void)weight;
  (void)norm;
  // TODO(18.8): one norm per output unit.
  TT_UNIMPLEMENTED("18.8 unit_norms");
}

std::vector<std::size_t> select_units(const std::vector<double>& norms, double amount) {
  // value_error outside [0, 1]. Remove floor(amount · n) units but keep at least one: sort the
  // indices by norm, largest first, with std::stable_sort (ties keep the lower index), keep the
  // first n − removed, then sort those indices increasingly.
  (void)norms;
  (void)amount;
  // TODO(18.8): the indices to keep.
  TT_UNIMPLEMENTED("18.8 select_units");
}

std::vector<std::size_t> StructuredPruner::prune_layer(Sequential& model, std::size_t layer, double amount) const {
  // 1. model.at(layer) must be a Linear or Conv2d (else value_error).
  // 2. Find the next Linear/Conv2d after it; only ReLU, GELU, MaxPool2d, Flatten may sit in
  //    between (else value_error); none at all → value_error (never prune the output layer).
  // 3. keep = select_units(unit_norms(weight, norm_), amount).
  // 4. The smaller layer: kept rows (Linear) / kept filters (Conv2d, same stride and padding)
  //    and their biases — build with the Linear(weight, bias) / Conv2d(weight, bias, s, p)
  //    constructors (an empty bias is Tensor::from_shape({0})).
  // 5. The next layer: Linear → keep its columns; after a Conv2d and a Flatten, unit u owns the
  //    hw = in_features / units columns [u·hw, (u+1)·hw) (Flatten is channel-major). Conv2d →
  //    keep its input channels (weight[:, keep, :, :]).
  // 6. model.replace both and return keep.
  (void)model;
  (void)layer;
  (void)amount;
  // TODO(18.9): rebuild the two layers.
  TT_UNIMPLEMENTED("18.9 StructuredPruner::prune_layer");
}

// Scaffolding: prune every weighted layer but the last.
std::size_t StructuredPruner::prune_all(Sequential& model, double amount) const {
  std::vector<std::size_t> weighted;
  for (std::size_t i = 0; i < model.size(); ++i) {
    if (model.as<Linear>(i) != nullptr || model.as<Conv2d>(i) != nullptr) weighted.push_back(i);
  }
  if (weighted.empty()) {
    throw value_error("StructuredPruner::prune_all: the model has no Linear or Conv2d layer to prune");
  }
  std::size_t removed = 0;
  for (std::size_t k = 0; k + 1 < weighted.size(); ++k) {
    const std::size_t before = model.at(weighted[k]).params().front()->value.shape()[0];
    removed += before - prune_layer(model, weighted[k], amount).size();
  }
  return removed;
}

}  // namespace tt::compress
