// Tests of the profiling hooks: scopes reach an installed sink, nest, and cost nothing without one.
// Not a profiler test: module 19 builds the profiler.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "tt/matmul.hpp"
#include "tt/profile_hooks.hpp"

namespace {
struct Recorder final : tt::ProfileSink {
  std::vector<std::string> events;
  void begin(const char* name, double flops) override {
    events.push_back(std::string("+") + name + ":" + std::to_string(static_cast<long>(flops)));
  }
  void end(const char* name) override { events.push_back(std::string("-") + name); }
};
}  // namespace

TEST_CASE("scopes report begin and end, nested, to the installed sink", "[core][profile]") {
  Recorder r;
  REQUIRE(tt::set_profile_sink(&r) == nullptr);
  {
    TT_PROFILE_SCOPE("outer");
    TT_PROFILE_SCOPE("inner", 42);
  }
  tt::matmul(tt::zeros({2, 3}), tt::zeros({3, 4}));
  tt::set_profile_sink(nullptr);
  { TT_PROFILE_SCOPE("unseen"); }
  CHECK(r.events == std::vector<std::string>{"+outer:0", "+inner:42", "-inner", "-outer", "+matmul:48", "-matmul"});
}
