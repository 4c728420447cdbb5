// Tolerance comparison of tensors: |a - b| <= atol + rtol * |b|, elementwise.
// Not a test framework: tests wrap compare() in a Catch2 matcher (tt/testing.hpp).
#pragma once

#include <cstddef>
#include <string>

#include "tt/tensor.hpp"

namespace tt {

struct Tolerance {
  float atol = 1e-5F;
  float rtol = 1e-4F;
};

struct Comparison {
  bool ok = true;
  std::size_t mismatches = 0;
  std::size_t first_index = 0;  // flat row-major index of the first mismatch
  float expected = 0;
  float actual = 0;
  float max_abs_error = 0;
  std::string message;  // empty when ok; else names shapes or first mismatch
};

// `actual` against `expected`; NaN never matches. Shape differences are a failed comparison.
Comparison compare(const Tensor& actual, const Tensor& expected, Tolerance tol = {});
bool allclose(const Tensor& actual, const Tensor& expected, Tolerance tol = {});

}  // namespace tt
