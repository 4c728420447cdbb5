// Tests of the Fashion-MNIST loader: real data subsets, and broken files the tests write themselves.
// Not a test of the data set's content beyond shapes, label range and standardization.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tt/fashion_mnist.hpp"
#include "tt/testing/data_error.hpp"
#include "tt/testing/temp_dir.hpp"

namespace {

using tt::testing::data_error_message;
using tt::testing::ScopedEnv;
using tt::testing::TempDir;

constexpr std::size_t kSide = 28;

void put_u32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}

// An uncompressed IDX images file: magic, count, rows, cols, then `pixels` (may be short).
std::vector<std::uint8_t> idx_images(std::uint32_t magic, std::uint32_t count,
                                     const std::vector<std::uint8_t>& pixels) {
  std::vector<std::uint8_t> out;
  put_u32(out, magic);
  put_u32(out, count);
  put_u32(out, kSide);
  put_u32(out, kSide);
  out.insert(out.end(), pixels.begin(), pixels.end());
  return out;
}

std::vector<std::uint8_t> idx_labels(std::uint32_t magic, const std::vector<std::uint8_t>& labels) {
  std::vector<std::uint8_t> out;
  put_u32(out, magic);
  put_u32(out, static_cast<std::uint32_t>(labels.size()));
  out.insert(out.end(), labels.begin(), labels.end());
  return out;
}

void write(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream f(path, std::ios::binary);
  f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

// Three 28x28 images whose pixel k of image i is (i * 7 + k) % 256, and labels 0, 5, 9.
std::vector<std::uint8_t> three_images() {
  std::vector<std::uint8_t> px(3 * kSide * kSide);
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t k = 0; k < kSide * kSide; ++k)
      px[i * kSide * kSide + k] = static_cast<std::uint8_t>((i * 7 + k) % 256);
  return px;
}
const std::vector<std::uint8_t> kThreeLabels = {0, 5, 9};

}  // namespace

TEST_CASE("A subset of the real training set loads with the right shapes and labels", "[core][fashion_mnist]") {
  const tt::Dataset train = tt::load_fashion_mnist(tt::Split::train, 2000);
  REQUIRE(train.size() == 2000);
  REQUIRE(train.images.shape() == std::vector<std::size_t>{2000, 1, 28, 28});
  std::vector<int> seen(tt::kFashionMnistClasses, 0);
  for (const std::int32_t l : train.labels) {
    REQUIRE(l >= 0);
    REQUIRE(l < 10);
    ++seen[static_cast<std::size_t>(l)];
  }
  for (const int c : seen) CHECK(c > 100);  // all ten classes, roughly balanced

  // Standardized with the training set's statistics: mean near 0, std near 1.
  double sum = 0, sq = 0;
  for (const float v : train.images) {
    sum += v;
    sq += static_cast<double>(v) * v;
  }
  const double n = static_cast<double>(train.images.size());
  const double mean = sum / n;
  CHECK(std::abs(mean) < 0.05);
  CHECK(std::abs(std::sqrt(sq / n - mean * mean) - 1.0) < 0.05);

  const tt::Dataset test = tt::load_fashion_mnist(tt::Split::test, 300);
  CHECK(test.size() == 300);
  CHECK(test.images.shape() == std::vector<std::size_t>{300, 1, 28, 28});
}

TEST_CASE("The raw IDX readers return bytes with the file's dimensions", "[core][fashion_mnist]") {
  const std::string dir = tt::fashion_mnist_dir();
  const auto images = tt::read_idx_images(dir + "/t10k-images-idx3-ubyte.gz", 10);
  CHECK(images.shape() == std::vector<std::size_t>{10, 28, 28});
  const auto labels = tt::read_idx_labels(dir + "/t10k-labels-idx1-ubyte.gz");
  CHECK(labels.size() == 10000);
  // The first test image is an ankle boot (class 9), as in every Fashion-MNIST copy.
  CHECK(labels[0] == 9);
}

TEST_CASE("Plain IDX files under TT_DATA_DIR load and are standardized", "[core][fashion_mnist]") {
  TempDir dir;
  write(dir.file("t10k-images-idx3-ubyte"), idx_images(2051, 3, three_images()));
  write(dir.file("t10k-labels-idx1-ubyte"), idx_labels(2049, kThreeLabels));
  ScopedEnv env("TT_DATA_DIR", dir.str());
  REQUIRE(tt::fashion_mnist_dir() == dir.str());

  const tt::Dataset ds = tt::load_fashion_mnist(tt::Split::test);
  REQUIRE(ds.size() == 3);
  CHECK(ds.labels == std::vector<std::int32_t>{0, 5, 9});
  const auto standardized = [](int pixel) {
    return (static_cast<float>(pixel) / 255.0F - tt::kFashionMnistMean) / tt::kFashionMnistStd;
  };
  CHECK(ds.images(0, 0, 0, 0) == Approx(standardized(0)).margin(1e-5));
  CHECK(ds.images(1, 0, 0, 3) == Approx(standardized(10)).margin(1e-5));
  CHECK(ds.images(2, 0, 27, 27) == Approx(standardized((14 + 783) % 256)).margin(1e-5));

  SECTION("a limit takes the first images") {
    const tt::Dataset two = tt::load_fashion_mnist(tt::Split::test, 2);
    CHECK(two.size() == 2);
    CHECK(two.labels == std::vector<std::int32_t>{0, 5});
  }
  SECTION("slice and gather pick rows") {
    const tt::Dataset s = ds.slice(1, 10);  // clamped to the end
    REQUIRE(s.size() == 2);
    CHECK(s.labels == std::vector<std::int32_t>{5, 9});
    CHECK(s.images(0, 0, 0, 3) == ds.images(1, 0, 0, 3));
    const tt::Dataset g = ds.gather({2, 0});
    CHECK(g.labels == std::vector<std::int32_t>{9, 0});
    CHECK(g.images(0, 0, 27, 27) == ds.images(2, 0, 27, 27));
    CHECK(ds.slice(5, 1).size() == 0);
    CHECK_THROWS_AS(ds.gather({3}), tt::index_error);
  }
}

