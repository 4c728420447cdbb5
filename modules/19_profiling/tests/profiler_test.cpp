// Tests of PerformanceProfiler (Part 1): nested scopes, hooks, memory, FLOPs, threads, breakdown, trace.
// Not speed tests: sleeps and known allocations give lower bounds and exact counts, never tight times.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "profile_fixtures.hpp"
#include "tt/profile/profiler.hpp"
#include "tt/tensor.hpp"

using tt::profile::PerformanceProfiler;
using tt::profile::testing::busy;
using tt::profile::testing::run_on_threads;
using tt::profile::testing::sleep_ms;

namespace {
// A sink that only counts, to check the profiler restores whatever was installed before.
struct CountingSink : tt::ProfileSink {
  int begins = 0;
  void begin(const char*, double) override { ++begins; }
  void end(const char*) override {}
};
}  // namespace

TEST_CASE("Nested regions record calls, total time, and self time equal to total minus children", "[m19][19.1][points=2]") {
  PerformanceProfiler p;
  {
    auto outer = p.profile("outer");
    sleep_ms(20);
    for (int i = 0; i < 2; ++i) {
      auto inner = p.profile("inner");
      sleep_ms(20);
    }
  }
  const auto outer = p.scope("outer");
  const auto inner = p.scope("outer/inner");
  CHECK(outer.calls == 1);
  CHECK(inner.calls == 2);
  CHECK(outer.depth == 0);
  CHECK(inner.depth == 1);
  CHECK(outer.region);
  CHECK(inner.name == "inner");
  // Sleeps last at least as long as asked: lower bounds only, and a generous ceiling.
  CHECK(inner.total_seconds >= 0.039);
  CHECK(outer.total_seconds >= 0.059);
  CHECK(outer.total_seconds < 10.0);
  CHECK(outer.self_seconds == Approx(outer.total_seconds - inner.total_seconds).margin(1e-6));
  CHECK(outer.self_seconds >= 0.019);
  CHECK(outer.self_seconds < outer.total_seconds);
  CHECK(inner.self_seconds == Approx(inner.total_seconds).margin(1e-9));
  CHECK(p.total_seconds() == Approx(outer.total_seconds));
  const auto all = p.scopes();
  REQUIRE(all.size() == 2);
  CHECK(all[0].path == "outer");
  CHECK(all[1].path == "outer/inner");
  CHECK_THROWS_AS(p.scope("outer/missing"), tt::index_error);
}

TEST_CASE("Core layer hooks inside a region become child scopes, and the previous sink comes back", "[m19][19.1][points=2]") {
  CountingSink before;
  tt::ProfileSink* const saved = tt::set_profile_sink(&before);
  {
    PerformanceProfiler p;
    {
      auto r = p.profile("model");
      CHECK(tt::profile_sink() == &p);
      for (int i = 0; i < 3; ++i) {
        TT_PROFILE_SCOPE("Linear", 100.0);
        if (i == 0) {
          TT_PROFILE_SCOPE("matmul", 80.0);
          busy(1000);
        }
      }
      { TT_PROFILE_SCOPE("GELU"); }
    }
    CHECK(tt::profile_sink() == &before);
    {
      TT_PROFILE_SCOPE("outside");  // goes to `before`, not to the profiler
    }
    CHECK(before.begins == 1);
    CHECK(p.scope("model/Linear").calls == 3);
    CHECK_FALSE(p.scope("model/Linear").region);
    CHECK(p.scope("model/Linear/matmul").calls == 1);
    CHECK(p.scope("model/GELU").calls == 1);
    CHECK_THROWS_AS(p.scope("outside"), tt::index_error);
    const auto ops = p.ops_by_name();
    REQUIRE(ops.size() == 3);  // Linear, matmul, GELU: the region is not an op
    for (const auto& op : ops) CHECK(op.name != "model");
  }
  tt::set_profile_sink(saved);
}

