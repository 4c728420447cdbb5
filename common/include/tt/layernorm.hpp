// LayerNorm over the last axis with learned gamma and beta, and Embedding (token id → vector).
// Not BatchNorm: no running statistics, same behaviour in training and eval.
#pragma once

#include <cstdint>
#include <vector>

#include "tt/module.hpp"
#include "tt/random.hpp"

namespace tt {

class LayerNorm : public Module {
 public:
  explicit LayerNorm(std::size_t dim, float eps = 1e-5F);
  std::string kind() const override { return "LayerNorm"; }
  // "LayerNorm(128)"
  std::string describe() const override;
  // x: (..., dim) → same shape
  Tensor forward(const Tensor& x) override;
  Tensor backward(const Tensor& grad_out) override;
  std::vector<Param*> params() override;

  Param gamma;  // (dim), ones
  Param beta;   // (dim), zeros

 private:
  float eps_;
  Tensor xhat_;     // normalized input, (rows, dim)
  Tensor inv_std_;  // (rows)
  Shape input_shape_;
};

// Embedding: a (vocab, dim) table; forward takes token ids stored as floats (exact integers).
class Embedding : public Module {
 public:
  // table: (vocab, dim), drawn from N(0, 1) like PyTorch's default.
  Embedding(std::size_t vocab, std::size_t dim, Rng& rng);
  std::string kind() const override { return "Embedding"; }
  // "Embedding(256, 128)": vocab, dim
  std::string describe() const override;
  // ids: (...) of integral values in [0, vocab) → (..., dim); else tt::value_error.
  Tensor forward(const Tensor& ids) override;
  // Returns an empty tensor (ids have no gradient); accumulates into table.grad.
  Tensor backward(const Tensor& grad_out) override;
  std::vector<Param*> params() override;

  // The rows of `ids`, shape (ids.size(), dim); ids out of range throw tt::value_error.
  Tensor lookup(const std::vector<std::int32_t>& ids) const;
  std::size_t vocab() const { return table.value.shape()[0]; }
  std::size_t dim() const { return table.value.shape()[1]; }

  Param table;  // (vocab, dim)

 private:
  std::vector<std::int32_t> ids_;
};

}  // namespace tt
