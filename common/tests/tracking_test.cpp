// Tests of the tracking allocator: exact live, peak and scoped counts on known allocations.
// Not a leak checker: the sanitizers (dev preset) do that.
#include <catch2/catch.hpp>

#include <thread>

#include "tt/tensor.hpp"
#include "tt/tracking.hpp"

using tt::tracking::Scope;

TEST_CASE("a tensor's storage is counted exactly while it lives", "[core][tracking]") {
  const std::size_t before = tt::tracking::live_bytes();
  {
    tt::Tensor t = tt::Tensor::from_shape({100, 10});
    CHECK(tt::tracking::live_bytes() - before == std::size_t{100} * 10 * sizeof(float));
  }
  CHECK(tt::tracking::live_bytes() == before);
}

TEST_CASE("int8 tensors hold one byte per element", "[core][tracking]") {
  Scope s;
  tt::TensorI8 q = tt::TensorI8::from_shape({1000});
  CHECK(s.allocated_bytes() == 1000);
  CHECK(s.net_bytes() == 1000);
}

TEST_CASE("a scope sees allocations, frees and its own peak", "[core][tracking]") {
  Scope outer;
  {
    tt::Tensor a = tt::Tensor::from_shape({256});  // 1 KiB
    {
      Scope inner;
      tt::Tensor b = tt::Tensor::from_shape({512});  // 2 KiB
      CHECK(inner.allocated_bytes() == 2048);
      CHECK(inner.peak_bytes() == 2048);
    }
    tt::Tensor c = tt::Tensor::from_shape({128});  // 512 B
    CHECK(outer.allocations() == 3);
  }
  CHECK(outer.allocated_bytes() == 1024 + 2048 + 512);
  CHECK(outer.freed_bytes() == 1024 + 2048 + 512);
  CHECK(outer.peak_bytes() == 1024 + 2048);
  CHECK(outer.net_bytes() == 0);
}

TEST_CASE("allocations on other threads are counted", "[core][tracking]") {
  Scope s;
  std::thread t([] { tt::Tensor x = tt::Tensor::from_shape({64}); });
  t.join();
  CHECK(s.allocated_bytes() == 64 * sizeof(float));
}

TEST_CASE("storage is aligned for AVX-512", "[core][tracking]") {
  tt::Tensor t = tt::Tensor::from_shape({3, 7});
  CHECK(reinterpret_cast<std::uintptr_t>(t.data()) % tt::kTensorAlignment == 0);
}

TEST_CASE("too many nested scopes is a clear error, not a crash", "[core][tracking]") {
  std::vector<std::unique_ptr<Scope>> scopes;
  auto open_all = [&] {
    for (int i = 0; i <= Scope::kMaxScopes; ++i) scopes.push_back(std::make_unique<Scope>());
  };
  REQUIRE_THROWS_AS(open_all(), tt::index_error);
}
