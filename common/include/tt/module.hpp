// Module: the base of every layer (forward and backward), and Param, a weight with its gradient.
// Not autograd: each layer writes its own backward and caches what it needs in forward.
#pragma once

#include <string>
#include <vector>

#include "tt/tensor.hpp"

namespace tt {

// A trainable tensor and its gradient (same shape). backward() accumulates into grad.
struct Param {
  std::string name;  // local name inside its layer: "weight", "bias", "gamma", …
  Tensor value;
  Tensor grad;
};

class Module {
 public:
  virtual ~Module() = default;
  // The layer's type name as a user would write it: "Linear", "Conv2d", …
  virtual std::string kind() const = 0;
  // kind() plus the shape-defining arguments: "Linear(784 -> 256)". Defaults to kind().
  virtual std::string describe() const { return kind(); }
  // Computes the output. In training mode it also keeps what backward() needs.
  virtual Tensor forward(const Tensor& x) = 0;
  // grad_out: dLoss/dOutput of the last forward() → returns dLoss/dInput and adds the
  // parameter gradients into Param::grad. Throws tt::error if forward() was not called in
  // training mode first.
  virtual Tensor backward(const Tensor& grad_out) = 0;
  virtual std::vector<Param*> params() { return {}; }

  // Training mode (default) caches activations for backward; eval mode does not.
  virtual void set_training(bool on) { training_ = on; }
  bool training() const { return training_; }
  void zero_grad();

 protected:
  bool training_ = true;
};

// Puts a module in eval mode for a scope and restores its previous mode on exit, exceptions
// included: evaluation, calibration and measurement must not leave a model in the wrong mode.
class EvalModeGuard {
 public:
  explicit EvalModeGuard(Module& m) : m_(m), was_training_(m.training()) { m_.set_training(false); }
  ~EvalModeGuard() { m_.set_training(was_training_); }
  EvalModeGuard(const EvalModeGuard&) = delete;
  EvalModeGuard& operator=(const EvalModeGuard&) = delete;

 private:
  Module& m_;
  bool was_training_;
};

// Throws tt::error "<kind>::backward called before forward in training mode" when `cached`
// is empty.
void require_cached(const Tensor& cached, const std::string& kind);

}  // namespace tt
