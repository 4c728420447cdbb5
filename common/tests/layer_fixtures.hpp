// Shared fixtures of the core's layer tests: gradcheck of a Module, a counting backend, a scope recorder.
// Not a public test helper: modules use tt/testing.hpp's numeric_gradient directly.
#pragma once

#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "tt/matmul.hpp"
#include "tt/module.hpp"
#include "tt/profile_hooks.hpp"
#include "tt/random.hpp"
#include "tt/testing.hpp"

namespace tt::testing {

// Float central differences with step 1e-2: truncation and rounding both stay near 1e-4, so
// 2e-2 absolute + relative leaves a wide margin while still catching a wrong formula.
inline constexpr double kGradStep = 1e-2;
inline constexpr Tolerance kGradTol{2e-2F, 2e-2F};

// Loss = sum(layer.forward(x) · r) for a fixed random r. Checks the input gradient (unless
// `check_input` is false) and every parameter gradient that backward() accumulates.
inline void check_layer_gradients(Module& layer, const Tensor& x, bool check_input = true, std::uint64_t seed = 7) {
  Rng rng(seed);
  layer.set_training(true);
  const Tensor probe = layer.forward(x);
  const Shape out_shape(probe.shape().begin(), probe.shape().end());
  const Tensor r = rand_uniform(out_shape, -1.0F, 1.0F, rng);

  layer.zero_grad();
  layer.forward(x);
  const Tensor dx = layer.backward(r);
  if (check_input) {
    const Tensor numeric =
        numeric_gradient([&](const Tensor& xi) { return project(layer.forward(xi), r); }, x, kGradStep);
    INFO(layer.describe() << ": input gradient");
    CHECK_THAT(dx, AllClose(numeric, kGradTol));
  }
  for (Param* p : layer.params()) {
    const Tensor analytic = p->grad;
    const Tensor original = p->value;
    const Tensor numeric = numeric_gradient(
        [&](const Tensor& v) {
          p->value = v;
          return project(layer.forward(x), r);
        },
        original, kGradStep);
    p->value = original;
    INFO(layer.describe() << ": gradient of " << p->name);
    CHECK_THAT(analytic, AllClose(numeric, kGradTol));
  }
}

// Uniform values in ±[0.1, 1): no input within a finite-difference step of ReLU's kink.
inline Tensor away_from_zero(const Shape& shape, Rng& rng) {
  Tensor t = rand_uniform(shape, 0.1F, 1.0F, rng);
  std::bernoulli_distribution sign(0.5);
  for (auto& v : t) v = sign(rng) ? v : -v;
  return t;
}

// Counts gemm calls and forwards them to the reference kernel: proves a layer's products go
// through the installed backend.
class CountingBackend : public Backend {
 public:
  std::string name() const override { return "counting"; }
  void gemm(ConstMatrixRef a, ConstMatrixRef b, MatrixRef c) override {
    ++calls;
    reference_backend().gemm(a, b, c);
  }
  int calls = 0;
};

// Records the profile scopes a layer opens (name and FLOPs).
class RecordingSink : public ProfileSink {
 public:
  void begin(const char* name, double flops) override { scopes.emplace_back(name, flops); }
  void end(const char* /*name*/) override {}
  // FLOPs of the first scope called `name`, or -1 if none was opened.
  double flops_of(const std::string& name) const {
    for (const auto& [n, f] : scopes) {
      if (n == name) return f;
    }
    return -1;
  }
  std::vector<std::pair<std::string, double>> scopes;
};

// Installs both for its lifetime.
class InstrumentedScope {
 public:
  InstrumentedScope() : guard_(backend), previous_sink_(set_profile_sink(&sink)) {}
  ~InstrumentedScope() { set_profile_sink(previous_sink_); }
  InstrumentedScope(const InstrumentedScope&) = delete;
  InstrumentedScope& operator=(const InstrumentedScope&) = delete;
  CountingBackend backend;
  RecordingSink sink;

 private:
  BackendGuard guard_;
  ProfileSink* previous_sink_;
};

}  // namespace tt::testing
