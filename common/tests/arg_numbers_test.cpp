// Tests of the checked command-line numbers (tt/arg_numbers.hpp): what is accepted, and that a
// refusal names the flag, the range and what was found. Not a test of any program's flags.
#include <catch2/catch.hpp>

#include "tt/arg_numbers.hpp"

using Catch::Matchers::Contains;

TEST_CASE("parse_count accepts whole numbers in range and refuses the rest by name", "[core][args]") {
  CHECK(tt::parse_count("--rounds", "5", 1, 1000) == 5);
  CHECK(tt::parse_count("--runs", "0", 0, 100) == 0);
  CHECK(tt::parse_count("--rounds", "1000", 1, 1000) == 1000);
  for (const char* bad : {"", "x", "12x", "-3", "+4", "2.5", "0", "1001", "99999999999999999999999"})
    CHECK_THROWS_AS(tt::parse_count("--rounds", bad, 1, 1000), tt::value_error);
  CHECK_THROWS_WITH(tt::parse_count("--rounds", "12x", 1, 1000),
                    Contains("--rounds") && Contains("from 1 to 1000") && Contains("'12x'"));
}

TEST_CASE("parse_real accepts finite numbers in range and refuses the rest by name", "[core][args]") {
  CHECK(tt::parse_real("--target", "0.83", 0, 1) == Approx(0.83));
  CHECK(tt::parse_real("--target", "1", 0, 1) == 1.0);
  CHECK(tt::parse_real("--timeout", "1e2", 0.1, 3600) == Approx(100));
  for (const char* bad : {"", "abc", "0.5s", "1.5", "-0.1", "nan", "inf", "1e999"})
    CHECK_THROWS_AS(tt::parse_real("--target", bad, 0, 1), tt::value_error);
  CHECK_THROWS_WITH(tt::parse_real("--target", "1.5", 0, 1),
                    Contains("--target") && Contains("from 0 to 1") && Contains("'1.5'"));
}
