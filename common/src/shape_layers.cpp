// MaxPool2d (window maximum, gradient routed to the argmax) and Flatten (a reshape).
// Not padded or dilated pooling: windows start at 0 and step by the stride.
#include "tt/shape_layers.hpp"

#include <string>

#include "layer_checks.hpp"

namespace tt {

MaxPool2d::MaxPool2d(std::size_t kernel, std::size_t stride) : kernel_(kernel), stride_(stride == 0 ? kernel : stride) {
  if (kernel == 0) throw value_error("MaxPool2d: kernel must be positive, got 0");
}

std::string MaxPool2d::describe() const {
  return "MaxPool2d(k=" + std::to_string(kernel_) + ", stride=" + std::to_string(stride_) + ")";
}

Tensor MaxPool2d::forward(const Tensor& x) {
  if (x.dimension() != 4 || x.size() == 0 || x.shape()[2] < kernel_ || x.shape()[3] < kernel_) {
    throw shape_error("MaxPool2d: expected input (N, C, H, W) with H, W >= " + std::to_string(kernel_) +
                      " (non-empty), got " + detail::shape_text(x));
  }
  const std::size_t planes = x.shape()[0] * x.shape()[1];
  const std::size_t h = x.shape()[2];
  const std::size_t w = x.shape()[3];
  const std::size_t oh_n = (h - kernel_) / stride_ + 1;
  const std::size_t ow_n = (w - kernel_) / stride_ + 1;
  Tensor y = Tensor::from_shape({x.shape()[0], x.shape()[1], oh_n, ow_n});
  if (training_) {
    argmax_.resize(y.size());
  } else {
    argmax_.clear();
  }
  const float* in = x.data();
  float* out = y.data();
  std::size_t o = 0;
  for (std::size_t p = 0; p < planes; ++p) {
    const std::size_t base = p * h * w;
    for (std::size_t oh = 0; oh < oh_n; ++oh) {
      for (std::size_t ow = 0; ow < ow_n; ++ow, ++o) {
        std::size_t best = base + oh * stride_ * w + ow * stride_;
        for (std::size_t kh = 0; kh < kernel_; ++kh) {
          const std::size_t row = base + (oh * stride_ + kh) * w + ow * stride_;
          for (std::size_t kw = 0; kw < kernel_; ++kw) {
            if (in[row + kw] > in[best]) best = row + kw;
          }
        }
        out[o] = in[best];
        if (training_) argmax_[o] = best;
      }
    }
  }
  input_shape_ = training_ ? detail::shape_vector(x) : Shape{};
  return y;
}

Tensor MaxPool2d::backward(const Tensor& grad_out) {
  detail::require_forward(!argmax_.empty(), "MaxPool2d");
  const Shape& s = input_shape_;
  detail::check_grad(grad_out, {s[0], s[1], (s[2] - kernel_) / stride_ + 1, (s[3] - kernel_) / stride_ + 1},
                     "MaxPool2d");
  Tensor dx = zeros(s);
  float* out = dx.data();
  const float* g = grad_out.data();
  for (std::size_t o = 0; o < argmax_.size(); ++o) out[argmax_[o]] += g[o];
  return dx;
}

Tensor Flatten::forward(const Tensor& x) {
  detail::check_input(x, 2, "Flatten", "input (N, ...)");
  Tensor y = x;
  y.reshape({x.shape()[0], x.size() / x.shape()[0]});
  input_shape_ = training_ ? detail::shape_vector(x) : Shape{};
  return y;
}

Tensor Flatten::backward(const Tensor& grad_out) {
  detail::require_forward(!input_shape_.empty(), "Flatten");
  std::size_t features = 1;
  for (std::size_t i = 1; i < input_shape_.size(); ++i) features *= input_shape_[i];
  detail::check_grad(grad_out, {input_shape_[0], features}, "Flatten");
  Tensor dx = grad_out;
  dx.reshape(input_shape_);
  return dx;
}

}  // namespace tt
