// Knowledge distillation: the loss α·T²·KL(softmax(z_t/T) ‖ softmax(z_s/T)) + (1−α)·CE(z_s, y) with
// its gradient, and a trainer that teaches a small student from a trained teacher.
// Not a general trainer: one teacher, one student, cross-entropy labels (see tt::fit for plain training).
#pragma once

#include <cstdint>
#include <vector>

#include "tt/fashion_mnist.hpp"
#include "tt/module.hpp"
#include "tt/optim.hpp"

namespace tt::compress {

class DistillationLoss {
 public:
  // temperature T > 0, alpha in [0, 1]; value_error otherwise.
  explicit DistillationLoss(float temperature = 4.0F, float alpha = 0.7F);

  // student, teacher: (N, C) logits; labels: N values in [0, C). Returns the total loss
  // α·soft + (1−α)·hard, where soft = T² · mean over rows of KL(p_t ‖ p_s) with
  // p = softmax(z/T), and hard = mean cross-entropy of the student on the labels.
  // shape_error if the logits differ in shape or labels.size() != N; value_error on a label
  // outside [0, C).
  float forward(const Tensor& student, const Tensor& teacher, const std::vector<std::int32_t>& labels);
  // d total / d student logits of the last forward(), (N, C):
  // α·T·(p_s − p_t)/N + (1−α)·(softmax(z_s) − onehot(y))/N. tt::error before any forward().
  Tensor backward() const;

  float soft_loss() const { return soft_; }  // T²·KL part of the last forward (unweighted)
  float hard_loss() const { return hard_; }  // cross-entropy part of the last forward (unweighted)
  float temperature() const { return temperature_; }
  float alpha() const { return alpha_; }

 private:
  float temperature_, alpha_;
  float soft_ = 0, hard_ = 0;
  Tensor student_soft_;   // softmax(z_s/T), (N, C)
  Tensor teacher_soft_;   // softmax(z_t/T), (N, C)
  Tensor student_probs_;  // softmax(z_s), (N, C)
  std::vector<std::int32_t> labels_;
};

struct DistillOptions {
  float temperature = 4.0F;
  float alpha = 0.7F;
  std::size_t batch_size = 64;
  int epochs = 1;
  std::uint64_t seed = 0;  // shuffling order
  bool progress = true;
};

// Per epoch, sample-weighted means over the epoch's batches.
struct DistillEpoch {
  int epoch = 0;
  double soft_loss = 0;   // T²·KL part
  double hard_loss = 0;   // cross-entropy part
  double total_loss = 0;  // α·soft + (1−α)·hard
  double accuracy = 0;    // student's training accuracy
  double seconds = 0;
};

class KnowledgeDistillation {
 public:
  // Both modules must outlive the trainer. The teacher is only run in eval mode.
  KnowledgeDistillation(Module& teacher, Module& student, DistillOptions options);
  // Trains the student on `data` (shuffled mini-batches, one optimizer step each) and returns
  // one DistillEpoch per epoch. The teacher's logits are computed once, up front.
  std::vector<DistillEpoch> train(Optimizer& opt, const Dataset& data);

 private:
  Module& teacher_;
  Module& student_;
  DistillOptions options_;
};

}  // namespace tt::compress
