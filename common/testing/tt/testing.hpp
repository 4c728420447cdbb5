// Test helpers shared by the core's and the modules' Catch2 tests: tolerance checks and gradcheck.
// Not production code: only test executables include this header.
#pragma once

#include <cmath>
#include <functional>
#include <string>

#include <catch2/catch.hpp>

#include "tt/allclose.hpp"
#include "tt/module.hpp"
#include "tt/random.hpp"

namespace tt::testing {

// CHECK_THAT(actual, AllClose(expected, {atol, rtol})): on failure Catch2 prints the shapes or
// the first mismatching index with the expected and actual values.
class AllCloseMatcher : public Catch::MatcherBase<Tensor> {
 public:
  AllCloseMatcher(Tensor expected, Tolerance tol) : expected_(std::move(expected)), tol_(tol) {}
  bool match(const Tensor& actual) const override {
    last_ = compare(actual, expected_, tol_);
    return last_.ok;
  }
  std::string describe() const override {
    return "is close to the expected tensor " + shape_of(expected_) + " (atol " + std::to_string(tol_.atol) +
           ", rtol " + std::to_string(tol_.rtol) + ")" + (last_.ok ? "" : ": " + last_.message);
  }

 private:
  Tensor expected_;
  Tolerance tol_;
  mutable Comparison last_;
};
inline AllCloseMatcher AllClose(Tensor expected, Tolerance tol = {}) { return {std::move(expected), tol}; }

// Central finite difference of a scalar function of x: (f(x + h·e_i) - f(x - h·e_i)) / 2h.
// Computed in float with the given step; compare with a tolerance that reflects that.
inline Tensor numeric_gradient(const std::function<double(const Tensor&)>& f, Tensor x, double h = 1e-2) {
  Tensor g = Tensor::from_shape(x.shape());
  for (std::size_t i = 0; i < x.size(); ++i) {
    const float old = x.flat(i);
    x.flat(i) = static_cast<float>(old + h);
    const double up = f(x);
    x.flat(i) = static_cast<float>(old - h);
    const double down = f(x);
    x.flat(i) = old;
    g.flat(i) = static_cast<float>((up - down) / (2 * h));
  }
  return g;
}

// A fixed random projection to turn a layer's output into a scalar loss: sum(out * r).
inline double project(const Tensor& out, const Tensor& r) {
  double s = 0;
  for (std::size_t i = 0; i < out.size(); ++i) s += static_cast<double>(out.flat(i)) * r.flat(i);
  return s;
}

}  // namespace tt::testing
