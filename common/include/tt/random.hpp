// Seeded random numbers and tensor initializers: every run with the same seed is the same.
// Not a general-purpose RNG library: one engine type, a few distributions.
#pragma once

#include <cstdint>
#include <random>

#include "tt/tensor.hpp"

namespace tt {

using Rng = std::mt19937_64;

// Uniform in [lo, hi).
Tensor rand_uniform(const Shape& shape, float lo, float hi, Rng& rng);
// Normal(mean, stddev).
Tensor rand_normal(const Shape& shape, float mean, float stddev, Rng& rng);
// PyTorch-style default init for a layer with `fan_in` inputs: U(-b, b), b = 1/sqrt(fan_in).
Tensor kaiming_uniform(const Shape& shape, std::size_t fan_in, Rng& rng);

}  // namespace tt
