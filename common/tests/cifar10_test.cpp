// Tests of the CIFAR-10 binary loader on tiny batch files the tests write (no real CIFAR-10 on the course machine).
// Not a test of the real data set's content: record layout, standardization, train/test files and bad input.
#include <catch2/catch.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tt/cifar10.hpp"
#include "tt/errors.hpp"
#include "tt/testing/data_error.hpp"
#include "tt/testing/temp_dir.hpp"

namespace {

using tt::testing::ScopedEnv;
using tt::testing::TempDir;

// `labels.size()` records; pixel k of record i is (i * 11 + k) % 256.
std::vector<std::uint8_t> records(const std::vector<std::uint8_t>& labels) {
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    out.push_back(labels[i]);
    for (std::size_t k = 0; k < tt::kCifar10Pixels; ++k) out.push_back(static_cast<std::uint8_t>((i * 11 + k) % 256));
  }
  return out;
}

void write(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream f(path, std::ios::binary);
  f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

float standardized(int pixel, std::size_t channel) {
  return (static_cast<float>(pixel) / 255.0F - tt::kCifar10Mean[channel]) / tt::kCifar10Std[channel];
}

std::string message_of(const std::string& path) {
  return tt::testing::data_error_message([&] { (void)tt::read_cifar10_batch(path); });
}

}  // namespace

TEST_CASE("A CIFAR-10 batch file loads as (N, 3, 32, 32) standardized per channel", "[core][cifar10]") {
  TempDir dir;
  write(dir.file("test_batch.bin"), records({3, 0, 9}));
  const tt::Dataset ds = tt::load_cifar10(tt::Split::test, 0, dir.str());
  REQUIRE(ds.size() == 3);
  CHECK(ds.labels == std::vector<std::int32_t>{3, 0, 9});
  REQUIRE(ds.images.shape() == std::vector<std::size_t>{3, 3, 32, 32});
  // The record's R plane, then G, then B: pixel k of the record is image(c, y, x) with k = c*1024 + y*32 + x.
  CHECK(ds.images(0, 0, 0, 0) == Approx(standardized(0, 0)).margin(1e-5));
  CHECK(ds.images(1, 0, 0, 5) == Approx(standardized(11 + 5, 0)).margin(1e-5));
  CHECK(ds.images(1, 1, 0, 0) == Approx(standardized((11 + 1024) % 256, 1)).margin(1e-5));
  CHECK(ds.images(2, 2, 31, 31) == Approx(standardized((22 + 3071) % 256, 2)).margin(1e-5));
  SECTION("a limit keeps the first images") {
    CHECK(tt::read_cifar10_batch(dir.file("test_batch.bin"), 2).labels == std::vector<std::int32_t>{3, 0});
  }
}

TEST_CASE("The CIFAR-10 training split is the five data batches in order", "[core][cifar10]") {
  TempDir dir;
  for (int b = 1; b <= 5; ++b)
    write(dir.file("data_batch_" + std::to_string(b) + ".bin"), records({std::uint8_t(b), std::uint8_t(b - 1)}));
  const tt::Dataset train = tt::load_cifar10(tt::Split::train, 0, dir.str());
  CHECK(train.labels == std::vector<std::int32_t>{1, 0, 2, 1, 3, 2, 4, 3, 5, 4});
  CHECK(train.images.shape() == std::vector<std::size_t>{10, 3, 32, 32});
  // Batch 2's first image is record 0 of its file.
  CHECK(train.images(2, 0, 0, 1) == Approx(standardized(1, 0)).margin(1e-5));
  SECTION("a limit stops reading early") { CHECK(tt::load_cifar10(tt::Split::train, 3, dir.str()).size() == 3); }
  SECTION("the default folder is cifar-10-batches-bin in the data folder") {
    TempDir data;
    std::filesystem::create_directories(data.path() / tt::kCifar10Folder);
    write((data.path() / tt::kCifar10Folder / "test_batch.bin").string(), records({7}));
    ScopedEnv env("TT_DATA_DIR", data.str());
    CHECK(tt::load_cifar10(tt::Split::test).labels == std::vector<std::int32_t>{7});
  }
}

TEST_CASE("Bad CIFAR-10 files are data errors saying what was expected and what to do", "[core][cifar10]") {
  TempDir dir;
  SECTION("a missing file names it and where to download the binary version") {
    const std::string msg = message_of(dir.file("data_batch_1.bin"));
    CHECK_THAT(msg, Catch::Contains("data_batch_1.bin") && Catch::Contains("not found") &&
                        Catch::Contains("cifar-10-binary.tar.gz"));
  }
  SECTION("a size that is not whole records gives the size found and the record size") {
    auto bytes = records({1, 2});
    bytes.pop_back();
    write(dir.file("short.bin"), bytes);
    CHECK_THAT(message_of(dir.file("short.bin")), Catch::Contains("6145 bytes") && Catch::Contains("multiple of 3073"));
  }
  SECTION("an empty file") {
    write(dir.file("empty.bin"), {});
    CHECK_THAT(message_of(dir.file("empty.bin")), Catch::Contains("0 bytes"));
  }
  SECTION("a label above 9 names the record and the label") {
    write(dir.file("cifar100.bin"), records({4, 57}));
    CHECK_THAT(message_of(dir.file("cifar100.bin")),
               Catch::Contains("record 1") && Catch::Contains("label 57") && Catch::Contains("0..9"));
  }
  SECTION("a training split with a batch missing names that batch") {
    write(dir.file("data_batch_1.bin"), records({1}));
    CHECK_THROWS_WITH(tt::load_cifar10(tt::Split::train, 0, dir.str()), Catch::Contains("data_batch_2.bin"));
  }
}
