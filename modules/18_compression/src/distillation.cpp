// Knowledge distillation (student stubs): the soft/hard loss, its gradient and the training loop.
// Not tt::fit: the loss needs the teacher's logits beside the labels.
#include "tt/compress/distillation.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <string>

#include "tt/activations.hpp"
#include "tt/errors.hpp"
#include "tt/loss.hpp"
#include "tt/random.hpp"
#include "tt/timer.hpp"
#include "tt/train.hpp"

namespace tt::compress {

// Given: the constructor checks and stores its arguments; not part of a task.
DistillationLoss::DistillationLoss(float temperature, float alpha) : temperature_(temperature), alpha_(alpha) {
  if (!(temperature > 0)) {
    throw value_error("DistillationLoss: temperature must be > 0, got " + std::to_string(temperature));
  }
  if (!(alpha >= 0 && alpha <= 1)) {
    throw value_error("DistillationLoss: alpha must be in [0, 1], got " + std::to_string(alpha));
  }
}

float DistillationLoss::forward(const Tensor& student, const Tensor& teacher, const std::vector<std::int32_t>& labels) {
  // Check shapes (shape_error) and labels (value_error). With T = temperature_:
  //   log p_s = log_softmax_last_axis(z_s / T), log p_t = log_softmax_last_axis(z_t / T)
  //   soft = T² · mean_rows Σ_j p_t (log p_t − log p_s)      (KL(p_t ‖ p_s))
  //   hard = mean_rows −log_softmax(z_s)[label]
  // Keep softmax(z_s/T), softmax(z_t/T), softmax(z_s) and the labels for backward(); store
  // soft_ and hard_; return α·soft + (1−α)·hard. Sum in double.
  (void)student;
  (void)teacher;
  (void)labels;
  // TODO(18.10): the distillation loss.
  TT_UNIMPLEMENTED("18.10 DistillationLoss::forward");
}

Tensor DistillationLoss::backward() const {
  // tt::error before any forward. Derive it: d(T²·KL)/dz_s = T·(p_s − p_t) (the 1/T of the
  // inner softmax cancels one T); dCE/dz_s = softmax(z_s) − onehot; both divided by N.
  // Check your formula against tt::testing::numeric_gradient.
  // TODO(18.10): the gradient wrt the student logits.
  TT_UNIMPLEMENTED("18.10 DistillationLoss::backward");
}

// Given: the constructor checks and stores its arguments; not part of a task.
KnowledgeDistillation::KnowledgeDistillation(Module& teacher, Module& student, DistillOptions options)
    : teacher_(teacher), student_(student), options_(options) {
  (void)DistillationLoss(options.temperature, options.alpha);  // validates T and alpha
  if (options.batch_size == 0) throw value_error("KnowledgeDistillation: batch_size must be at least 1, got 0");
}

std::vector<DistillEpoch> KnowledgeDistillation::train(Optimizer& opt, const Dataset& data) {
  // value_error on empty data. teacher logits once: tt::predict(teacher_, data) (eval mode).
  // Per epoch: shuffle with Rng(options_.seed) (std::shuffle over an iota order), then per
  // mini-batch: data.gather(rows), the teacher's rows, opt.zero_grad(), student forward,
  // loss.forward, student_.backward(loss.backward()), opt.step(). Accumulate soft, hard, total
  // and accuracy weighted by the batch size; divide by N at the end of the epoch.
  (void)opt;
  (void)data;
  // TODO(18.11): the distillation training loop.
  TT_UNIMPLEMENTED("18.11 KnowledgeDistillation::train");
}

}  // namespace tt::compress
