// m20_make_baseline: trains and caches the capstone's fp32 baseline (reproducible: fixed seeds and data order).
// Not the entry: run it once; m20_submit and the bench load what it writes.
// usage: m20_make_baseline [DIR] [--force]   (DIR default: $TT_CACHE_DIR/m20-baseline or <build>/m20-cache/baseline)
#include <cstdio>
#include <filesystem>
#include <string>

#include "tt/capstone/baseline.hpp"

int main(int argc, char** argv) {
  std::string dir = tt::capstone::default_baseline_dir();
  bool force = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--force") {
      force = true;
    } else if (a == "-h" || a == "--help") {
      std::puts(
          "usage: m20_make_baseline [DIR] [--force]\n"
          "Trains the MLP 784-256-128-10 (Adam 1e-3, batch 64, 3 epochs, seed 0) on all 60,000 training\n"
          "images, evaluates it on the 10,000 test images, makes the seeded GPT, writes DIR/baseline.json.");
      return 0;
    } else if (!a.empty() && a[0] == '-') {
      std::fprintf(stderr, "m20_make_baseline: error: unknown option '%s'\nusage: m20_make_baseline [DIR] [--force]\n",
                   a.c_str());
      return 2;
    } else {
      dir = a;
    }
  }
  try {
    if (force) std::filesystem::remove_all(dir);
    const auto b = tt::capstone::load_or_make_baseline(dir);
    std::printf("baseline in %s: MLP accuracy %.4f on %zu test images\n", b.dir.c_str(), b.accuracy, b.test_images);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "m20_make_baseline: %s\n", e.what());
    return 1;
  }
  return 0;
}
