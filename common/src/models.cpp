// The Fashion-MNIST models: make_mlp and make_cnn, built layer by layer from one seed.
// Not trained here: see train.hpp for fit() and evaluate().
#include "tt/models.hpp"

#include <string>

#include "tt/activations.hpp"
#include "tt/conv2d.hpp"
#include "tt/linear.hpp"
#include "tt/random.hpp"
#include "tt/shape_layers.hpp"

namespace tt {

namespace {
constexpr std::size_t kCnnChannels1 = 8;
constexpr std::size_t kCnnChannels2 = 16;
constexpr std::size_t kCnnKernel = 3;
constexpr std::size_t kCnnPadding = 1;
constexpr std::size_t kCnnPool = 2;
constexpr std::size_t kImageSide = 28;
constexpr std::size_t kClasses = 10;
}  // namespace

Sequential make_mlp(const std::vector<std::size_t>& sizes, std::uint64_t seed) {
  if (sizes.size() < 2) {
    throw value_error("make_mlp: expected at least two sizes (inputs and outputs), got " +
                      std::to_string(sizes.size()));
  }
  Rng rng(seed);
  Sequential model;
  model.emplace<Flatten>();
  for (std::size_t i = 0; i + 1 < sizes.size(); ++i) {
    model.emplace<Linear>(sizes[i], sizes[i + 1], rng);
    if (i + 2 < sizes.size()) model.emplace<ReLU>();
  }
  return model;
}

Sequential make_cnn(std::uint64_t seed) {
  Rng rng(seed);
  Sequential model;
  model.emplace<Conv2d>(1, kCnnChannels1, kCnnKernel, rng, 1, kCnnPadding);
  model.emplace<ReLU>();
  model.emplace<MaxPool2d>(kCnnPool);
  model.emplace<Conv2d>(kCnnChannels1, kCnnChannels2, kCnnKernel, rng, 1, kCnnPadding);
  model.emplace<ReLU>();
  model.emplace<MaxPool2d>(kCnnPool);
  model.emplace<Flatten>();
  // Two 2x2 pools: 28 → 14 → 7, so 16·7·7 = 784 features.
  const std::size_t side = kImageSide / kCnnPool / kCnnPool;
  model.emplace<Linear>(kCnnChannels2 * side * side, kClasses, rng);
  return model;
}

}  // namespace tt
