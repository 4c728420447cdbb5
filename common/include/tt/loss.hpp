// Cross-entropy loss over logits and integer labels, with its gradient.
// Not a Module: a loss maps (logits, labels) to a scalar.
#pragma once

#include <cstdint>
#include <vector>

#include "tt/tensor.hpp"

namespace tt {

class CrossEntropyLoss {
 public:
  // logits: (N, C), labels: N values in [0, C) → mean over the batch of -log softmax[label].
  float forward(const Tensor& logits, const std::vector<std::int32_t>& labels);
  // dLoss/dlogits of the last forward(): (softmax - onehot) / N.
  Tensor backward() const;

 private:
  Tensor probs_;
  std::vector<std::int32_t> labels_;
};

// Index of the largest logit per row. logits: (N, C) → N labels.
std::vector<std::int32_t> argmax_rows(const Tensor& logits);
// Share of rows whose argmax equals the label.
double accuracy(const Tensor& logits, const std::vector<std::int32_t>& labels);

}  // namespace tt
