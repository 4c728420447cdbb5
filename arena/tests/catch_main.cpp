// The Catch2 main of tt-arena's tests. Not a test.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
