// Catch2 main for the grader's tests and fixture executables.
// Not the course's catch main (common/testing): the grader does not depend on the core.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
