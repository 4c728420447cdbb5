// Linear: y = x · Wᵀ + b, the fully connected layer (its matmuls go through tt::matmul).
// Not a batched-matmul utility: x is flattened to 2-D over its leading dimensions.
#pragma once

#include "tt/module.hpp"
#include "tt/random.hpp"

namespace tt {

class Linear : public Module {
 public:
  // weight: (out, in), bias: (out); PyTorch-style uniform init from `rng`.
  Linear(std::size_t in, std::size_t out, Rng& rng, bool bias = true);
  // From given tensors (weight (out, in), bias (out) or empty for none); checks shapes.
  Linear(Tensor weight, Tensor bias);

  std::string kind() const override { return "Linear"; }
  // "Linear(784 -> 256)", or "Linear(784 -> 256, no bias)"
  std::string describe() const override;
  // x: (..., in) → (..., out)
  Tensor forward(const Tensor& x) override;
  Tensor backward(const Tensor& grad_out) override;
  std::vector<Param*> params() override;

  std::size_t in_features() const { return weight.value.shape()[1]; }
  std::size_t out_features() const { return weight.value.shape()[0]; }
  bool has_bias() const { return has_bias_; }

  Param weight;  // (out, in)
  Param bias;    // (out); empty when has_bias() is false

 private:
  bool has_bias_;
  Tensor input_;  // (rows, in), kept in training mode
  Shape input_shape_;
};

}  // namespace tt
