// Sequential: an ordered list of modules whose layers can be inspected and replaced.
// Not a graph: one input, one output, layer after layer (quantization and pruning swap layers).
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tt/module.hpp"

namespace tt {

class Sequential : public Module {
 public:
  Sequential() = default;
  std::string kind() const override { return "Sequential"; }

  Sequential& add(std::unique_ptr<Module> layer);
  template <class M, class... Args>
  M& emplace(Args&&... args) {
    auto p = std::make_unique<M>(std::forward<Args>(args)...);
    M& ref = *p;
    add(std::move(p));
    return ref;
  }

  Tensor forward(const Tensor& x) override;
  Tensor backward(const Tensor& grad_out) override;
  std::vector<Param*> params() override;
  void set_training(bool on) override;

  std::size_t size() const { return layers_.size(); }
  // Layer i (index_error past the end).
  Module& at(std::size_t i);
  const Module& at(std::size_t i) const;
  // Layer i as M, or nullptr if it is another type.
  template <class M>
  M* as(std::size_t i) {
    return dynamic_cast<M*>(&at(i));
  }
  // Puts `layer` at position i and returns the layer it replaces.
  std::unique_ptr<Module> replace(std::size_t i, std::unique_ptr<Module> layer);
  // "i.name" for every parameter, e.g. "0.weight".
  std::vector<std::pair<std::string, Param*>> named_params();
  // A one-line-per-layer description: "0 Linear(784 -> 256)" …
  std::string summary() const;

 private:
  std::vector<std::unique_ptr<Module>> layers_;
};

// Bytes of all parameter values (not gradients).
std::size_t parameter_bytes(Module& m);
std::size_t parameter_count(Module& m);

}  // namespace tt
