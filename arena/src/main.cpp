// tt-arena: the live competition server; everything lives in tt_arena_lib (cli.cpp).
// Not a place for logic: the tests call the library directly.
#include "tt/arena/server.hpp"

int main(int argc, char** argv) { return tt::arena::arena_main(argc, argv); }
