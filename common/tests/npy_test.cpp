// Tests of .npy save/load and weight folders: exact round trips and clear errors on bad files.
// Not a test of xtensor's writer beyond what load_npy reads back.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "tt/models.hpp"
#include "tt/npy.hpp"
#include "tt/random.hpp"
#include "tt/testing/data_error.hpp"
#include "tt/testing/temp_dir.hpp"

namespace {

using tt::testing::data_error_message;
using tt::testing::TempDir;

bool same(const tt::Tensor& a, const tt::Tensor& b) {
  if (a.shape() != b.shape()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a.flat(i) != b.flat(i)) return false;
  return true;
}

// A version 1.0 .npy header for `dict`, padded with spaces to a multiple of 64 bytes, then `data_bytes`
// zero bytes.
void write_npy(const std::string& path, const std::string& dict, std::size_t data_bytes) {
  std::string header = dict;
  while ((10 + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::string bytes = std::string("\x93NUMPY\x01\x00", 8);
  bytes += static_cast<char>(header.size() & 0xFF);
  bytes += static_cast<char>(header.size() >> 8);
  bytes += header;
  bytes += std::string(data_bytes, '\0');
  std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace

TEST_CASE("save_npy then load_npy gives back the exact tensor", "[core][npy]") {
  TempDir dir;
  tt::Rng rng(7);
  const auto shape =
      GENERATE(tt::Shape{3, 4, 5}, tt::Shape{7}, tt::Shape{1, 1}, tt::Shape{0, 3}, tt::Shape{2, 1, 3, 2});
  const tt::Tensor t = tt::rand_normal(shape, 0, 3, rng);
  const std::string path = dir.file("t.npy");
  tt::save_npy(path, t);
  const tt::Tensor back = tt::load_npy(path);
  CHECK(back.shape() == t.shape());
  CHECK(same(back, t));
}

TEST_CASE("save_weights and load_weights round-trip every parameter of a model", "[core][npy]") {
  TempDir dir;
  tt::Sequential a = tt::make_mlp({20, 8, 3}, 1);
  tt::Sequential b = tt::make_mlp({20, 8, 3}, 2);
  const tt::NamedParams pa = a.named_params();
  const tt::NamedParams pb = b.named_params();
  REQUIRE(!same(pa[0].second->value, pb[0].second->value));

  const std::string folder = dir.file("mlp/weights");  // nested: created on save
  tt::save_weights(pa, folder);
  for (const auto& [name, p] : pa) CHECK(std::filesystem::exists(folder + "/" + name + ".npy"));
  tt::load_weights(pb, folder);
  for (std::size_t i = 0; i < pa.size(); ++i) CHECK(same(pa[i].second->value, pb[i].second->value));

  SECTION("a missing file is a data_error naming it") {
    std::filesystem::remove(folder + "/" + pa[0].first + ".npy");
    const std::string msg = data_error_message([&] { tt::load_weights(pb, folder); });
    CHECK_THAT(msg, Catch::Contains(pa[0].first + ".npy"));
  }
  SECTION("a parameter of another shape is a shape_error and nothing is loaded") {
    tt::Sequential c = tt::make_mlp({20, 9, 3}, 3);
    const tt::Tensor before = c.named_params().back().second->value;
    CHECK_THROWS_AS(tt::load_weights(c.named_params(), folder), tt::shape_error);
    CHECK(same(c.named_params().back().second->value, before));
  }
  SECTION("a name with a path separator is refused") {
    tt::NamedParams bad = {{"../escape", pa[0].second}};
    CHECK_THROWS_AS(tt::save_weights(bad, folder), tt::value_error);
  }
}

TEST_CASE("Broken .npy files are data_errors naming the file and what was found", "[core][npy]") {
  TempDir dir;
  const std::string path = dir.file("w.npy");

  SECTION("truncated data") {
    tt::Rng rng(1);
    tt::save_npy(path, tt::rand_uniform({10, 10}, 0, 1, rng));
    std::filesystem::resize_file(path, std::filesystem::file_size(path) - 12);
    REQUIRE_THROWS_AS(tt::load_npy(path), tt::data_error);
    const std::string msg = data_error_message([&] { tt::load_npy(path); });
    CHECK_THAT(msg, Catch::Contains(path));
    CHECK_THAT(msg, Catch::Contains("truncated"));
    CHECK_THAT(msg, Catch::Contains("400"));  // bytes the shape needs
    CHECK_THAT(msg, Catch::Contains("388"));  // bytes found
  }
  SECTION("truncated inside the header") {
    tt::save_npy(path, tt::zeros({4}));
    std::filesystem::resize_file(path, 20);
    CHECK_THROWS_AS(tt::load_npy(path), tt::data_error);
  }
  SECTION("float64 data") {
    write_npy(path, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", 48);
    const std::string msg = data_error_message([&] { tt::load_npy(path); });
    CHECK_THAT(msg, Catch::Contains(path));
    CHECK_THAT(msg, Catch::Contains("<f8"));
    CHECK_THAT(msg, Catch::Contains("<f4"));
  }
  SECTION("Fortran order") {
    write_npy(path, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", 24);
    CHECK_THAT(data_error_message([&] { tt::load_npy(path); }), Catch::Contains("Fortran"));
  }
  SECTION("a hand-written valid header loads") {
    write_npy(path, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 24);
    const tt::Tensor t = tt::load_npy(path);
    CHECK(t.shape() == std::vector<std::size_t>{2, 3});
    CHECK(t(1, 2) == 0.0F);
  }
  SECTION("not a .npy file") {
    std::ofstream(path) << "hello, I am text";
    CHECK_THAT(data_error_message([&] { tt::load_npy(path); }), Catch::Contains("magic"));
  }
  SECTION("a missing file") {
    CHECK_THAT(data_error_message([&] { tt::load_npy(dir.file("nope.npy")); }), Catch::Contains("nope.npy"));
  }
}