TEST_CASE("A missing data set is a data_error naming the file and scripts/setup", "[core][fashion_mnist]") {
  TempDir dir;
  ScopedEnv env("TT_DATA_DIR", dir.str());
  REQUIRE_THROWS_AS(tt::load_fashion_mnist(tt::Split::train, 10), tt::data_error);
  const std::string msg = data_error_message([] { tt::load_fashion_mnist(tt::Split::train, 10); });
  CHECK_THAT(msg, Catch::Contains("train-images-idx3-ubyte"));
  CHECK_THAT(msg, Catch::Contains(dir.str()));
  CHECK_THAT(msg, Catch::Contains("scripts/setup"));
  CHECK_THAT(msg, Catch::Contains("not found"));
}

TEST_CASE("Broken IDX files are data_errors that say what was expected and found", "[core][fashion_mnist]") {
  TempDir dir;
  ScopedEnv env("TT_DATA_DIR", dir.str());
  const std::string images = dir.file("train-images-idx3-ubyte");
  const std::string labels = dir.file("train-labels-idx1-ubyte");
  write(labels, idx_labels(2049, kThreeLabels));

  SECTION("truncated pixel data") {
    std::vector<std::uint8_t> px = three_images();
    px.resize(kSide * kSide + 100);  // one and a bit images of three
    write(images, idx_images(2051, 3, px));
    const std::string msg = data_error_message([] { tt::load_fashion_mnist(tt::Split::train); });
    CHECK_THAT(msg, Catch::Contains(images));
    CHECK_THAT(msg, Catch::Contains("truncated"));
    CHECK_THAT(msg, Catch::Contains(std::to_string(3 * kSide * kSide)));    // expected bytes
    CHECK_THAT(msg, Catch::Contains(std::to_string(kSide * kSide + 100)));  // found bytes
    CHECK_THAT(msg, Catch::Contains("scripts/setup"));
  }
  SECTION("a file cut inside its header") {
    write(images, {0, 0, 8, 3, 0, 0});
    CHECK_THAT(data_error_message([] { tt::load_fashion_mnist(tt::Split::train); }), Catch::Contains("truncated"));
  }
  SECTION("wrong magic number (a labels file where images belong)") {
    write(images, idx_labels(2049, kThreeLabels));
    REQUIRE_THROWS_AS(tt::load_fashion_mnist(tt::Split::train), tt::data_error);
    const std::string msg = data_error_message([] { tt::load_fashion_mnist(tt::Split::train); });
    CHECK_THAT(msg, Catch::Contains(images));
    CHECK_THAT(msg, Catch::Contains("magic"));
    CHECK_THAT(msg, Catch::Contains("2051"));
    CHECK_THAT(msg, Catch::Contains("2049"));
    CHECK_THAT(msg, Catch::Contains("scripts/setup"));
  }
  SECTION("label count differs from image count") {
    std::vector<std::uint8_t> px(4 * kSide * kSide, 0);
    write(images, idx_images(2051, 4, px));
    const std::string msg = data_error_message([] { tt::load_fashion_mnist(tt::Split::train); });
    CHECK_THAT(msg, Catch::Contains("3 labels"));
    CHECK_THAT(msg, Catch::Contains("4 images"));
  }
  SECTION("a label outside 0..9") {
    write(images, idx_images(2051, 3, three_images()));
    write(labels, idx_labels(2049, {0, 12, 3}));
    CHECK_THAT(data_error_message([] { tt::load_fashion_mnist(tt::Split::train); }), Catch::Contains("12"));
  }
}

TEST_CASE("A truncated .gz file is a data_error, not a short data set", "[core][fashion_mnist]") {
  // The first bytes of the real compressed file: a valid gzip stream that ends too early.
  const std::string src = tt::fashion_mnist_dir() + "/t10k-images-idx3-ubyte.gz";
  std::ifstream in(src, std::ios::binary);
  std::vector<char> head(50000);
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  REQUIRE(in.gcount() == static_cast<std::streamsize>(head.size()));

  TempDir dir;
  const std::string cut = dir.file("t10k-images-idx3-ubyte.gz");
  std::ofstream(cut, std::ios::binary).write(head.data(), static_cast<std::streamsize>(head.size()));
  REQUIRE_THROWS_AS(tt::read_idx_images(cut), tt::data_error);
  const std::string msg = data_error_message([&] { tt::read_idx_images(cut); });
  CHECK_THAT(msg, Catch::Contains(cut));
  CHECK_THAT(msg, Catch::Contains("truncated"));
  CHECK_THAT(msg, Catch::Contains("scripts/setup"));
  // The first images are intact: a limit that stays inside the cut still loads.
  CHECK(tt::read_idx_images(cut, 5).shape()[0] == 5);
}
