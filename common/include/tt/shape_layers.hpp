// Layers that only move data: MaxPool2d and Flatten.
// Not arithmetic layers: see linear.hpp, conv2d.hpp, activations.hpp.
#pragma once

#include "tt/module.hpp"

namespace tt {

class MaxPool2d : public Module {
 public:
  explicit MaxPool2d(std::size_t kernel, std::size_t stride = 0);  // stride 0 → kernel
  std::string kind() const override { return "MaxPool2d"; }
  // "MaxPool2d(k=2, stride=2)"
  std::string describe() const override;
  // x: (N, C, H, W) → (N, C, (H-k)/s+1, (W-k)/s+1)
  Tensor forward(const Tensor& x) override;
  Tensor backward(const Tensor& grad_out) override;

 private:
  std::size_t kernel_, stride_;
  std::vector<std::size_t> argmax_;  // flat input index of each output's maximum
  Shape input_shape_;
};

class Flatten : public Module {
 public:
  std::string kind() const override { return "Flatten"; }
  // x: (N, ...) → (N, prod(...))
  Tensor forward(const Tensor& x) override;
  Tensor backward(const Tensor& grad_out) override;

 private:
  Shape input_shape_;
};

}  // namespace tt
