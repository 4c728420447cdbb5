// The one Catch2 v2 main shared by every test executable, built with benchmarking enabled.
// Not a place for fixtures: shared test helpers are in tt/testing.hpp.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
