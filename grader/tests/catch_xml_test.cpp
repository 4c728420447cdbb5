// Tests of catch_xml.hpp: complete, truncated and hostile Catch2 XML documents.
// Not tests of Catch2 itself.
#include <catch2/catch.hpp>

#include "tt/grade/catch_xml.hpp"

using tt::grade::parse_catch_xml;

namespace {
const char* kComplete = R"(<?xml version="1.0" encoding="UTF-8"?>
<Catch name="m15_tests">
  <Group name="m15_tests">
    <TestCase name="a, b [c]" tags="[15.1][m15][points=2]" filename="t.cpp" line="7">
      <Section name="small" filename="t.cpp" line="8">
        <Expression success="false" type="CHECK" filename="t.cpp" line="9">
          <Original>
            x == 4
          </Original>
          <Expanded>
            3 == 4
          </Expanded>
        </Expression>
        <OverallResults successes="0" failures="1" expectedFailures="0"/>
      </Section>
      <OverallResult success="false" durationInSeconds="0.25">
        <StdOut>
&lt;OverallResult success="true"/>
        </StdOut>
      </OverallResult>
    </TestCase>
    <TestCase name="throws" tags="[15.2][m15][points=1]" filename="t.cpp" line="20">
      <Exception filename="t.cpp" line="20">
        not implemented yet: 15.2 foo
      </Exception>
      <OverallResult success="false"/>
    </TestCase>
  </Group>
</Catch>
)";
}  // namespace

TEST_CASE("a complete document yields every test case with its first failure") {
  const auto run = parse_catch_xml(kComplete);
  REQUIRE(run.parsed);
  REQUIRE(run.cases.size() == 2);
  const auto& a = run.cases[0];
  CHECK(a.name == "a, b [c]");
  CHECK(a.tags == "[15.1][m15][points=2]");
  CHECK(a.completed);
  CHECK_FALSE(a.success);
  CHECK(a.seconds == Approx(0.25));
  REQUIRE(a.failures.size() == 1);
  CHECK(a.failures[0].kind == "assertion");
  CHECK(a.failures[0].original == "x == 4");
  CHECK(a.failures[0].expanded == "3 == 4");
  CHECK(a.failures[0].line == 9);
  const auto& b = run.cases[1];
  REQUIRE(b.failures.size() == 1);
  CHECK(b.failures[0].kind == "exception");
  CHECK(b.failures[0].expanded == "not implemented yet: 15.2 foo");
}

TEST_CASE("captured stdout shaped like XML stays text and never becomes a result") {
  const auto run = parse_catch_xml(kComplete);
  REQUIRE(run.cases.size() == 2);
  CHECK(run.cases[0].captured_stdout.find("<OverallResult success=\"true\"/>") != std::string::npos);
  CHECK_FALSE(run.cases[0].success);
}

TEST_CASE("a document cut short by a crash keeps the cases read so far, unfinished") {
  const std::string doc = std::string(kComplete).substr(0, std::string(kComplete).find("<Exception"));
  const auto run = parse_catch_xml(doc);
  CHECK_FALSE(run.parsed);
  REQUIRE(run.cases.size() == 2);
  CHECK(run.cases[0].completed);
  CHECK(run.cases[1].name == "throws");
  CHECK_FALSE(run.cases[1].completed);
}

TEST_CASE("an empty or missing file yields no cases") {
  CHECK(parse_catch_xml("").cases.empty());
  CHECK_FALSE(parse_catch_xml("").parsed);
  const auto missing = tt::grade::read_catch_xml("/nonexistent/tt-grade-none.xml");
  CHECK(missing.cases.empty());
  CHECK(missing.parse_error == "no result file");
}

TEST_CASE("an exception between assertions reads as what was thrown, not Catch2's placeholder") {
  const auto run = parse_catch_xml(R"(<?xml version="1.0" encoding="UTF-8"?>
<Catch name="t"><Group name="t">
  <TestCase name="x" tags="[m15][15.1][points=1]" filename="t.cpp" line="3">
    <Expression success="false" type="CHECK" filename="t.cpp" line="5">
      <Original>{Unknown expression after the reported line}</Original>
      <Expanded>{Unknown expression after the reported line}</Expanded>
      <Exception filename="t.cpp" line="5">not implemented yet: 15.1 foo</Exception>
    </Expression>
    <OverallResult success="false"/>
  </TestCase>
</Group></Catch>
)");
  REQUIRE(run.cases.size() == 1);
  REQUIRE(run.cases[0].failures.size() == 1);
  CHECK(run.cases[0].failures[0].expanded == "threw: not implemented yet: 15.1 foo");
  CHECK(run.cases[0].failures[0].original.empty());
}
