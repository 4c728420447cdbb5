// Fashion-MNIST loader: IDX files (gzip or plain) read with zlib, standardized into a Dataset.
// Not a downloader and not a general IDX library: two formats (images 2051, labels 2049), u8 only.
#include "tt/fashion_mnist.hpp"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

#include "tt/errors.hpp"

namespace tt {
namespace {

constexpr std::uint32_t kImagesMagic = 2051;  // 0x00000803: unsigned byte, 3 dimensions
constexpr std::uint32_t kLabelsMagic = 2049;  // 0x00000801: unsigned byte, 1 dimension
constexpr std::size_t kImageSide = 28;
constexpr const char* kWhatToDo =
    "install it with ./scripts/setup (Debian package dataset-fashion-mnist) or set TT_DATA_DIR";

[[noreturn]] void fail(const std::string& path, const std::string& problem) {
  throw data_error("Fashion-MNIST file " + path + ": " + problem + "; " + kWhatToDo);
}

// A gzFile that closes itself. gzopen reads plain (uncompressed) files transparently.
class GzReader {
 public:
  explicit GzReader(std::string path) : path_(std::move(path)) {
    std::error_code ec;
    if (!std::filesystem::exists(path_, ec)) fail(path_, "not found");
    file_ = gzopen(path_.c_str(), "rb");
    if (file_ == nullptr) fail(path_, "cannot be opened");
  }
  ~GzReader() {
    if (file_ != nullptr) gzclose(file_);
  }
  GzReader(const GzReader&) = delete;
  GzReader& operator=(const GzReader&) = delete;

  // Reads exactly n bytes or throws data_error saying what was expected (`what`) and how
  // many bytes were found.
  void read_exact(void* dst, std::size_t n, const std::string& what) {
    auto* out = static_cast<unsigned char*>(dst);
    std::size_t got = 0;
    while (got < n) {
      // gzread takes an unsigned count; read in chunks well below its limit.
      const auto chunk = static_cast<unsigned>(std::min<std::size_t>(n - got, 1U << 30));
      const int r = gzread(file_, out + got, chunk);
      if (r < 0) {
        int errnum = 0;
        const char* msg = gzerror(file_, &errnum);
        const std::string detail = msg != nullptr ? msg : "zlib error";
        if (errnum == Z_BUF_ERROR) {
          fail(path_, "truncated: the compressed data ends after " + std::to_string(got) + " of the " +
                          std::to_string(n) + " bytes of " + what + " (" + detail + ")");
        }
        fail(path_, "corrupt gzip data while reading " + what + " (" + detail + ")");
      }
      if (r == 0) break;
      got += static_cast<std::size_t>(r);
    }
    if (got < n) {
      fail(path_,
           "truncated: expected " + std::to_string(n) + " bytes of " + what + ", found only " + std::to_string(got));
    }
  }

  std::uint32_t read_u32(const std::string& what) {
    std::array<unsigned char, 4> b{};
    read_exact(b.data(), b.size(), what);
    // IDX integers are big-endian.
    return (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) | b[3];
  }

  const std::string& path() const { return path_; }

