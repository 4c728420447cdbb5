// tt-grade: the command line (CLI11) over the grading library; one function per subcommand.
// Not where grading happens: every step lives in tt_grade_lib so the tests can call it.
#include <iostream>

#include <CLI/CLI.hpp>

#include "tt/grade/cli.hpp"
#include "tt/grade/stub_check.hpp"

int main(int argc, char** argv) {
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

  tt::grade::CliOptions opts;
  tt::grade::add_grading_subcommands(app, opts);

  CLI11_PARSE(app, argc, argv);
  try {
    if (*stubs) return tt::grade::check_stubs_main(module_json, student, solution, stub_timeout);
    return tt::grade::run_grading_subcommand(app, opts);
  } catch (const std::exception& e) {
    std::cerr << "tt-grade: error: " << e.what() << "\n";
    return 2;
  }
}
