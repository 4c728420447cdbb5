// GradeOptions as JSON: how batch hands its settings to each child grade, and how reports record them.
// Not the command line (cli.cpp binds the same fields with CLI11).
#include <stdexcept>

#include "tt/grade/grade.hpp"

namespace tt::grade {
using nlohmann::json;

json grade_options_json(const GradeOptions& o) {
  return {{"submission", o.submission.string()},
          {"course_root", o.course_root.string()},
          {"work_root", o.work_root.string()},
          {"grader_exe", o.grader_exe.string()},
          {"modules", o.modules},
          {"tasks", o.tasks},
          {"label", o.label},
          {"integrated", o.integrated},
          {"sandbox", to_string(o.sandbox)},
          {"include_hidden", o.include_hidden},
          {"perf", o.perf},
          {"test_timeout", o.test_timeout},
          {"perf_runs", o.perf_runs},
          {"build_jobs", o.build_jobs},
          {"test_jobs", o.test_jobs},
          {"build_timeout", o.build_timeout},
          {"build_memory_mib", o.build_memory_mib},
          {"build_cpu_seconds", o.build_cpu_seconds},
          {"slot", o.slot},
          {"progress", o.progress},
          {"capstone", o.capstone},
          {"measure_timeout", o.measure_timeout},
          {"isa", o.isa}};
}

GradeOptions grade_options_from_json(const json& j) {
  GradeOptions o;
  try {
    o.submission = j.at("submission").get<std::string>();
    o.course_root = j.at("course_root").get<std::string>();
    o.work_root = j.at("work_root").get<std::string>();
    o.grader_exe = j.at("grader_exe").get<std::string>();
    o.modules = j.at("modules").get<std::vector<std::string>>();
    o.tasks = j.value("tasks", std::vector<std::string>{});
    o.label = j.at("label").get<std::string>();
    o.integrated = j.at("integrated").get<bool>();
    o.sandbox = sandbox_policy_from_string(j.at("sandbox").get<std::string>());
    o.include_hidden = j.at("include_hidden").get<bool>();
    o.perf = j.at("perf").get<bool>();
    o.test_timeout = j.at("test_timeout").get<double>();
    o.perf_runs = j.at("perf_runs").get<int>();
    o.build_jobs = j.at("build_jobs").get<int>();
    o.test_jobs = j.at("test_jobs").get<int>();
    o.build_timeout = j.at("build_timeout").get<double>();
    o.build_memory_mib = j.at("build_memory_mib").get<std::size_t>();
    o.build_cpu_seconds = j.at("build_cpu_seconds").get<long>();
    o.slot = j.at("slot").get<int>();
    o.progress = j.at("progress").get<bool>();
    o.capstone = j.at("capstone").get<bool>();
    o.measure_timeout = j.at("measure_timeout").get<double>();
    o.isa = j.value("isa", std::string());
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("grading options: ") + e.what());
  }
  return o;
}

}  // namespace tt::grade
