// LayerNorm over the last axis (forward, backward) and Embedding (row lookup, scatter-add backward).
// Not BatchNorm or RMSNorm; Embedding ids arrive as floats and must be exact integers in range.
#include "tt/layernorm.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "layer_checks.hpp"
#include "tt/profile_hooks.hpp"

namespace tt {

namespace {

std::string number(double v) {
  std::string s = std::to_string(v);
  // "3.500000" → "3.5", "7.000000" → "7"
  if (s.find('.') != std::string::npos) {
    s.erase(s.find_last_not_of('0') + 1);
    if (s.back() == '.') s.pop_back();
  }
  return s;
}

}  // namespace

LayerNorm::LayerNorm(std::size_t dim, float eps) : eps_(eps) {
  if (dim == 0) throw value_error("LayerNorm: dim must be positive, got 0");
  if (!(eps >= 0.0F)) throw value_error("LayerNorm: eps must be >= 0, got " + std::to_string(eps));
  gamma = {"gamma", full({dim}, 1.0F), zeros({dim})};
  beta = {"beta", zeros({dim}), zeros({dim})};
}

std::string LayerNorm::describe() const { return "LayerNorm(" + std::to_string(gamma.value.size()) + ")"; }

Tensor LayerNorm::forward(const Tensor& x) {
  // About 8 FLOPs per element: mean (1), variance (3), normalize (2), scale and shift (2).
  TT_PROFILE_SCOPE("layernorm", 8.0 * static_cast<double>(x.size()));
  const std::size_t dim = gamma.value.size();
  if (x.dimension() < 1 || x.size() == 0 || x.shape().back() != dim) {
    throw shape_error("LayerNorm: expected input (..., " + std::to_string(dim) + ") (non-empty), got " +
                      detail::shape_text(x));
  }
  const std::size_t rows = x.size() / dim;
  Tensor y = Tensor::from_shape(x.shape());
  if (training_) {
    xhat_ = Tensor::from_shape({rows, dim});
    inv_std_ = Tensor::from_shape({rows});
    input_shape_ = detail::shape_vector(x);
  } else {
    xhat_ = empty_tensor();
    inv_std_ = empty_tensor();
    input_shape_.clear();
  }
  const float* g = gamma.value.data();
  const float* b = beta.value.data();
  for (std::size_t r = 0; r < rows; ++r) {
    const float* in = x.data() + r * dim;
    float* out = y.data() + r * dim;
    // Two passes in double: the mean first, then the variance around it (no cancellation).
    double mean = 0;
    for (std::size_t j = 0; j < dim; ++j) mean += in[j];
    mean /= static_cast<double>(dim);
    double var = 0;
    for (std::size_t j = 0; j < dim; ++j) {
      const double d = in[j] - mean;
      var += d * d;
    }
    var /= static_cast<double>(dim);
    const auto inv_std = static_cast<float>(1.0 / std::sqrt(var + eps_));
    const auto m = static_cast<float>(mean);
    float* xh = training_ ? xhat_.data() + r * dim : nullptr;
    for (std::size_t j = 0; j < dim; ++j) {
      const float v = (in[j] - m) * inv_std;
      if (xh != nullptr) xh[j] = v;
      out[j] = v * g[j] + b[j];
    }
    if (training_) inv_std_.data()[r] = inv_std;
  }
  return y;
}

Tensor LayerNorm::backward(const Tensor& grad_out) {
  require_cached(xhat_, "LayerNorm");
  detail::check_grad(grad_out, input_shape_, "LayerNorm");
  const std::size_t dim = gamma.value.size();
  const std::size_t rows = xhat_.shape()[0];
  Tensor dx = Tensor::from_shape(grad_out.shape());
  const float* gam = gamma.value.data();
  float* dgamma = gamma.grad.data();
  float* dbeta = beta.grad.data();
  for (std::size_t r = 0; r < rows; ++r) {
    const float* g = grad_out.data() + r * dim;
    const float* xh = xhat_.data() + r * dim;
    float* out = dx.data() + r * dim;
    // dx = inv_std · (dxhat - mean(dxhat) - xhat · mean(dxhat · xhat)), dxhat = g · gamma.
    float sum_d = 0;
    float sum_dx = 0;
    for (std::size_t j = 0; j < dim; ++j) {
      const float d = g[j] * gam[j];
      sum_d += d;
      sum_dx += d * xh[j];
      dgamma[j] += g[j] * xh[j];
      dbeta[j] += g[j];
    }
    const float mean_d = sum_d / static_cast<float>(dim);
    const float mean_dx = sum_dx / static_cast<float>(dim);
    const float inv_std = inv_std_.data()[r];
    for (std::size_t j = 0; j < dim; ++j) out[j] = inv_std * (g[j] * gam[j] - mean_d - xh[j] * mean_dx);
  }
  return dx;
}

std::vector<Param*> LayerNorm::params() { return {&gamma, &beta}; }

Embedding::Embedding(std::size_t vocab, std::size_t dim, Rng& rng) {
  if (vocab == 0 || dim == 0) {
    throw value_error("Embedding: vocab and dim must be positive, got " + std::to_string(vocab) + ", " +
                      std::to_string(dim));
  }
  table = {"table", rand_normal({vocab, dim}, 0.0F, 1.0F, rng), zeros({vocab, dim})};
}

std::string Embedding::describe() const {
  return "Embedding(" + std::to_string(vocab()) + ", " + std::to_string(dim()) + ")";
}

Tensor Embedding::lookup(const std::vector<std::int32_t>& ids) const {
  const std::size_t d = dim();
  const auto v = static_cast<std::int64_t>(vocab());
  Tensor out = Tensor::from_shape({ids.size(), d});
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] < 0 || ids[i] >= v) {
      throw value_error("Embedding: id " + std::to_string(ids[i]) + " at position " + std::to_string(i) +
                        " is outside [0, " + std::to_string(v) + ")");
    }
    const float* src = table.value.data() + static_cast<std::size_t>(ids[i]) * d;
    std::copy(src, src + d, out.data() + i * d);
  }
  return out;
}

