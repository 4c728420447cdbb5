// Catch2 main for tt-portfolio's own tests.
// Not the course's catch main: the portfolio does not depend on the core.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
