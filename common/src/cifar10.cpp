// CIFAR-10 binary loader: records of 1 label byte + 3072 pixel bytes, standardized per channel into a Dataset.
// Not a downloader and not the Python (pickle) version of the data set: the "binary version" files only.
#include "tt/cifar10.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <utility>
#include <vector>

#include "tt/errors.hpp"

namespace tt {
namespace {

[[noreturn]] void fail(const std::string& path, const std::string& problem) {
  throw data_error("CIFAR-10 file " + path + ": " + problem + "; download the binary version (" +
                   std::string(kCifar10Download) + "), unpack it into the data folder (TT_DATA_DIR, giving " +
                   kCifar10Folder + "/) or pass its folder (--data DIR)");
}

// The whole file as bytes, after checking that it holds whole records.
std::vector<unsigned char> read_records(const std::string& path, std::size_t limit) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) fail(path, "not found (expected a batch of 3073-byte records)");
  const std::size_t size = std::filesystem::file_size(path, ec);
  if (ec) fail(path, "cannot be read (" + ec.message() + ")");
  if (size == 0 || size % kCifar10RecordBytes != 0)
    fail(path, "is " + std::to_string(size) + " bytes, expected a non-zero multiple of " +
                   std::to_string(kCifar10RecordBytes) + " (1 label byte + 3072 pixel bytes per image)");
  std::size_t records = size / kCifar10RecordBytes;
  if (limit > 0) records = std::min(records, limit);
  std::vector<unsigned char> bytes(records * kCifar10RecordBytes);
  std::ifstream in(path, std::ios::binary);
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!in || static_cast<std::size_t>(in.gcount()) != bytes.size())
    fail(path, "ended after " + std::to_string(in.gcount()) + " of " + std::to_string(bytes.size()) + " bytes");
  return bytes;
}

Dataset empty_cifar10(std::size_t n) {
  Dataset ds;
  ds.labels.resize(n);
  ds.images = Tensor::from_shape({n, kCifar10Channels, kCifar10Side, kCifar10Side});
  return ds;
}

// Whole records of `path` into images [first, first + records) of `ds`: labels checked, pixels/255
// standardized per channel, (p - mean) / std.
void decode_records(const std::string& path, const std::vector<unsigned char>& bytes, Dataset& ds, std::size_t first) {
  constexpr std::size_t kPlane = kCifar10Side * kCifar10Side;
  const std::size_t n = bytes.size() / kCifar10RecordBytes;
  float* dst = ds.images.data() + first * kCifar10Pixels;
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned char* rec = bytes.data() + i * kCifar10RecordBytes;
    if (rec[0] >= kCifar10Classes)
      fail(path, "record " + std::to_string(i) + " has label " + std::to_string(rec[0]) +
                     ", expected 0..9 (is this the CIFAR-100 binary version, or not a CIFAR file?)");
    ds.labels[first + i] = rec[0];
    for (std::size_t c = 0; c < kCifar10Channels; ++c) {
      const float scale = 1.0F / (255.0F * kCifar10Std[c]);
      const float shift = kCifar10Mean[c] / kCifar10Std[c];
      for (std::size_t k = 0; k < kPlane; ++k)
        dst[i * kCifar10Pixels + c * kPlane + k] = static_cast<float>(rec[1 + c * kPlane + k]) * scale - shift;
    }
  }
}

}  // namespace

std::string cifar10_dir() { return fashion_mnist_dir() + "/" + kCifar10Folder; }

Dataset read_cifar10_batch(const std::string& path, std::size_t limit) {
  const std::vector<unsigned char> bytes = read_records(path, limit);
  Dataset ds = empty_cifar10(bytes.size() / kCifar10RecordBytes);
  decode_records(path, bytes, ds, 0);
  return ds;
}

Dataset load_cifar10(Split split, std::size_t limit, const std::string& dir) {
  const std::string folder = dir.empty() ? cifar10_dir() : dir;
  if (split == Split::test) return read_cifar10_batch(folder + "/test_batch.bin", limit);
  // Every batch's bytes first (a fifth of the floats they become), then one tensor they decode into.
  std::vector<std::pair<std::string, std::vector<unsigned char>>> batches;
  std::size_t total = 0;
  for (std::size_t b = 1; b <= kCifar10TrainBatches && (limit == 0 || total < limit); ++b) {
    const std::string path = folder + "/data_batch_" + std::to_string(b) + ".bin";
    batches.emplace_back(path, read_records(path, limit == 0 ? 0 : limit - total));
    total += batches.back().second.size() / kCifar10RecordBytes;
  }
  Dataset ds = empty_cifar10(total);
  std::size_t first = 0;
  for (const auto& [path, bytes] : batches) {
    decode_records(path, bytes, ds, first);
    first += bytes.size() / kCifar10RecordBytes;
  }
  return ds;
}

}  // namespace tt
