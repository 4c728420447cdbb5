// StructuredPruner (reference): drops whole neurons / filters and rebuilds smaller layers.
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
namespace {

Tensor no_bias() { return Tensor::from_shape({0}); }

// Rows `keep` of a (units, ...) tensor: the same trailing shape, fewer leading entries.
Tensor take_units(const Tensor& t, const std::vector<std::size_t>& keep) {
  Shape s(t.shape().begin(), t.shape().end());
  const std::size_t unit = t.size() / s[0];
  s[0] = keep.size();
  Tensor out = Tensor::from_shape(s);
  for (std::size_t i = 0; i < keep.size(); ++i) {
    std::copy_n(t.data() + keep[i] * unit, unit, out.data() + i * unit);
  }
  return out;
}

// Columns `cols` of a (rows, n) matrix.
Tensor take_columns(const Tensor& w, const std::vector<std::size_t>& cols) {
  const std::size_t rows = w.shape()[0], n = w.shape()[1];
  Tensor out = Tensor::from_shape({rows, cols.size()});
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t j = 0; j < cols.size(); ++j) out(r, j) = w.data()[r * n + cols[j]];
  }
  return out;
}

// Input channels `keep` of a conv weight (out_c, in_c, k, k).
Tensor take_in_channels(const Tensor& w, const std::vector<std::size_t>& keep) {
  const std::size_t oc = w.shape()[0], ic = w.shape()[1], kk = w.shape()[2] * w.shape()[3];
  Tensor out = Tensor::from_shape({oc, keep.size(), w.shape()[2], w.shape()[3]});
  for (std::size_t o = 0; o < oc; ++o) {
    for (std::size_t i = 0; i < keep.size(); ++i) {
      std::copy_n(w.data() + (o * ic + keep[i]) * kk, kk, out.data() + (o * keep.size() + i) * kk);
    }
  }
  return out;
}

bool acts_per_unit(Module& m) {
  return dynamic_cast<ReLU*>(&m) || dynamic_cast<GELU*>(&m) || dynamic_cast<MaxPool2d*>(&m) ||
         dynamic_cast<Flatten*>(&m);
}

bool is_weighted(Module& m) { return dynamic_cast<Linear*>(&m) || dynamic_cast<Conv2d*>(&m); }

}  // namespace

std::vector<double> unit_norms(const Tensor& weight, NormKind norm) {
  if (weight.dimension() < 2 || weight.shape()[0] == 0) {
    throw shape_error("unit_norms: expected a weight (out, ...) of rank >= 2, got " + shape_of(weight));
  }
  const std::size_t units = weight.shape()[0];
  const std::size_t per = weight.size() / units;
  std::vector<double> out(units, 0.0);
  for (std::size_t u = 0; u < units; ++u) {
    const float* p = weight.data() + u * per;
    double s = 0;
    for (std::size_t i = 0; i < per; ++i) {
      const double v = p[i];
      s += norm == NormKind::l1 ? std::fabs(v) : v * v;
    }
    out[u] = norm == NormKind::l1 ? s : std::sqrt(s);
  }
  return out;
}

std::vector<std::size_t> select_units(const std::vector<double>& norms, double amount) {
  if (!(amount >= 0.0 && amount <= 1.0)) {
    throw value_error("select_units: amount must be in [0, 1] (the share of units to remove), got " +
                      std::to_string(amount));
  }
  const std::size_t n = norms.size();
  if (n == 0) return {};
  const auto removed = static_cast<std::size_t>(std::floor(amount * static_cast<double>(n)));
  const std::size_t kept = std::max<std::size_t>(1, n - std::min(n, removed));
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  // Largest norm first; equal norms: lower index first (stable).
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return norms[a] > norms[b]; });
  order.resize(kept);
  std::sort(order.begin(), order.end());
  return order;
}

