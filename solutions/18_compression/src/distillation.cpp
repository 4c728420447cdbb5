// Knowledge distillation (reference): the soft/hard loss, its gradient and the training loop.
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
namespace {

Tensor scaled(const Tensor& z, float inv_t) {
  Tensor out = z;
  for (float& v : out) v *= inv_t;
  return out;
}

// rows [begin, end) of the rows listed in `order`, gathered from a (N, C) tensor.
Tensor gather_rows(const Tensor& t, const std::vector<std::size_t>& rows) {
  const std::size_t c = t.shape()[1];
  Tensor out = Tensor::from_shape({rows.size(), c});
  for (std::size_t i = 0; i < rows.size(); ++i) std::copy_n(t.data() + rows[i] * c, c, out.data() + i * c);
  return out;
}

}  // namespace

DistillationLoss::DistillationLoss(float temperature, float alpha) : temperature_(temperature), alpha_(alpha) {
  if (!(temperature > 0)) {
    throw value_error("DistillationLoss: temperature must be > 0, got " + std::to_string(temperature));
  }
  if (!(alpha >= 0 && alpha <= 1)) {
    throw value_error("DistillationLoss: alpha must be in [0, 1], got " + std::to_string(alpha));
  }
}

float DistillationLoss::forward(const Tensor& student, const Tensor& teacher, const std::vector<std::int32_t>& labels) {
  check_rank(student, 2, "DistillationLoss student logits (N, C)");
  check_same_shape(student, teacher, "DistillationLoss student vs teacher logits");
  const std::size_t n = student.shape()[0], c = student.shape()[1];
  if (labels.size() != n) {
    throw shape_error("DistillationLoss: " + std::to_string(labels.size()) + " labels for " + std::to_string(n) +
                      " rows of logits");
  }
  for (std::int32_t y : labels) {
    if (y < 0 || static_cast<std::size_t>(y) >= c) {
      throw value_error("DistillationLoss: label " + std::to_string(y) + " outside [0, " + std::to_string(c) + ")");
    }
  }
  const float inv_t = 1.0F / temperature_;
  const Tensor zs = scaled(student, inv_t), zt = scaled(teacher, inv_t);
  const Tensor log_ps = log_softmax_last_axis(zs), log_pt = log_softmax_last_axis(zt);
  const Tensor log_p = log_softmax_last_axis(student);
  student_soft_ = softmax_last_axis(zs);
  teacher_soft_ = softmax_last_axis(zt);
  student_probs_ = softmax_last_axis(student);
  labels_ = labels;

  double kl = 0, ce = 0;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < c; ++j) {
      const double pt = teacher_soft_(i, j);
      if (pt > 0) kl += pt * (static_cast<double>(log_pt(i, j)) - log_ps(i, j));
    }
    ce -= log_p(i, static_cast<std::size_t>(labels[i]));
  }
  const double t2 = static_cast<double>(temperature_) * temperature_;
  soft_ = static_cast<float>(t2 * kl / static_cast<double>(n));
  hard_ = static_cast<float>(ce / static_cast<double>(n));
  return alpha_ * soft_ + (1 - alpha_) * hard_;
}

Tensor DistillationLoss::backward() const {
  if (labels_.empty()) throw error("DistillationLoss::backward called before forward");
  const std::size_t n = student_probs_.shape()[0], c = student_probs_.shape()[1];
  // d(T²·KL)/dz_s = T·(p_s − p_t); d CE/dz = p − onehot; both averaged over the batch.
  const float soft_scale = alpha_ * temperature_ / static_cast<float>(n);
  const float hard_scale = (1 - alpha_) / static_cast<float>(n);
  Tensor g = Tensor::from_shape({n, c});
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < c; ++j) {
      const float onehot = static_cast<std::size_t>(labels_[i]) == j ? 1.0F : 0.0F;
      g(i, j) = soft_scale * (student_soft_(i, j) - teacher_soft_(i, j)) + hard_scale * (student_probs_(i, j) - onehot);
    }
  }
  return g;
}

KnowledgeDistillation::KnowledgeDistillation(Module& teacher, Module& student, DistillOptions options)
    : teacher_(teacher), student_(student), options_(options) {
  (void)DistillationLoss(options.temperature, options.alpha);  // validates T and alpha
  if (options.batch_size == 0) throw value_error("KnowledgeDistillation: batch_size must be at least 1, got 0");
}

std::vector<DistillEpoch> KnowledgeDistillation::train(Optimizer& opt, const Dataset& data) {
  if (data.size() == 0) throw value_error("KnowledgeDistillation::train: the data set is empty");
  const Tensor teacher_logits = predict(teacher_, data, 256);  // (N, C), eval mode, once
  const std::size_t n = data.size();
  const std::size_t batches = (n + options_.batch_size - 1) / options_.batch_size;
  DistillationLoss loss(options_.temperature, options_.alpha);
  Rng rng(options_.seed);
  std::vector<std::size_t> order(n);
  std::vector<DistillEpoch> history;
  student_.set_training(true);

  for (int epoch = 1; epoch <= options_.epochs; ++epoch) {
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::shuffle(order.begin(), order.end(), rng);
    DistillEpoch s;
    s.epoch = epoch;
    double correct = 0;
    const double start = timing::now_seconds();
    for (std::size_t b = 0; b < batches; ++b) {
      const std::size_t begin = b * options_.batch_size;
      const std::size_t end = std::min(n, begin + options_.batch_size);
      const std::vector<std::size_t> rows(order.begin() + static_cast<std::ptrdiff_t>(begin),
                                          order.begin() + static_cast<std::ptrdiff_t>(end));
      const Dataset batch = data.gather(rows);
      const Tensor zt = gather_rows(teacher_logits, rows);
      opt.zero_grad();
      const Tensor zs = student_.forward(batch.images);
      const float total = loss.forward(zs, zt, batch.labels);
      student_.backward(loss.backward());
      opt.step();
      const double m = static_cast<double>(rows.size());
      s.total_loss += total * m;
      s.soft_loss += loss.soft_loss() * m;
      s.hard_loss += loss.hard_loss() * m;
      correct += accuracy(zs, batch.labels) * m;
      if (options_.progress && (b + 1 == batches || b % 50 == 0)) {
        std::fprintf(stderr, "\rdistill epoch %d/%d  batch %zu/%zu  soft %.4f  hard %.4f%s", epoch, options_.epochs,
                     b + 1, batches, s.soft_loss / static_cast<double>(end), s.hard_loss / static_cast<double>(end),
                     b + 1 == batches ? "\n" : "   ");
      }
    }
    const double dn = static_cast<double>(n);
    s.total_loss /= dn;
    s.soft_loss /= dn;
    s.hard_loss /= dn;
    s.accuracy = correct / dn;
    s.seconds = timing::now_seconds() - start;
    history.push_back(s);
  }
  return history;
}

}  // namespace tt::compress
