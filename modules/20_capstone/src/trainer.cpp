// Your fastest trainer (20.6): the pristine training split in, a classifier that reaches the target test accuracy out.
// Not the timing: the grader's harness (m20_harness) times train_fastest from another process and tests the model.
#include "tt/capstone/trainer.hpp"
#include "tt/errors.hpp"

namespace tt::capstone {

Sequential train_fastest(const Dataset& train, const TrainerOptions& options) {
  // Everything random starts from options.seed (tt::Rng): shuffle the row indices, keep a slice of
  // them as a held-out check (a few thousand images), build a small model (make_mlp with the
  // flattened image size as its first size, 10 last) and train it on the rest with the core's fit()
  // in chunks, with module 15's optimized backend installed (BackendGuard). After each chunk,
  // evaluate() on the held-out slice and stop once it is a little above options.target_accuracy (the
  // hidden test split is usually a point harder), or after options.max_epochs passes. Batch size,
  // learning rate and width decide the time: measure (README, Part 5).
  // TODO(20.6): return the trained model in eval mode.
  (void)train;
  (void)options;
  TT_UNIMPLEMENTED("20.6 train_fastest");
}

}  // namespace tt::capstone
