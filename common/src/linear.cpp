// Linear: y = x · Wᵀ + b forward and backward, every product through tt::matmul's backend.
// Not a batched matmul: inputs of rank > 2 are flattened to (rows, in) and reshaped back.
#include "tt/linear.hpp"

#include <string>
#include <utility>

#include "layer_checks.hpp"
#include "tt/matmul.hpp"
#include "tt/profile_hooks.hpp"

namespace tt {

namespace {

// out: (rows, n) row-major; adds b (n) to every row.
void add_row_vector(Tensor& out, const Tensor& b) {
  const std::size_t n = b.size();
  const std::size_t rows = out.size() / n;
  float* y = out.data();
  const float* bp = b.data();
  for (std::size_t r = 0; r < rows; ++r, y += n) {
    for (std::size_t j = 0; j < n; ++j) y[j] += bp[j];
  }
}

// acc += delta, elementwise (same sizes).
void add_into(Tensor& acc, const Tensor& delta) {
  float* a = acc.data();
  const float* d = delta.data();
  for (std::size_t i = 0, n = acc.size(); i < n; ++i) a[i] += d[i];
}

}  // namespace

Linear::Linear(std::size_t in, std::size_t out, Rng& rng, bool bias) : has_bias_(bias) {
  if (in == 0 || out == 0) {
    throw value_error("Linear: in and out features must be positive, got " + std::to_string(in) + " -> " +
                      std::to_string(out));
  }
  weight = {"weight", kaiming_uniform({out, in}, in, rng), zeros({out, in})};
  if (has_bias_) {
    this->bias = {"bias", kaiming_uniform({out}, in, rng), zeros({out})};
  } else {
    this->bias = {"bias", empty_tensor(), empty_tensor()};
  }
}

Linear::Linear(Tensor w, Tensor b) : has_bias_(!detail::is_empty(b)) {
  check_rank(w, 2, "Linear weight (out, in)");
  const std::size_t out = w.shape()[0];
  if (has_bias_) check_shape(b, {out}, "Linear bias (out)");
  Shape ws = detail::shape_vector(w);
  weight = {"weight", std::move(w), zeros(ws)};
  if (has_bias_) {
    bias = {"bias", std::move(b), zeros({out})};
  } else {
    bias = {"bias", empty_tensor(), empty_tensor()};
  }
}

std::string Linear::describe() const {
  return "Linear(" + std::to_string(in_features()) + " -> " + std::to_string(out_features()) +
         (has_bias_ ? ")" : ", no bias)");
}

Tensor Linear::forward(const Tensor& x) {
  const std::size_t in = in_features();
  const std::size_t out = out_features();
  detail::check_input(x, 2, "Linear", "input (..., " + std::to_string(in) + ")");
  if (x.shape().back() != in) {
    throw shape_error("Linear: expected input (..., " + std::to_string(in) + "), got " + shape_of(x) +
                      " (the last dimension must equal in_features)");
  }
  const std::size_t rows = x.size() / in;
  TT_PROFILE_SCOPE("Linear", gemm_flops(rows, out, in));

  Shape out_shape = detail::shape_vector(x);
  out_shape.back() = out;
  Tensor y;
  if (x.dimension() == 2) {
    y = matmul_nt(x, weight.value);
    input_ = training_ ? x : empty_tensor();
  } else {
    Tensor x2 = x;
    x2.reshape({rows, in});
    y = matmul_nt(x2, weight.value);
    input_ = training_ ? std::move(x2) : empty_tensor();
  }
  if (has_bias_) add_row_vector(y, bias.value);
  input_shape_ = training_ ? detail::shape_vector(x) : Shape{};
  if (x.dimension() != 2) y.reshape(out_shape);
  return y;
}

Tensor Linear::backward(const Tensor& grad_out) {
  require_cached(input_, "Linear");
  const std::size_t in = in_features();
  const std::size_t out = out_features();
  const std::size_t rows = input_.shape()[0];
  Shape expected = input_shape_;
  expected.back() = out;
  detail::check_grad(grad_out, expected, "Linear");
  TT_PROFILE_SCOPE("Linear.backward", 2 * gemm_flops(rows, out, in));

  Tensor reshaped;
  const Tensor* g = &grad_out;
  if (grad_out.dimension() != 2) {
    reshaped = grad_out;
    reshaped.reshape({rows, out});
    g = &reshaped;
  }
  // dW = gᵀ · x: (out, rows) · (rows, in); db = column sums of g; dx = g · W.
  add_into(weight.grad, matmul_tn(*g, input_));
  if (has_bias_) {
    float* db = bias.grad.data();
    const float* gp = g->data();
    for (std::size_t r = 0; r < rows; ++r, gp += out) {
      for (std::size_t j = 0; j < out; ++j) db[j] += gp[j];
    }
  }
  Tensor dx = matmul(*g, weight.value);
  if (input_shape_.size() != 2) dx.reshape(input_shape_);
  return dx;
}

std::vector<Param*> Linear::params() {
  if (has_bias_) return {&weight, &bias};
  return {&weight};
}

}  // namespace tt
