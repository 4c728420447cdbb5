// Optimizers over a list of Params: SGD with momentum (and weight decay) and Adam.
// Not a scheduler: learning-rate changes are the caller's (set lr between steps).
#pragma once

#include <vector>

#include "tt/module.hpp"

namespace tt {

class Optimizer {
 public:
  explicit Optimizer(std::vector<Param*> params);
  virtual ~Optimizer() = default;
  // Applies one update from the current gradients.
  virtual void step() = 0;
  void zero_grad();
  const std::vector<Param*>& params() const { return params_; }
  float lr = 0;

 protected:
  std::vector<Param*> params_;
};

class SGD : public Optimizer {
 public:
  SGD(std::vector<Param*> params, float lr, float momentum = 0, float weight_decay = 0);
  void step() override;

 private:
  float momentum_, weight_decay_;
  std::vector<Tensor> velocity_;
};

class Adam : public Optimizer {
 public:
  Adam(std::vector<Param*> params, float lr = 1e-3F, float beta1 = 0.9F, float beta2 = 0.999F, float eps = 1e-8F);
  void step() override;

 private:
  float beta1_, beta2_, eps_;
  long t_ = 0;
  std::vector<Tensor> m_, v_;
};

}  // namespace tt