Tensor Embedding::forward(const Tensor& ids) {
  detail::check_input(ids, 1, "Embedding", "token ids (...)");
  const double v = static_cast<double>(vocab());
  std::vector<std::int32_t> as_int(ids.size());
  const float* p = ids.data();
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const double id = p[i];
    if (!(id >= 0 && id < v) || std::floor(id) != id) {
      throw value_error("Embedding: id " + number(id) + " at flat index " + std::to_string(i) +
                        " is not an integer in [0, " + number(v) + ")");
    }
    as_int[i] = static_cast<std::int32_t>(id);
  }
  Tensor out = lookup(as_int);
  Shape shape = detail::shape_vector(ids);
  shape.push_back(dim());
  out.reshape(shape);
  if (training_) {
    ids_ = std::move(as_int);
  } else {
    ids_.clear();
  }
  return out;
}

Tensor Embedding::backward(const Tensor& grad_out) {
  detail::require_forward(!ids_.empty(), "Embedding");
  const std::size_t d = dim();
  if (grad_out.dimension() < 2 || grad_out.shape().back() != d || grad_out.size() != ids_.size() * d) {
    throw shape_error("Embedding::backward: expected grad_out (..., " + std::to_string(d) + ") with " +
                      std::to_string(ids_.size()) + " rows (the shape of the last forward output), got " +
                      detail::shape_text(grad_out));
  }
  const float* g = grad_out.data();
  float* tg = table.grad.data();
  for (std::size_t i = 0; i < ids_.size(); ++i) {
    float* row = tg + static_cast<std::size_t>(ids_[i]) * d;
    for (std::size_t j = 0; j < d; ++j) row[j] += g[i * d + j];
  }
  return empty_tensor();
}

std::vector<Param*> Embedding::params() { return {&table}; }

}  // namespace tt