TEST_CASE("Bad region names and nesting too deep are rejected with typed errors", "[m19][19.1][points=1]") {
  PerformanceProfiler p;
  CHECK_THROWS_AS(p.profile(""), tt::value_error);
  CHECK_THROWS_AS(p.profile("a/b"), tt::value_error);
  // Open regions recursively until the profiler refuses; unwinding closes them in order.
  std::function<void(int)> nest = [&](int depth) {
    auto r = p.profile("level");
    nest(depth + 1);
  };
  CHECK_THROWS_AS(nest(0), tt::index_error);
  CHECK(tt::profile_sink() == nullptr);
  const auto all = p.scopes();
  CHECK(all.size() == static_cast<std::size_t>(PerformanceProfiler::kMaxDepth));
  // The profiler still works afterwards.
  { auto r = p.profile("after"); }
  CHECK(p.scope("after").calls == 1);
}

TEST_CASE("Allocation accounting per scope is exact on known allocations", "[m19][19.2][points=2]") {
  PerformanceProfiler p;
  {
    auto outer = p.profile("outer");
    tt::Tensor a = tt::Tensor::from_shape({1000});  // 4000 bytes, live until the end
    {
      auto inner = p.profile("inner");
      tt::Tensor b = tt::Tensor::from_shape({250, 4});  // 4000 bytes
      tt::Tensor c = tt::Tensor::from_shape({100});     // 400 bytes
    }
    {
      auto inner = p.profile("inner");
      tt::Tensor d = tt::Tensor::from_shape({500});  // 2000 bytes
    }
  }
  const auto outer = p.scope("outer");
  const auto inner = p.scope("outer/inner");
  CHECK(inner.bytes_allocated == 6400);
  CHECK(inner.self_bytes_allocated == 6400);
  CHECK(inner.peak_bytes == 4400);  // the larger of the two calls
  CHECK(outer.bytes_allocated == 10400);
  CHECK(outer.self_bytes_allocated == 4000);
  CHECK(outer.peak_bytes == 8400);  // a (4000) while b and c (4400) were live
}

TEST_CASE("FLOPs reported by ops are summed per scope", "[m19][19.2][points=1]") {
  PerformanceProfiler p;
  {
    auto r = p.profile("step");
    for (int i = 0; i < 3; ++i) {
      TT_PROFILE_SCOPE("matmul", 2.0 * 4 * 5 * 6);
    }
    TT_PROFILE_SCOPE("ReLU");
  }
  CHECK(p.scope("step/matmul").flops == 720.0);
  CHECK(p.scope("step/ReLU").flops == 0.0);
  CHECK(p.scope("step").flops == 0.0);
}

TEST_CASE("Scopes opened on two threads at once are kept apart and all counted", "[m19][19.3][points=1]") {
  PerformanceProfiler p;
  auto work = [] {
    for (int i = 0; i < 500; ++i) {
      TT_PROFILE_SCOPE("kernel", 10.0);
      {
        TT_PROFILE_SCOPE("tile", 1.0);
        busy(200);
      }
    }
  };
  {
    auto r = p.profile("parallel");
    run_on_threads({work, work});
  }
  // The workers' scopes are outermost on their own threads, merged by path.
  const auto kernel = p.scope("kernel");
  const auto tile = p.scope("kernel/tile");
  CHECK(kernel.calls == 1000);
  CHECK(kernel.flops == 10000.0);
  CHECK(tile.calls == 1000);
  CHECK(tile.flops == 1000.0);
  CHECK(kernel.self_seconds <= kernel.total_seconds);
  CHECK(tile.total_seconds <= kernel.total_seconds);
  CHECK(p.scope("parallel").calls == 1);
  CHECK_THROWS_AS(p.scope("parallel/kernel"), tt::index_error);
}

TEST_CASE("A thread's scopes go to the profiler they were opened on, with two profilers alive", "[m19][19.3][points=1]") {
  // Both profilers saw the main thread first, so the worker is a second thread for each; a
  // per-thread cache that ignores which profiler asks would file "b" under p1's open "a".
  PerformanceProfiler p1;
  PerformanceProfiler p2;
  p1.begin("main", 0);
  p1.end("main");
  p2.begin("main", 0);
  p2.end("main");
  run_on_threads({[&] {
    p1.begin("a", 0);
    p2.begin("b", 0);
    p2.end("b");
    p1.end("a");
  }});
  CHECK(p1.scope("a").calls == 1);
  CHECK(p2.scope("b").calls == 1);
  CHECK_THROWS_AS(p1.scope("a/b"), tt::index_error);
  CHECK_THROWS_AS(p1.scope("b"), tt::index_error);
}

