// StructuredPruner: removes whole neurons (Linear rows) or output channels (Conv2d filters) and
// rebuilds smaller layers, fixing the inputs of the next weighted layer.
// Not masking: the model really gets smaller and faster (compare magnitude_pruner.hpp).
#pragma once

#include <cstddef>
#include <vector>

#include "tt/sequential.hpp"

namespace tt::compress {

enum class NormKind { l1, l2 };

// The norm of each output unit of a weight: Linear (out, in) → one per row; Conv2d
// (out_c, in_c, k, k) → one per filter. Returns `out` values (double precision).
// shape_error if the weight has rank < 2.
std::vector<double> unit_norms(const Tensor& weight, NormKind norm);

// The units to keep when removing a share `amount` of n = norms.size() units: the
// n − floor(amount · n) largest norms (at least 1), returned in increasing index order. Ties go to
// the lower index. value_error if amount is outside [0, 1].
std::vector<std::size_t> select_units(const std::vector<double>& norms, double amount);

class StructuredPruner {
 public:
  explicit StructuredPruner(NormKind norm = NormKind::l1) : norm_(norm) {}

  // Removes the `amount` share of output units of layer `layer` (a Linear or Conv2d; else
  // value_error) with the smallest norm, and the matching inputs of the next Linear/Conv2d:
  // Linear→Linear (columns), Conv2d→Conv2d (input channels), Conv2d→Flatten→Linear (the
  // H·W block of columns of each channel). Between the two, only layers that act per unit may
  // sit (ReLU, GELU, MaxPool2d, Flatten); anything else, or no next weighted layer (the output
  // layer), throws value_error. Returns the kept unit indices (increasing). The kept units'
  // outputs are unchanged: the model computes the same function restricted to them.
  std::vector<std::size_t> prune_layer(Sequential& model, std::size_t layer, double amount) const;

  // prune_layer on every Linear/Conv2d except the last weighted one (its outputs are the
  // classes). Returns the number of units removed.
  std::size_t prune_all(Sequential& model, double amount) const;

  NormKind norm() const { return norm_; }

 private:
  NormKind norm_;
};

}  // namespace tt::compress
