// Seeded tensor initializers.
// Not a distribution library: uniform, normal, and the default layer init.
#include "tt/random.hpp"

#include <cmath>

namespace tt {

Tensor rand_uniform(const Shape& shape, float lo, float hi, Rng& rng) {
  if (!(lo < hi))
    throw value_error("rand_uniform: expected lo < hi, got [" + std::to_string(lo) + ", " + std::to_string(hi) + ")");
  std::uniform_real_distribution<float> d(lo, hi);
  Tensor t = Tensor::from_shape(shape);
  for (auto& v : t) v = d(rng);
  return t;
}

Tensor rand_normal(const Shape& shape, float mean, float stddev, Rng& rng) {
  if (!(stddev > 0)) throw value_error("rand_normal: expected stddev > 0, got " + std::to_string(stddev));
  std::normal_distribution<float> d(mean, stddev);
  Tensor t = Tensor::from_shape(shape);
  for (auto& v : t) v = d(rng);
  return t;
}

Tensor kaiming_uniform(const Shape& shape, std::size_t fan_in, Rng& rng) {
  if (fan_in == 0) throw value_error("kaiming_uniform: fan_in must be positive");
  const float bound = 1.0F / std::sqrt(static_cast<float>(fan_in));
  return rand_uniform(shape, -bound, bound, rng);
}

}  // namespace tt
