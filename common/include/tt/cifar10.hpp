// CIFAR-10 in its binary version (data_batch_1..5.bin, test_batch.bin), read into the same Dataset as Fashion-MNIST.
// Not a downloader: an instructor provides the files (no Debian package ships them).
#pragma once

#include <array>
#include <cstddef>
#include <string>

#include "tt/fashion_mnist.hpp"

namespace tt {

// The folder the binary tarball (cifar-10-binary.tar.gz) unpacks to; looked for in the data folder.
inline constexpr const char* kCifar10Folder = "cifar-10-batches-bin";
inline constexpr const char* kCifar10Download = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz";
inline constexpr std::size_t kCifar10Classes = 10;
inline constexpr std::size_t kCifar10Channels = 3;
inline constexpr std::size_t kCifar10Side = 32;
inline constexpr std::size_t kCifar10Pixels = kCifar10Channels * kCifar10Side * kCifar10Side;  // 3072
inline constexpr std::size_t kCifar10RecordBytes = 1 + kCifar10Pixels;  // label byte, then R, G, B planes
inline constexpr std::size_t kCifar10TrainBatches = 5;
// Per-channel mean and standard deviation of the training images (pixels scaled to [0, 1]).
inline constexpr std::array<float, kCifar10Channels> kCifar10Mean{0.4914F, 0.4822F, 0.4465F};
inline constexpr std::array<float, kCifar10Channels> kCifar10Std{0.2470F, 0.2435F, 0.2616F};

// fashion_mnist_dir() + "/cifar-10-batches-bin" (TT_DATA_DIR holds both data sets in a grade).
std::string cifar10_dir();

// One batch file: images (N, 3, 32, 32) (row-major, i.e. N rows of 3072 values in the file's
// R, G, B plane order), each channel standardized with the mean and std above; labels in [0, 10).
// `limit` > 0 reads only the first `limit` records. A missing file, a size that is not a multiple of
// 3073 bytes or a label above 9 throws tt::data_error naming the file, what was expected and found.
Dataset read_cifar10_batch(const std::string& path, std::size_t limit = 0);

// train: data_batch_1.bin … data_batch_5.bin in order (50,000 images); test: test_batch.bin
// (10,000). `dir` empty = cifar10_dir(). `limit` > 0 keeps the first `limit` images.
Dataset load_cifar10(Split split, std::size_t limit = 0, const std::string& dir = "");

}  // namespace tt