namespace {
// A region with known op times: attention 80 ms (with a nested Linear), mlp 20 ms, other ≥ 20 ms.
void record_transformer_like(PerformanceProfiler& p) {
  auto r = p.profile("my_transformer");
  sleep_ms(20);
  {
    TT_PROFILE_SCOPE("attention", 1000.0);
    sleep_ms(40);
    {
      TT_PROFILE_SCOPE("Linear", 500.0);
      sleep_ms(20);
    }
  }
  {
    TT_PROFILE_SCOPE("mlp", 300.0);
    sleep_ms(20);
  }
  {
    TT_PROFILE_SCOPE("attention", 1000.0);
    sleep_ms(20);
  }
}
}  // namespace

TEST_CASE("The breakdown ranks top-level ops and its shares add up to 1 with an 'other' line", "[m19][19.4][points=1]") {
  PerformanceProfiler p;
  record_transformer_like(p);
  const auto rows = p.breakdown();
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].name == "attention");
  CHECK(rows[0].calls == 2);
  CHECK(rows[0].flops == 2000.0);
  CHECK(rows[0].seconds >= 0.079);
  CHECK(rows[1].name == "mlp");
  CHECK(rows[2].name == "other");
  double sum = 0;
  for (const auto& r : rows) sum += r.share;
  CHECK(sum == Approx(1.0).margin(1e-9));
  const double total = p.total_seconds();
  CHECK(rows[2].seconds == Approx(total - rows[0].seconds - rows[1].seconds).margin(1e-6));
  CHECK(rows[2].seconds >= 0.019);
  CHECK(p.coverage() == Approx(1.0 - rows[2].share).margin(1e-12));
  CHECK(p.coverage() > 0.0);
  CHECK(p.coverage() < 1.0);
}

TEST_CASE("The breakdown looks through wrapper scopes such as the GPT's gpt_forward and block", "[m19][19.4][points=1]") {
  PerformanceProfiler p;
  {
    auto r = p.profile("generate");
    TT_PROFILE_SCOPE("gpt_forward");
    { TT_PROFILE_SCOPE("embedding"); }
    for (int i = 0; i < 2; ++i) {
      TT_PROFILE_SCOPE("block");
      {
        TT_PROFILE_SCOPE("attention");
        sleep_ms(25);
      }
      {
        TT_PROFILE_SCOPE("mlp");
        sleep_ms(5);
      }
    }
  }
  const auto rows = p.breakdown();
  REQUIRE(rows.size() == 4);
  CHECK(rows[0].name == "attention");
  CHECK(rows[0].calls == 2);
  CHECK(rows[1].name == "mlp");
  CHECK(rows[2].name == "embedding");
  CHECK(rows[3].name == "other");
  const auto outer = p.breakdown({});
  REQUIRE(outer.size() == 2);
  CHECK(outer[0].name == "gpt_forward");
  CHECK(outer[1].name == "other");
  CHECK(p.coverage({}) >= p.coverage());
}

TEST_CASE("The text report shows the breakdown and the scope tree", "[m19][19.4][points=1]") {
  PerformanceProfiler empty;
  CHECK(empty.breakdown().empty());
  CHECK(empty.coverage() == 0.0);
  PerformanceProfiler p;
  record_transformer_like(p);
  const std::string text = p.report();
  for (const char* word : {"my_transformer", "attention", "mlp", "Linear", "other", "%"})
    CHECK(text.find(word) != std::string::npos);
}

namespace {
// Checks, per thread, that every complete event lies inside the enclosing one (1 ns tolerance).
void check_nesting(const nlohmann::json& events) {
  std::map<long long, std::vector<std::pair<double, double>>> open;  // tid → stack of (start, end)
  for (const auto& e : events) {
    if (e["ph"] != "X") continue;
    const double start = e["ts"].get<double>();
    const double end = start + e["dur"].get<double>();
    auto& stack = open[e["tid"].get<long long>()];
    while (!stack.empty() && stack.back().second <= start + 1e-3) stack.pop_back();
    if (!stack.empty()) {
      INFO("event " << e["name"] << " [" << start << ", " << end << "] inside [" << stack.back().first << ", "
                    << stack.back().second << "]");
      CHECK(start >= stack.back().first - 1e-3);
      CHECK(end <= stack.back().second + 1e-3);
    }
    stack.emplace_back(start, end);
  }
}
}  // namespace

