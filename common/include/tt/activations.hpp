// Elementwise activations (ReLU, GELU) and Softmax over the last axis, with their backward.
// Not fused kernels: each is a plain loop over contiguous data, written for clarity.
#pragma once

#include "tt/module.hpp"

namespace tt {

class ReLU : public Module {
 public:
  std::string kind() const override { return "ReLU"; }
  Tensor forward(const Tensor& x) override;
  Tensor backward(const Tensor& grad_out) override;

 private:
  Tensor input_;
};

// GELU, tanh approximation: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
class GELU : public Module {
 public:
  std::string kind() const override { return "GELU"; }
  Tensor forward(const Tensor& x) override;
  Tensor backward(const Tensor& grad_out) override;

 private:
  Tensor input_;
};

// Softmax along the last axis, numerically stable (max subtracted).
class Softmax : public Module {
 public:
  std::string kind() const override { return "Softmax"; }
  Tensor forward(const Tensor& x) override;
  Tensor backward(const Tensor& grad_out) override;

 private:
  Tensor output_;
};

// Free functions used by attention and losses. x: (..., n) → same shape.
Tensor softmax_last_axis(const Tensor& x);
Tensor log_softmax_last_axis(const Tensor& x);
Tensor gelu(const Tensor& x);

// One row of attention scores, in place: row[0, visible) are multiplied by `scale` and replaced by
// their softmax (max subtracted for stability); row[visible, n) become exact zeros, so a product
// with the values ignores them (a causal mask). row: n floats · 1 <= visible <= n.
void masked_softmax_row(float* row, std::size_t n, std::size_t visible, float scale);

}  // namespace tt
