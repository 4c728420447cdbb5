// Conv2d through im2col + tt::matmul, and the im2col/col2im transforms it is built on.
// Not a direct or Winograd convolution: the point is that conv is a matmul in disguise.
#pragma once

#include "tt/module.hpp"
#include "tt/random.hpp"

namespace tt {

struct ConvGeometry {
  std::size_t channels, height, width, kernel, stride, padding;
  std::size_t out_height() const { return (height + 2 * padding - kernel) / stride + 1; }
  std::size_t out_width() const { return (width + 2 * padding - kernel) / stride + 1; }
};

// x: (N, C, H, W) → columns (N·OH·OW, C·k·k); zero padding. Row r = (n, oh, ow).
Tensor im2col(const Tensor& x, std::size_t kernel, std::size_t stride, std::size_t padding);
// The adjoint of im2col: columns (N·OH·OW, C·k·k) → (N, C, H, W), overlapping patches summed.
Tensor col2im(const Tensor& cols, std::size_t n, const ConvGeometry& g);

class Conv2d : public Module {
 public:
  // weight: (out_c, in_c, k, k), bias: (out_c)
  Conv2d(std::size_t in_channels, std::size_t out_channels, std::size_t kernel, Rng& rng, std::size_t stride = 1,
         std::size_t padding = 0, bool bias = true);
  Conv2d(Tensor weight, Tensor bias, std::size_t stride, std::size_t padding);

  std::string kind() const override { return "Conv2d"; }
  // "Conv2d(1 -> 8, k=3, stride=1, pad=1)"
  std::string describe() const override;
  // x: (N, in_c, H, W) → (N, out_c, OH, OW)
  Tensor forward(const Tensor& x) override;
  Tensor backward(const Tensor& grad_out) override;
  std::vector<Param*> params() override;

  std::size_t in_channels() const { return weight.value.shape()[1]; }
  std::size_t out_channels() const { return weight.value.shape()[0]; }
  std::size_t kernel() const { return weight.value.shape()[2]; }
  std::size_t stride() const { return stride_; }
  std::size_t padding() const { return padding_; }
  bool has_bias() const { return has_bias_; }

  Param weight;
  Param bias;

 private:
  std::size_t stride_, padding_;
  bool has_bias_;
  Tensor cols_;  // im2col of the last training input
  Shape input_shape_;
};

}  // namespace tt
