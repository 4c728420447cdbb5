// Shared fixtures of the module 17 tests: seeded random float and int8 tensors.
// Not a test itself: included by the *_test.cpp files of this module.
#pragma once

#include <cstdint>
#include <random>

#include "tt/tensor.hpp"

namespace tt::quant::testing {

inline Tensor uniform(const Shape& shape, float lo, float hi, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> d(lo, hi);
  Tensor t = Tensor::from_shape(shape);
  for (std::size_t i = 0; i < t.size(); ++i) t.flat(i) = d(rng);
  return t;
}

// Every value of [lo, hi] equally likely (the full int8 range by default).
inline TensorI8 random_i8(const Shape& shape, std::uint64_t seed, int lo = -128, int hi = 127) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> d(lo, hi);
  TensorI8 t = TensorI8::from_shape(shape);
  for (std::size_t i = 0; i < t.size(); ++i) t.flat(i) = static_cast<std::int8_t>(d(rng));
  return t;
}

// c = a · bᵀ in 64-bit integers, the oracle of the oracle. a: (m, k), b: (n, k) → (m, n) as int64.
inline std::vector<std::int64_t> dot_oracle(const TensorI8& a, const TensorI8& b) {
  const std::size_t m = a.shape()[0], k = a.shape()[1], n = b.shape()[0];
  std::vector<std::int64_t> c(m * n, 0);
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < n; ++j)
      for (std::size_t kk = 0; kk < k; ++kk) c[i * n + j] += std::int64_t{a(i, kk)} * b(j, kk);
  return c;
}

// Index of the first element where two int32 tensors differ, or -1 when they are equal.
inline long first_mismatch(const TensorI32& x, const TensorI32& y) {
  if (x.shape() != y.shape()) return 0;
  for (std::size_t i = 0; i < x.size(); ++i)
    if (x.flat(i) != y.flat(i)) return static_cast<long>(i);
  return -1;
}

}  // namespace tt::quant::testing