TEST_CASE("The Chrome trace parses, has complete events with the required fields, monotonic ts and nesting", "[m19][19.5][points=2]") {
  PerformanceProfiler p;
  record_transformer_like(p);
  {
    auto r = p.profile("threads");
    run_on_threads({[] {
      TT_PROFILE_SCOPE("worker", 1.0);
      TT_PROFILE_SCOPE("inner", 1.0);
    }});
  }
  const auto j = nlohmann::json::parse(p.chrome_trace().dump());
  REQUIRE(j.contains("traceEvents"));
  REQUIRE(j["traceEvents"].is_array());
  std::multiset<std::string> names;
  std::set<long long> tids;
  double last_ts = -1;
  for (const auto& e : j["traceEvents"]) {
    REQUIRE(e.contains("ph"));
    if (e["ph"] != "X") continue;
    for (const char* key : {"name", "ts", "dur", "pid", "tid"}) REQUIRE(e.contains(key));
    CHECK(e["name"].is_string());
    CHECK(e["ts"].is_number());
    CHECK(e["dur"].is_number());
    CHECK(e["pid"].is_number_integer());
    CHECK(e["tid"].is_number_integer());
    CHECK(e["dur"].get<double>() >= 0);
    CHECK(e["ts"].get<double>() >= last_ts);  // sorted by start
    last_ts = e["ts"].get<double>();
    names.insert(e["name"].get<std::string>());
    tids.insert(e["tid"].get<long long>());
    if (e["name"] == "my_transformer") {
      // Microseconds: the region slept at least 120 ms.
      CHECK(e["dur"].get<double>() >= 119'000);
      CHECK(e["dur"].get<double>() < 1e7);
    }
  }
  CHECK(names.count("my_transformer") == 1);
  CHECK(names.count("attention") == 2);
  CHECK(names.count("Linear") == 1);
  CHECK(names.count("mlp") == 1);
  CHECK(names.count("worker") == 1);
  CHECK(names.size() == 8);  // every call is one event
  CHECK(tids.size() == 2);
  check_nesting(j["traceEvents"]);
  const auto events = p.events();
  CHECK(events.size() == 8);

  // ts and dur share one unit (microseconds): a region opened after another closed starts at or
  // after the first one's ts + dur.
  PerformanceProfiler q;
  {
    auto first = q.profile("first");
    sleep_ms(2);
  }
  { auto second = q.profile("second"); }
  std::map<std::string, std::pair<double, double>> ts_dur;
  const auto trace = q.chrome_trace();
  for (const auto& e : trace["traceEvents"])
    if (e["ph"] == "X") ts_dur[e["name"].get<std::string>()] = {e["ts"].get<double>(), e["dur"].get<double>()};
  REQUIRE(ts_dur.size() == 2);
  INFO("first: ts " << ts_dur["first"].first << ", dur " << ts_dur["first"].second << "; second: ts "
                    << ts_dur["second"].first);
  CHECK(ts_dur["second"].first >= ts_dur["first"].first + ts_dur["first"].second - 1e-3);
}

TEST_CASE("The JSON summary has the breakdown and scopes, and the trace is written to a file", "[m19][19.5][points=1]") {
  PerformanceProfiler p;
  record_transformer_like(p);
  const auto s = nlohmann::json::parse(p.summary().dump());
  CHECK(s["schema"] == "tt-profile/1");
  CHECK(s["total_seconds"].get<double>() == Approx(p.total_seconds()));
  double sum = 0;
  for (const auto& r : s["breakdown"]) sum += r["share"].get<double>();
  CHECK(sum == Approx(1.0));
  std::set<std::string> paths;
  for (const auto& sc : s["scopes"]) paths.insert(sc["path"].get<std::string>());
  CHECK(paths.count("my_transformer/attention/Linear") == 1);

  const auto path = std::filesystem::temp_directory_path() / "m19_trace_test.json";
  p.write_chrome_trace(path.string());
  std::ifstream in(path);
  const auto j = nlohmann::json::parse(in);
  CHECK(j["traceEvents"].size() == p.chrome_trace()["traceEvents"].size());
  std::filesystem::remove(path);
  CHECK_THROWS_AS(p.write_chrome_trace("/nonexistent-dir/m19/trace.json"), tt::data_error);
}