 private:
  std::string path_;
  gzFile file_ = nullptr;
};

void check_magic(GzReader& in, std::uint32_t expected, const char* kind) {
  const std::uint32_t magic = in.read_u32("the IDX magic number");
  if (magic != expected) {
    fail(in.path(), std::string("wrong magic number: expected ") + std::to_string(expected) + " (IDX " + kind +
                        "), found " + std::to_string(magic) + " (not an IDX " + kind + " file)");
  }
}

std::size_t take(std::size_t count, std::size_t limit) { return limit == 0 ? count : std::min(count, limit); }

struct Images {
  Array<std::uint8_t> pixels;  // (n, rows, cols)
  std::size_t count_in_file = 0;
};
struct Labels {
  std::vector<std::uint8_t> values;
  std::size_t count_in_file = 0;
};

Images read_images(const std::string& path, std::size_t limit) {
  GzReader in(path);
  check_magic(in, kImagesMagic, "images");
  const std::size_t count = in.read_u32("the image count");
  const std::size_t rows = in.read_u32("the row count");
  const std::size_t cols = in.read_u32("the column count");
  if (rows == 0 || cols == 0 || rows > 4096 || cols > 4096) {
    fail(path, "implausible image size " + std::to_string(rows) + "x" + std::to_string(cols));
  }
  const std::size_t n = take(count, limit);
  Images out;
  out.count_in_file = count;
  out.pixels = Array<std::uint8_t>::from_shape({n, rows, cols});
  in.read_exact(out.pixels.data(), n * rows * cols,
                std::to_string(n) + " images of " + std::to_string(rows) + "x" + std::to_string(cols) + " pixels");
  return out;
}

Labels read_labels(const std::string& path, std::size_t limit) {
  GzReader in(path);
  check_magic(in, kLabelsMagic, "labels");
  const std::size_t count = in.read_u32("the label count");
  const std::size_t n = take(count, limit);
  Labels out;
  out.count_in_file = count;
  out.values.resize(n);
  in.read_exact(out.values.data(), n, std::to_string(n) + " labels");
  return out;
}

// The file as installed: "<name>.gz" if present, else the uncompressed "<name>"; when neither
// exists, the .gz path (so the error names what the package installs).
std::string locate(const std::string& dir, const std::string& name) {
  std::error_code ec;
  std::string gz = dir + "/" + name + ".gz";  // not const: returned, so moved
  if (std::filesystem::exists(gz, ec)) return gz;
  std::string plain = dir + "/" + name;
  if (std::filesystem::exists(plain, ec)) return plain;
  return gz;
}

}  // namespace

Dataset Dataset::slice(std::size_t begin, std::size_t count) const {
  const std::size_t n = size();
  begin = std::min(begin, n);
  count = std::min(count, n - begin);
  std::vector<std::size_t> rows(count);
  for (std::size_t i = 0; i < count; ++i) rows[i] = begin + i;
  return gather(rows);
}

Dataset Dataset::gather(const std::vector<std::size_t>& rows) const {
  if (images.dimension() == 0 || images.shape()[0] != labels.size()) {
    throw shape_error("Dataset: images " + shape_of(images) + " do not match " + std::to_string(labels.size()) +
                      " labels");
  }
  Shape shape(images.shape().begin(), images.shape().end());
  const std::size_t row_size = shape[0] == 0 ? 0 : images.size() / shape[0];
  shape[0] = rows.size();
  Dataset out;
  out.images = Tensor::from_shape(shape);
  out.labels.resize(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (rows[i] >= labels.size()) {
      throw index_error("Dataset::gather: row " + std::to_string(rows[i]) + " out of range for a data set of " +
                        std::to_string(labels.size()) + " rows");
    }
    std::memcpy(out.images.data() + i * row_size, images.data() + rows[i] * row_size, row_size * sizeof(float));
    out.labels[i] = labels[rows[i]];
  }
  return out;
}

std::string fashion_mnist_dir() {
  const char* env = std::getenv("TT_DATA_DIR");
  if (env != nullptr && *env != '\0') return env;
  return kFashionMnistDir;
}

Array<std::uint8_t> read_idx_images(const std::string& path, std::size_t limit) {
  return read_images(path, limit).pixels;
}

std::vector<std::uint8_t> read_idx_labels(const std::string& path, std::size_t limit) {
  return read_labels(path, limit).values;
}

Dataset load_fashion_mnist(Split split, std::size_t limit, const std::string& folder) {
  const std::string dir = folder.empty() ? fashion_mnist_dir() : folder;
  const std::string prefix = split == Split::train ? "train" : "t10k";
  const std::string image_path = locate(dir, prefix + "-images-idx3-ubyte");
  const std::string label_path = locate(dir, prefix + "-labels-idx1-ubyte");

  Images img = read_images(image_path, limit);
  Labels lab = read_labels(label_path, limit);
  if (img.count_in_file != lab.count_in_file) {
    fail(label_path, "holds " + std::to_string(lab.count_in_file) + " labels but " + image_path + " holds " +
                         std::to_string(img.count_in_file) + " images; expected the same count");
  }
  if (img.pixels.shape()[1] != kImageSide || img.pixels.shape()[2] != kImageSide) {
    fail(image_path, "expected 28x28 images, found " + std::to_string(img.pixels.shape()[1]) + "x" +
                         std::to_string(img.pixels.shape()[2]));
  }

  const std::size_t n = lab.values.size();
  Dataset ds;
  ds.labels.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (lab.values[i] >= kFashionMnistClasses) {
      fail(label_path, "label " + std::to_string(i) + " is " + std::to_string(lab.values[i]) + ", expected 0..9");
    }
    ds.labels[i] = lab.values[i];
  }
  ds.images = Tensor::from_shape({n, 1, kImageSide, kImageSide});
  // pixel/255 to [0, 1], then standardized: (p - mean) / std.
  const float scale = 1.0F / (255.0F * kFashionMnistStd);
  const float shift = kFashionMnistMean / kFashionMnistStd;
  const std::uint8_t* src = img.pixels.data();
  float* dst = ds.images.data();
  for (std::size_t i = 0; i < ds.images.size(); ++i) dst[i] = static_cast<float>(src[i]) * scale - shift;
  return ds;
}

}  // namespace tt
