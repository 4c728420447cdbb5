// Optimizers: SGD (momentum, L2 weight decay) and Adam (bias-corrected moments), in place on Params.
// Not a learning-rate scheduler or gradient clipper: the caller changes `lr` between steps.
#include "tt/optim.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "layer_checks.hpp"

namespace tt {

namespace {

void check_grad_shape(const Param& p) {
  if (!std::equal(p.grad.shape().begin(), p.grad.shape().end(), p.value.shape().begin(), p.value.shape().end())) {
    throw shape_error("Optimizer: the gradient of '" + p.name + "' has shape " + detail::shape_text(p.grad) +
                      ", expected the value's shape " + detail::shape_text(p.value));
  }
}

// The optimizer's state for a parameter must still match it (a layer swapped underneath would not).
void check_state(const Tensor& state, const Param& p) {
  if (state.size() != p.value.size()) {
    throw shape_error("Optimizer: the state of '" + p.name + "' has " + std::to_string(state.size()) +
                      " elements but the parameter now has shape " + detail::shape_text(p.value) +
                      " (create the optimizer again after changing the model)");
  }
}

void check_hyper(bool ok, const std::string& what, float value) {
  if (!ok) throw value_error(what + ", got " + std::to_string(value));
}

std::vector<Tensor> zeros_like(const std::vector<Param*>& params) {
  std::vector<Tensor> out;
  out.reserve(params.size());
  for (const Param* p : params) out.push_back(zeros(detail::shape_vector(p->value)));
  return out;
}

}  // namespace

Optimizer::Optimizer(std::vector<Param*> params) : params_(std::move(params)) {
  for (std::size_t i = 0; i < params_.size(); ++i) {
    if (params_[i] == nullptr) throw value_error("Optimizer: parameter " + std::to_string(i) + " is nullptr");
  }
}

void Optimizer::zero_grad() {
  for (Param* p : params_) std::fill(p->grad.data(), p->grad.data() + p->grad.size(), 0.0F);
}

SGD::SGD(std::vector<Param*> params, float learning_rate, float momentum, float weight_decay)
    : Optimizer(std::move(params)), momentum_(momentum), weight_decay_(weight_decay) {
  check_hyper(learning_rate >= 0, "SGD: lr must be >= 0", learning_rate);
  check_hyper(momentum >= 0 && momentum < 1, "SGD: momentum must be in [0, 1)", momentum);
  check_hyper(weight_decay >= 0, "SGD: weight_decay must be >= 0", weight_decay);
  lr = learning_rate;
  if (momentum_ > 0) velocity_ = zeros_like(params_);
}

void SGD::step() {
  for (std::size_t k = 0; k < params_.size(); ++k) {
    Param& p = *params_[k];
    check_grad_shape(p);
    float* w = p.value.data();
    const float* g = p.grad.data();
    const std::size_t n = p.value.size();
    // d = g + wd·w;  with momentum v = μ·v + d and w -= lr·v, else w -= lr·d.
    if (momentum_ > 0) {
      check_state(velocity_[k], p);
      float* v = velocity_[k].data();
      for (std::size_t i = 0; i < n; ++i) {
        v[i] = momentum_ * v[i] + g[i] + weight_decay_ * w[i];
        w[i] -= lr * v[i];
      }
    } else {
      for (std::size_t i = 0; i < n; ++i) w[i] -= lr * (g[i] + weight_decay_ * w[i]);
    }
  }
}

Adam::Adam(std::vector<Param*> params, float learning_rate, float beta1, float beta2, float eps)
    : Optimizer(std::move(params)), beta1_(beta1), beta2_(beta2), eps_(eps) {
  check_hyper(learning_rate >= 0, "Adam: lr must be >= 0", learning_rate);
  check_hyper(beta1 >= 0 && beta1 < 1, "Adam: beta1 must be in [0, 1)", beta1);
  check_hyper(beta2 >= 0 && beta2 < 1, "Adam: beta2 must be in [0, 1)", beta2);
  check_hyper(eps >= 0, "Adam: eps must be >= 0", eps);
  lr = learning_rate;
  m_ = zeros_like(params_);
  v_ = zeros_like(params_);
}

void Adam::step() {
  ++t_;
  // Bias correction: the moments start at zero, so early averages are scaled up by 1/(1-βᵗ).
  const double c1 = 1.0 - std::pow(static_cast<double>(beta1_), static_cast<double>(t_));
  const double c2 = 1.0 - std::pow(static_cast<double>(beta2_), static_cast<double>(t_));
  const auto step_size = static_cast<float>(lr / c1);
  const auto inv_sqrt_c2 = static_cast<float>(1.0 / std::sqrt(c2));
  for (std::size_t k = 0; k < params_.size(); ++k) {
    Param& p = *params_[k];
    check_grad_shape(p);
    float* w = p.value.data();
    const float* g = p.grad.data();
    check_state(m_[k], p);
    float* m = m_[k].data();
    float* v = v_[k].data();
    for (std::size_t i = 0, n = p.value.size(); i < n; ++i) {
      m[i] = beta1_ * m[i] + (1 - beta1_) * g[i];
      v[i] = beta2_ * v[i] + (1 - beta2_) * g[i] * g[i];
      // w -= lr · m̂ / (√v̂ + ε), m̂ = m/c1, v̂ = v/c2
      w[i] -= step_size * m[i] / (std::sqrt(v[i]) * inv_sqrt_c2 + eps_);
    }
  }
}

}  // namespace tt
