// `measure` end to end with a stand-in for ./scripts/bench: files, digests, failures.
#include "tt/portfolio/measure.hpp"

#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "student_tree.hpp"
#include "tt/portfolio/error.hpp"

using namespace tt::portfolio;
using tt::portfolio::testing::StudentTree;

namespace {

// A bench script that writes one metric (module 16) or fails (module 20), like ./scripts/bench.
void write_fake_bench(const StudentTree& t) {
  t.write("fake_bench",
          "#!/bin/sh\n"
          "[ \"$1\" = 20 ] && { echo 'capstone: not implemented yet' >&2; exit 3; }\n"
          "while [ $# -gt 0 ]; do [ \"$1\" = --json ] && out=$2; shift; done\n"
          "printf '{\"schema\":\"tt-bench/1\",\"module\":\"16\",\"metrics\":[{\"name\":\"kv_speedup_256\","
          "\"value\":50.5,\"unit\":\"ratio\"}]}' > \"$out\"\n");
  ::chmod((t.root() / "fake_bench").c_str(), 0755);
}

}  // namespace

TEST_CASE("measure stores each bench's report with the digest of the current sources", "[measure]") {
  StudentTree t;
  write_fake_bench(t);
  MeasureOptions o;
  o.paths = {t.root(), {}, {}};
  o.bench_script = t.root() / "fake_bench";
  CHECK(measure(o) == 1);  // module 20's run failed
  const auto set = load_measurements(t.root() / "portfolio/measurements");
  REQUIRE(set.problems.empty());
  const Measurement& m16 = set.by_module.at("16");
  CHECK(find_metric(m16, "kv_speedup_256")->value == Approx(50.5));
  CHECK(m16.error.empty());
  CHECK(m16.files == std::vector<std::string>{"16_memory/src/kv_cache.cpp"});
  CHECK_THAT(m16.command, Catch::Contains("--impl student"));
  const Measurement& m20 = set.by_module.at("20");
  CHECK_THAT(m20.error, Catch::Contains("exit 3"));
  CHECK(m20.files.size() == 2);  // its own file and module 16's
  t.write("portfolio/16.md", "{{m16.kv_speedup_256}} {{m20.capstone_latency_speedup}}\n");
  const auto p = load_portfolio({t.root(), {}, {}});
  CHECK(p.writeups[0].citations[0].status == CitationStatus::verified);
  CHECK(p.writeups[0].citations[1].status == CitationStatus::missing);
}

TEST_CASE("measure refuses a module the course does not have", "[measure]") {
  StudentTree t;
  MeasureOptions o;
  o.paths = {t.root(), {}, {}};
  o.modules = {"42"};
  CHECK_THROWS_AS(measure(o), portfolio_error);
}