std::vector<std::size_t> StructuredPruner::prune_layer(Sequential& model, std::size_t layer, double amount) const {
  Module& target = model.at(layer);
  auto* lin = dynamic_cast<Linear*>(&target);
  auto* conv = dynamic_cast<Conv2d*>(&target);
  if (lin == nullptr && conv == nullptr) {
    throw value_error("StructuredPruner::prune_layer: layer " + std::to_string(layer) + " is " + target.kind() +
                      "; only Linear and Conv2d layers have units to remove");
  }
  // The next weighted layer, through layers that act on each unit separately.
  std::size_t next = layer + 1;
  for (; next < model.size(); ++next) {
    Module& m = model.at(next);
    if (is_weighted(m)) break;
    if (!acts_per_unit(m)) {
      throw value_error("StructuredPruner::prune_layer: layer " + std::to_string(next) + " (" + m.kind() +
                        ") mixes units, so the units of layer " + std::to_string(layer) +
                        " cannot be removed; only ReLU, GELU, MaxPool2d and Flatten may sit in between");
    }
  }
  if (next == model.size()) {
    throw value_error("StructuredPruner::prune_layer: layer " + std::to_string(layer) +
                      " is the last weighted layer (its outputs are the model's outputs); prune a hidden layer");
  }

  const Tensor& w = lin ? lin->weight.value : conv->weight.value;
  const std::size_t units = w.shape()[0];
  std::vector<std::size_t> keep = select_units(unit_norms(w, norm_), amount);

  // The smaller layer: the kept rows / filters and their biases.
  std::unique_ptr<Module> smaller;
  if (lin) {
    Tensor b = lin->has_bias() ? take_units(lin->bias.value, keep) : no_bias();
    smaller = std::make_unique<Linear>(take_units(lin->weight.value, keep), std::move(b));
  } else {
    Tensor b = conv->has_bias() ? take_units(conv->bias.value, keep) : no_bias();
    smaller =
        std::make_unique<Conv2d>(take_units(conv->weight.value, keep), std::move(b), conv->stride(), conv->padding());
  }

  // The next layer loses the matching inputs.
  Module& nm = model.at(next);
  std::unique_ptr<Module> fixed;
  if (auto* nlin = dynamic_cast<Linear*>(&nm)) {
    const std::size_t in = nlin->in_features();
    if (in % units != 0) {
      throw shape_error("StructuredPruner::prune_layer: layer " + std::to_string(next) + " has " + std::to_string(in) +
                        " inputs, not a multiple of the " + std::to_string(units) + " units of layer " +
                        std::to_string(layer));
    }
    // Flatten lays out (C, H, W) channel-major: unit u owns columns [u·hw, (u+1)·hw).
    const std::size_t hw = in / units;
    std::vector<std::size_t> cols;
    cols.reserve(keep.size() * hw);
    for (std::size_t u : keep) {
      for (std::size_t p = 0; p < hw; ++p) cols.push_back(u * hw + p);
    }
    Tensor b = nlin->has_bias() ? Tensor(nlin->bias.value) : no_bias();
    fixed = std::make_unique<Linear>(take_columns(nlin->weight.value, cols), std::move(b));
  } else {
    auto* nconv = dynamic_cast<Conv2d*>(&nm);
    if (lin != nullptr || nconv->in_channels() != units) {
      throw value_error("StructuredPruner::prune_layer: layer " + std::to_string(next) +
                        " (Conv2d) does not take the units of layer " + std::to_string(layer) +
                        " as its input channels");
    }
    Tensor b = nconv->has_bias() ? Tensor(nconv->bias.value) : no_bias();
    fixed = std::make_unique<Conv2d>(take_in_channels(nconv->weight.value, keep), std::move(b), nconv->stride(),
                                     nconv->padding());
  }
  const bool training = target.training();
  smaller->set_training(training);
  fixed->set_training(training);
  model.replace(layer, std::move(smaller));
  model.replace(next, std::move(fixed));
  return keep;
}

std::size_t StructuredPruner::prune_all(Sequential& model, double amount) const {
  std::vector<std::size_t> weighted;
  for (std::size_t i = 0; i < model.size(); ++i) {
    if (is_weighted(model.at(i))) weighted.push_back(i);
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
