// GitHub Classroom results from a tt-grade report: one reporter runner per module.
// Not the grading (the workflow runs `tt-grade run` first) and not the workflow file.
#include "tt/grade/classroom.hpp"

#include <cmath>

namespace tt::grade {
using nlohmann::json;

namespace {

const json* module_in(const json& report, const std::string& id) {
  if (!report.contains("modules")) return nullptr;
  for (const auto& m : report["modules"])
    if (m.value("id", "") == id) return &m;
  return nullptr;
}

std::string base64(const std::string& in) {
  static const char* k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    out += {k[v >> 18], k[(v >> 12) & 63], k[(v >> 6) & 63], k[v & 63]};
  }
  if (i < in.size()) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += {k[v >> 18], k[(v >> 12) & 63], i + 1 < in.size() ? k[(v >> 6) & 63] : '=', '='};
  }
  return out;
}

}  // namespace

json classroom_result(const json& report, const Manifest& m) {
  const json* mod = module_in(report, m.id);
  double score = 0, max_score = 0, seconds = 0;  // seconds: the module's build and tests
  int passed = 0, total = 0;
  std::string message;
  const bool graded = report.value("status", "") == "graded" && mod;
  if (!graded) {
    message = !mod ? "module " + m.id + " was not graded (not in the report)"
                   : "the grade stopped: " + (report.contains("error") && report["error"].is_string()
                                                  ? report["error"].get<std::string>()
                                                  : std::string("unknown error"));
  } else {
    for (const auto& t : mod->value("tests", json::array())) {
      score += t.value("score", 0.0);
      max_score += t.value("max_score", 0.0);
      seconds += t.value("duration_seconds", 0.0);
      ++total;
      passed += t.value("status", "") == "passed";
    }
    message = std::to_string(passed) + " of " + std::to_string(total) + " tests passed";
    const json build = mod->value("build", json::object());
    seconds += build.value("seconds", 0.0);
    const std::string status = build.value("status", "");
    if (status != "ok") message += "; build " + status + ":\n" + build.value("errors", std::string());
  }
  // The tests this grade ran (hidden ones are left out of a student's view); the module's points
  // when none ran.
  if (total == 0) max_score = m.points;
  score = std::round(score * 100) / 100;
  const std::string status = !graded ? "error" : score >= max_score ? "pass" : "fail";
  const json test{{"name", "m" + m.id + " " + m.title},
                  {"status", status},
                  {"score", score},
                  {"message", message},
                  {"test_code", "tt-grade run modules --module " + m.id},
                  {"filename", ""},
                  {"line_no", 0},
                  {"duration", static_cast<int>(1000 * seconds)}};  // milliseconds
  return {{"version", 1}, {"status", status}, {"max_score", max_score}, {"tests", json::array({test})}};
}

std::string classroom_result_base64(const json& report, const Manifest& m) {
  return base64(classroom_result(report, m).dump());
}

}  // namespace tt::grade
