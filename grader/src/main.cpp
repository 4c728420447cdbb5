// tt-grade: the command line (CLI11) over the grading library; one function per subcommand.
// Not where grading happens: every step lives in tt_grade_lib so the tests can call it.
#include <cstring>
#include <iostream>

#include <CLI/CLI.hpp>

#include "tt/grade/build_jail.hpp"
#include "tt/grade/cli.hpp"
#include "tt/grade/progress.hpp"
#include "tt/grade/stub_check.hpp"

namespace {

// `tt-grade build-step --policy FILE compile|link -- COMMAND…`: ninja starts one per compile and
// link of a submission, so it is parsed by hand, before CLI11, and stays out of --help.
int build_step(int argc, char** argv) {
  if (argc < 6 || std::strcmp(argv[2], "--policy") != 0 || std::strcmp(argv[5], "--") != 0) {
    std::cerr << "usage: tt-grade build-step --policy FILE compile|link -- COMMAND...\n";
    return 2;
  }
  return tt::grade::build_step_main(argv[3], argv[4], std::vector<std::string>(argv + 6, argv + argc));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::strcmp(argv[1], "build-step") == 0) {
    try {
      return build_step(argc, argv);
    } catch (const std::exception& e) {
      std::cout << "error: tt-grade build-step: " << e.what() << std::endl;
      return 1;
    }
  }
  CLI::App app{"tt-grade: grades course submissions (see docs/report-schema.md)"};
  app.require_subcommand(1);

  auto* stubs = app.add_subcommand("check-stubs",
                                   "CI check: every test fails on the stubs, passes on the reference, points add up");
  std::string module_json, student, solution;
  double stub_timeout = 900;
  stubs->add_option("--module-json", module_json, "modules/NN_name/module.json")->required()->check(CLI::ExistingFile);
  stubs->add_option("--student", student, "the mNN_tests_student executable")->required()->check(CLI::ExistingFile);
  stubs->add_option("--solution", solution, "the mNN_tests_solution executable")->required()->check(CLI::ExistingFile);
  stubs->add_option("--timeout", stub_timeout, "seconds allowed for one run of a test executable")
      ->capture_default_str();

  auto* progress =
      app.add_subcommand("progress", "a student's table of one module: task, part, points, state, first failure");
  std::string progress_tests;
  progress->add_option("--module-json", module_json, "modules/NN_name/module.json")
      ->required()
      ->check(CLI::ExistingFile);
  progress->add_option("--tests", progress_tests, "the module's test executable (mNN_tests_student)")
      ->required()
      ->check(CLI::ExistingFile);
  progress->add_option("--timeout", stub_timeout, "seconds allowed for one run of the test executable")
      ->capture_default_str();

  tt::grade::CliOptions opts;
  tt::grade::add_grading_subcommands(app, opts);

  CLI11_PARSE(app, argc, argv);
  try {
    if (*stubs) return tt::grade::check_stubs_main(module_json, student, solution, stub_timeout);
    if (*progress) return tt::grade::progress_main(module_json, progress_tests, stub_timeout);
    return tt::grade::run_grading_subcommand(app, opts);
  } catch (const tt::grade::SandboxUnavailable& e) {
    std::cerr << "tt-grade: error: " << e.what() << "\n";
    return 3;
  } catch (const std::exception& e) {
    std::cerr << "tt-grade: error: " << e.what() << "\n";
    return 2;
  }
}
