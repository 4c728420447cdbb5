// tt-portfolio: the student's verified before/after reports as a static site.
// Not the logic: see cli.cpp and the library.
#include "tt/portfolio/cli.hpp"

int main(int argc, char** argv) { return tt::portfolio::run_cli(argc, argv); }
