// Fashion-MNIST from Debian's dataset-fashion-mnist package: IDX .gz files read with zlib.
// Not a downloader: the data comes from the package (scripts/setup installs it).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tt/tensor.hpp"

namespace tt {

// Where Debian's package puts the files; TT_DATA_DIR overrides it.
inline constexpr const char* kFashionMnistDir = "/usr/share/datasets/fashion-mnist";
// Per-pixel mean and standard deviation of the training images (pixels scaled to [0, 1]).
inline constexpr float kFashionMnistMean = 0.2860F;
inline constexpr float kFashionMnistStd = 0.3530F;
inline constexpr std::size_t kFashionMnistClasses = 10;

// Images (N, 1, 28, 28), standardized with the mean and std above; labels in [0, 10).
struct Dataset {
  Tensor images;
  std::vector<std::int32_t> labels;
  std::size_t size() const { return labels.size(); }
  // Rows [begin, begin + count) (clamped to the end).
  Dataset slice(std::size_t begin, std::size_t count) const;
  // Rows in the given order (for shuffled mini-batches).
  Dataset gather(const std::vector<std::size_t>& rows) const;
};

enum class Split { train, test };

std::string fashion_mnist_dir();
// The split, or its first `limit` images (0 = all), from `dir` (empty: fashion_mnist_dir()). A
// missing, truncated or malformed file throws tt::data_error naming the file and what to do
// (install with scripts/setup).
Dataset load_fashion_mnist(Split split, std::size_t limit = 0, const std::string& dir = "");

// The raw IDX readers (gzip or plain). Images as bytes (N, rows, cols); labels as bytes.
Array<std::uint8_t> read_idx_images(const std::string& path, std::size_t limit = 0);
std::vector<std::uint8_t> read_idx_labels(const std::string& path, std::size_t limit = 0);

}  // namespace tt
