// ReLU, GELU (tanh approximation) and last-axis Softmax: forward, backward and free functions.
// Not fused: plain loops over contiguous data; GELU's tanh is vectorized with xsimd (it dominated GPT).
#include "tt/activations.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

// GCC 12 warns that xsimd's AVX-512 tanh reads an uninitialized register (_mm512_undefined_ps
// inside the intrinsics headers): a known false positive of the intrinsics, not of this code.
#pragma GCC diagnostic push
#if !defined(__clang__)  // a GCC-only warning (clang-tidy reads this file too)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <xsimd/xsimd.hpp>

#include "layer_checks.hpp"
#include "tt/profile_hooks.hpp"

namespace tt {

namespace {

constexpr float kGeluCoeff = 0.044715F;
// √(2/π)
constexpr float kSqrt2OverPi = 0.7978845608028654F;

// Calls f(row_in, row_out, n) for every row of a (..., n) tensor.
template <class F>
void for_each_row(const Tensor& x, Tensor& y, F f) {
  const std::size_t n = x.shape().back();
  const std::size_t rows = x.size() / n;
  const float* in = x.data();
  float* out = y.data();
  for (std::size_t r = 0; r < rows; ++r) f(in + r * n, out + r * n, n);
}

// y = softmax(x) of one row: masked_softmax_row with nothing masked.
void softmax_row(const float* x, float* y, std::size_t n) {
  std::copy_n(x, n, y);
  masked_softmax_row(y, n, n, 1.0F);
}

}  // namespace

Tensor ReLU::forward(const Tensor& x) {
  detail::check_input(x, 1, "ReLU", "a tensor");
  Tensor y = Tensor::from_shape(x.shape());
  const float* in = x.data();
  float* out = y.data();
  for (std::size_t i = 0, n = x.size(); i < n; ++i) out[i] = in[i] > 0.0F ? in[i] : 0.0F;
  input_ = training_ ? x : empty_tensor();
  return y;
}

Tensor ReLU::backward(const Tensor& grad_out) {
  require_cached(input_, "ReLU");
  detail::check_grad(grad_out, detail::shape_vector(input_), "ReLU");
  Tensor dx = Tensor::from_shape(grad_out.shape());
  const float* in = input_.data();
  const float* g = grad_out.data();
  float* out = dx.data();
  for (std::size_t i = 0, n = dx.size(); i < n; ++i) out[i] = in[i] > 0.0F ? g[i] : 0.0F;
  return dx;
}

Tensor gelu(const Tensor& x) {
  // About 20 FLOPs per element: 9 around the tanh, ~11 for the vectorized tanh itself (an estimate).
  TT_PROFILE_SCOPE("gelu", 20.0 * static_cast<double>(x.size()));
  detail::check_input(x, 1, "gelu", "a tensor");
  Tensor y = Tensor::from_shape(x.shape());
  const float* in = x.data();
  float* out = y.data();
  using batch = xsimd::batch<float>;
  const std::size_t n = x.size();
  const std::size_t vec_end = n - n % batch::size;
  std::size_t i = 0;
  for (; i < vec_end; i += batch::size) {
    const batch v = batch::load_unaligned(in + i);
    const batch u = kSqrt2OverPi * xsimd::fma(batch(kGeluCoeff) * v * v, v, v);
    (0.5F * v * (1.0F + xsimd::tanh(u))).store_unaligned(out + i);
  }
  for (; i < n; ++i) {
    const float v = in[i];
    const float u = kSqrt2OverPi * (v + kGeluCoeff * v * v * v);
    out[i] = 0.5F * v * (1.0F + std::tanh(u));
  }
  return y;
}
#pragma GCC diagnostic pop

Tensor GELU::forward(const Tensor& x) {
  Tensor y = gelu(x);
  input_ = training_ ? x : empty_tensor();
  return y;
}

Tensor GELU::backward(const Tensor& grad_out) {
  require_cached(input_, "GELU");
  detail::check_grad(grad_out, detail::shape_vector(input_), "GELU");
  Tensor dx = Tensor::from_shape(grad_out.shape());
  const float* in = input_.data();
  const float* g = grad_out.data();
  float* out = dx.data();
  for (std::size_t i = 0, n = dx.size(); i < n; ++i) {
    // d/dx 0.5·x·(1 + tanh u) = 0.5·(1 + tanh u) + 0.5·x·(1 - tanh² u)·du/dx
    const float v = in[i];
    const float t = std::tanh(kSqrt2OverPi * (v + kGeluCoeff * v * v * v));
    const float du = kSqrt2OverPi * (1.0F + 3.0F * kGeluCoeff * v * v);
    out[i] = g[i] * (0.5F * (1.0F + t) + 0.5F * v * (1.0F - t * t) * du);
  }
  return dx;
}

void masked_softmax_row(float* row, std::size_t n, std::size_t visible, float scale) {
  float mx = -std::numeric_limits<float>::infinity();
  for (std::size_t j = 0; j < visible; ++j) {
    row[j] *= scale;
    mx = std::max(mx, row[j]);
  }
  float sum = 0;
  for (std::size_t j = 0; j < visible; ++j) {
    row[j] = std::exp(row[j] - mx);
    sum += row[j];
  }
  const float inv = 1.0F / sum;
  for (std::size_t j = 0; j < visible; ++j) row[j] *= inv;
  std::fill(row + visible, row + n, 0.0F);
}

Tensor softmax_last_axis(const Tensor& x) {
  detail::check_input(x, 1, "softmax_last_axis", "(..., n)");
  Tensor y = Tensor::from_shape(x.shape());
  for_each_row(x, y, softmax_row);
  return y;
}

Tensor log_softmax_last_axis(const Tensor& x) {
  detail::check_input(x, 1, "log_softmax_last_axis", "(..., n)");
  Tensor y = Tensor::from_shape(x.shape());
  for_each_row(x, y, [](const float* in, float* out, std::size_t n) {
    float m = -std::numeric_limits<float>::infinity();
    for (std::size_t j = 0; j < n; ++j) m = std::max(m, in[j]);
    double sum = 0;
    for (std::size_t j = 0; j < n; ++j) sum += std::exp(static_cast<double>(in[j] - m));
    // (x - m) - log Σ: subtracting m first keeps full precision when the logits are large.
    const auto log_sum = static_cast<float>(std::log(sum));
    for (std::size_t j = 0; j < n; ++j) out[j] = (in[j] - m) - log_sum;
  });
  return y;
}

Tensor Softmax::forward(const Tensor& x) {
  Tensor y = softmax_last_axis(x);
  output_ = training_ ? y : empty_tensor();
  return y;
}

Tensor Softmax::backward(const Tensor& grad_out) {
  require_cached(output_, "Softmax");
  detail::check_grad(grad_out, detail::shape_vector(output_), "Softmax");
  // dx = y ⊙ (g - Σ g·y) per row.
  Tensor dx = Tensor::from_shape(grad_out.shape());
  const std::size_t n = output_.shape().back();
  const std::size_t rows = output_.size() / n;
  const float* y = output_.data();
  const float* g = grad_out.data();
  float* out = dx.data();
  for (std::size_t r = 0; r < rows; ++r, y += n, g += n, out += n) {
    float dot = 0;
    for (std::size_t j = 0; j < n; ++j) dot += g[j] * y[j];
    for (std::size_t j = 0; j < n; ++j) out[j] = y[j] * (g[j] - dot);
  }
  return dx;
}

}  // namespace tt
