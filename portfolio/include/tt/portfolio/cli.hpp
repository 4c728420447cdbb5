// tt-portfolio's command line: init, measure, render, check.
// Not the logic: each subcommand calls one function of the library.
#pragma once

namespace tt::portfolio {

// Parses argv, runs the subcommand, returns the exit code; errors are printed, never thrown.
int run_cli(int argc, char** argv);

}  // namespace tt::portfolio
