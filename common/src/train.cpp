// The training loop (shuffled mini-batches, cross-entropy, one optimizer step per batch) and evaluation.
// Not a trainer framework: no callbacks beyond after_step, no schedulers, no checkpoints.
#include "tt/train.hpp"

#include <algorithm>
#include <cstdio>
#include <numeric>
#include <random>
#include <string>

#include "tt/errors.hpp"
#include "tt/loss.hpp"
#include "tt/profile_hooks.hpp"
#include "tt/random.hpp"
#include "tt/timer.hpp"

namespace tt {
namespace {

constexpr double kProgressInterval = 0.1;  // seconds between redraws: at most ~10 per second

void check_dataset(const Dataset& data, const char* what) {
  if (data.size() == 0) throw value_error(std::string(what) + ": the data set is empty");
  if (data.images.dimension() == 0 || data.images.shape()[0] != data.size()) {
    throw shape_error(std::string(what) + ": images " + shape_of(data.images) + " do not match " +
                      std::to_string(data.size()) + " labels");
  }
}

void print_progress(const EpochStats& s, int epochs, std::size_t batch, std::size_t batches, bool done) {
  std::fprintf(stderr, "\repoch %d/%d  batch %zu/%zu  loss %.4f  acc %.4f  %.0f samples/s%s", s.epoch, epochs, batch,
               batches, s.loss, s.accuracy, s.samples_per_second, done ? "\n" : "   ");
  std::fflush(stderr);
}

}  // namespace

std::vector<EpochStats> fit(Module& model, Optimizer& opt, const Dataset& data, const TrainOptions& options) {
  check_dataset(data, "fit");
  if (options.batch_size == 0) throw value_error("fit: batch_size must be at least 1, got 0");
  if (options.epochs < 0) throw value_error("fit: epochs must be >= 0, got " + std::to_string(options.epochs));

  const std::size_t n = data.size();
  const std::size_t batches = (n + options.batch_size - 1) / options.batch_size;
  Rng rng(options.seed);
  std::vector<std::size_t> order(n);
  std::vector<EpochStats> history;
  CrossEntropyLoss loss_fn;
  model.set_training(true);

  for (int epoch = 1; epoch <= options.epochs; ++epoch) {
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::shuffle(order.begin(), order.end(), rng);

    EpochStats stats;
    stats.epoch = epoch;
    double loss_sum = 0;  // sum over samples of the per-sample loss
    double correct = 0;
    std::size_t seen = 0;
    const double start = timing::now_seconds();
    double last_draw = -kProgressInterval;

    for (std::size_t b = 0; b < batches; ++b) {
      const std::size_t begin = b * options.batch_size;
      const std::size_t end = std::min(n, begin + options.batch_size);
      const std::vector<std::size_t> rows(order.begin() + static_cast<std::ptrdiff_t>(begin),
                                          order.begin() + static_cast<std::ptrdiff_t>(end));
      const Dataset batch = data.gather(rows);
      const std::size_t count = batch.size();

      {
        TT_PROFILE_SCOPE("train_step");
        const Tensor logits = model.forward(batch.images);
        const float loss = loss_fn.forward(logits, batch.labels);
        loss_sum += static_cast<double>(loss) * static_cast<double>(count);
        correct += accuracy(logits, batch.labels) * static_cast<double>(count);
        opt.zero_grad();
        model.backward(loss_fn.backward());
        opt.step();
      }
      if (options.after_step) options.after_step();
      seen += count;

      const double now = timing::now_seconds();
      stats.seconds = now - start;
      stats.loss = loss_sum / static_cast<double>(seen);
      stats.accuracy = correct / static_cast<double>(seen);
      stats.samples_per_second = stats.seconds > 0 ? static_cast<double>(seen) / stats.seconds : 0;
      const bool last = b + 1 == batches;
      if (options.progress && (last || now - last_draw >= kProgressInterval)) {
        print_progress(stats, options.epochs, b + 1, batches, last);
        last_draw = now;
      }
    }
    history.push_back(stats);
  }
  return history;
}

Tensor predict(Module& model, const Dataset& data, std::size_t batch_size) {
  check_dataset(data, "predict");
  if (batch_size == 0) throw value_error("predict: batch_size must be at least 1, got 0");
  EvalModeGuard guard(model);
  Tensor out;
  const std::size_t n = data.size();
  for (std::size_t begin = 0; begin < n; begin += batch_size) {
    const Dataset batch = data.slice(begin, batch_size);
    const Tensor logits = model.forward(batch.images);
    if (logits.dimension() != 2 || logits.shape()[0] != batch.size()) {
      throw shape_error("predict: the model returned " + shape_of(logits) + ", expected (" +
                        std::to_string(batch.size()) + ", classes)");
    }
    if (begin == 0) out = Tensor::from_shape({n, logits.shape()[1]});
    if (logits.shape()[1] != out.shape()[1]) {
      throw shape_error("predict: the model returned " + shape_of(logits) + " after " + shape_of(out));
    }
    std::copy(logits.begin(), logits.end(), out.begin() + static_cast<std::ptrdiff_t>(begin * out.shape()[1]));
  }
  return out;
}

double evaluate(Module& model, const Dataset& data, std::size_t batch_size) {
  const Tensor logits = predict(model, data, batch_size);
  return accuracy(logits, data.labels);
}

}  // namespace tt
