// The grading subcommands of tt-grade (run, batch, package, classroom, bench) as CLI11 definitions and dispatch.
// Not check-stubs (stub_check.hpp) and not the grading logic itself.
#pragma once

#include <string>
#include <vector>

#include "tt/grade/batch_slurm.hpp"
#include "tt/grade/grade.hpp"
#include "tt/grade/package.hpp"
#include "tt/grade/similarity.hpp"
#include "tt/grade/submit.hpp"

namespace CLI {
class App;
}

namespace tt::grade {

// What the command line sets: the grading options themselves (bound field by field), and the few
// settings of one subcommand.
struct CliOptions {
  GradeOptions grade;
  std::string course, work;  // paths as typed (made absolute once parsed)
  std::string options_json;  // run: read every grading option from this file (batch children)
  std::string out_dir;
  std::vector<std::string> formats{"json", "gradescope", "md"};
  bool quiet = false;
  // batch
  std::string batch_dir;
  int jobs = 1;
  bool force = false;
  double submission_budget = 900;
  // batch --similarity, and similarity
  bool similarity = false;
  SimilaritySettings similarity_settings;
  std::vector<std::string> against;  // folders as typed
  // package gradescope
  GradescopePackage package;
  // classroom
  std::string classroom_report, classroom_module;
  bool classroom_json = false;
  // bench
  std::string bench_json;
  std::string bench_hostile_tests;  // the grader's test executable (its [hostile] cases)
  bool bench_quick = false;
  // mutants
  std::string mutants_module;
  std::vector<std::string> mutants_only;
  std::string mutants_json;
  bool mutants_all_tests = false;
  // tt-arena (issue 14): batch --slurm and submit
  SlurmBatchSettings slurm;
  SubmitOptions submit;
  std::string bench_only;  // one metric measured alone
};

void add_grading_subcommands(CLI::App& app, CliOptions& opts);
int run_grading_subcommand(CLI::App& app, CliOptions& opts);

// similarity_cli.cpp: the similarity report's settings (on batch and similarity), the
// `similarity` subcommand, and its options once parsed (after the course root is made absolute).
void add_similarity_settings(CLI::App* c, CliOptions& opts);
void add_similarity_subcommand(CLI::App& app, CliOptions& opts);
SimilarityOptions similarity_options(const CliOptions& opts, const std::string& dir);

}  // namespace tt::grade
