// Cross-entropy over logits (stable log-softmax), its gradient, and argmax/accuracy helpers.
// Not label smoothing or class weights: the plain mean negative log-likelihood.
#include "tt/loss.hpp"

#include <cmath>
#include <string>

#include "layer_checks.hpp"
#include "tt/activations.hpp"

namespace tt {

namespace {

void check_logits(const Tensor& logits, const std::string& what) {
  if (logits.dimension() != 2 || logits.size() == 0) {
    throw shape_error(what + ": expected logits (N, C) (non-empty), got " + detail::shape_text(logits));
  }
}

void check_labels(const Tensor& logits, const std::vector<std::int32_t>& labels, const std::string& what,
                  bool check_range) {
  const std::size_t n = logits.shape()[0];
  const std::size_t c = logits.shape()[1];
  if (labels.size() != n) {
    throw shape_error(what + ": expected " + std::to_string(n) + " labels (one per row of logits " + shape_of(logits) +
                      "), got " + std::to_string(labels.size()));
  }
  if (!check_range) return;
  for (std::size_t i = 0; i < n; ++i) {
    if (labels[i] < 0 || static_cast<std::size_t>(labels[i]) >= c) {
      throw value_error(what + ": label " + std::to_string(labels[i]) + " at row " + std::to_string(i) +
                        " is outside [0, " + std::to_string(c) + ")");
    }
  }
}

}  // namespace

float CrossEntropyLoss::forward(const Tensor& logits, const std::vector<std::int32_t>& labels) {
  check_logits(logits, "CrossEntropyLoss");
  check_labels(logits, labels, "CrossEntropyLoss", true);
  const std::size_t n = logits.shape()[0];
  const std::size_t c = logits.shape()[1];
  // loss_i = -log_softmax(x_i)[y_i]; the softmax itself is kept for backward.
  const Tensor log_p = log_softmax_last_axis(logits);
  double total = 0;
  for (std::size_t i = 0; i < n; ++i) total -= log_p.data()[i * c + static_cast<std::size_t>(labels[i])];
  probs_ = Tensor::from_shape(log_p.shape());
  const float* lp = log_p.data();
  float* p = probs_.data();
  for (std::size_t i = 0, sz = probs_.size(); i < sz; ++i) p[i] = std::exp(lp[i]);
  labels_ = labels;
  return static_cast<float>(total / static_cast<double>(n));
}

Tensor CrossEntropyLoss::backward() const {
  require_cached(probs_, "CrossEntropyLoss");
  const std::size_t n = probs_.shape()[0];
  const std::size_t c = probs_.shape()[1];
  const float inv_n = 1.0F / static_cast<float>(n);
  Tensor grad = Tensor::from_shape(probs_.shape());
  const float* p = probs_.data();
  float* g = grad.data();
  for (std::size_t i = 0, sz = grad.size(); i < sz; ++i) g[i] = p[i] * inv_n;
  for (std::size_t i = 0; i < n; ++i) g[i * c + static_cast<std::size_t>(labels_[i])] -= inv_n;
  return grad;
}

std::vector<std::int32_t> argmax_rows(const Tensor& logits) {
  check_logits(logits, "argmax_rows");
  const std::size_t n = logits.shape()[0];
  const std::size_t c = logits.shape()[1];
  std::vector<std::int32_t> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    const float* row = logits.data() + i * c;
    std::size_t best = 0;
    for (std::size_t j = 1; j < c; ++j) {
      if (row[j] > row[best]) best = j;
    }
    out[i] = static_cast<std::int32_t>(best);
  }
  return out;
}

double accuracy(const Tensor& logits, const std::vector<std::int32_t>& labels) {
  check_logits(logits, "accuracy");
  check_labels(logits, labels, "accuracy", false);
  const std::vector<std::int32_t> pred = argmax_rows(logits);
  std::size_t correct = 0;
  for (std::size_t i = 0; i < pred.size(); ++i) correct += pred[i] == labels[i] ? 1 : 0;
  return static_cast<double>(correct) / static_cast<double>(pred.size());
}

}  // namespace tt
