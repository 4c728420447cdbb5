// GitHub Classroom: a tt-grade report as the results the Classroom reporter reads
// (classroom-resources/autograding-grading-reporter: env <RUNNER>_RESULTS, base64 JSON).
// Not the workflow itself (grader/classroom/classroom.yml, written into the student release).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "tt/grade/manifest.hpp"

namespace tt::grade {

// One runner's result for module m of a report.json (tt-grade-report/2):
//   {"version": 1, "status": "pass"|"fail"|"error", "max_score": M,
//    "tests": [{"name", "status", "score", "message", "test_code", "filename", "line_no", "duration"}]}
// with one test entry per module. Points are the module's test points (a Classroom run has no
// reference to time against) of the tests the grade ran; a module the report lacks, or a grade that
// stopped, is "error" with score 0 and module.json's points, so the total keeps its denominator.
nlohmann::json classroom_result(const nlohmann::json& report, const Manifest& m);

// The same, base64-encoded as the reporter's <RUNNER>_RESULTS expects.
std::string classroom_result_base64(const nlohmann::json& report, const Manifest& m);

}  // namespace tt::grade
