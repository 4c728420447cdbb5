// Tests of `tt-grade mutants` on the fixture course: each verdict, and that a bad entry fails the check.
// Not the real course's catalogs: ctest -L mutants checks those.
#include <catch2/catch.hpp>

#include "e2e_fixture.hpp"
#include "tt/grade/mutant_check.hpp"

namespace {

const tt::grade::MutantResult& result_of(const tt::grade::MutantReport& r, const std::string& id) {
  for (const auto& x : r.results)
    if (x.mutant.id == id) return x;
  throw std::runtime_error("no result for mutant " + id);
}

}  // namespace

TEST_CASE("the bug zoo names each entry's verdict and fails on a survivor, a typo or a missing text", "[e2e]") {
  using tt::grade::MutantVerdict;
  tt::grade::MutantCheckOptions o;
  o.grade = e2e::options_for(e2e::kCourse / "solutions");
  o.module = "99";
  const auto r = tt::grade::check_mutants(o);
  CHECK(r.baseline_failures.empty());
  CHECK(r.tasks_without_mutant.empty());
  CHECK(result_of(r, "add-subtracts").verdict == MutantVerdict::caught);
  CHECK_FALSE(result_of(r, "add-subtracts").caught_by.empty());
  CHECK(result_of(r, "add-commutes").verdict == MutantVerdict::survived);
  CHECK(result_of(r, "mul-typo").verdict == MutantVerdict::not_built);
  CHECK(result_of(r, "gone").verdict == MutantVerdict::not_planted);
  CHECK(result_of(r, "gone").error.find("gone") != std::string::npos);  // named, never skipped
  CHECK(r.caught == 1);
  CHECK(r.total == 4);
  CHECK_FALSE(r.ok());
  const std::string table = tt::grade::mutant_report_table(r);
  CHECK(table.find("SURVIVED") != std::string::npos);
  CHECK(tt::grade::mutant_report_json(r).at("mutants_caught") == 1);

  o.only = {"add-subtracts"};
  const auto one = tt::grade::check_mutants(o);
  CHECK(one.results.size() == 1);
  CHECK(one.ok());
}
