// Making, caching and loading the capstone's baseline weights (reproducible: fixed seeds, fixed data order).
// Not the entry: the baseline is the fp32 model every entry starts from and is compared with.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "tt/capstone/submission.hpp"

namespace tt::capstone {

struct BaselineOptions {
  std::vector<std::size_t> mlp_sizes{784, 256, 128, 10};
  GPTConfig gpt{256, 64, 4, 2, 512, 256, 0};  // vocab, d_model, heads, layers, max_seq, d_ff, seed
  std::size_t train_images = 0;               // 0 = all 60,000
  std::size_t test_images = 0;                // 0 = all 10,000 (for Baseline::accuracy)
  int epochs = 3;
  std::uint64_t seed = 0;
  bool progress = true;
};

// $TT_CACHE_DIR/m20-baseline, else <build dir>/m20-cache/baseline (the directory the program
// runs from when no build dir is known: ./m20-cache/baseline).
std::string default_baseline_dir();

// Trains the MLP (Adam, lr 1e-3, batch 64, options.epochs epochs, shuffling seed options.seed),
// evaluates it, makes the seeded GPT, and writes both under `dir` with baseline.json.
Baseline make_baseline(const std::string& dir, const BaselineOptions& options = {});

// CPU seconds of the baseline's greedy generation (Baseline::generation_cpu_seconds), measured now;
// 0 for a generator too small for the prompt and 256 tokens.
double baseline_generation_cpu_seconds(const Baseline& b);

// Reads <dir>/baseline.json and checks the weight files exist; data_error naming
// `m20_make_baseline` when they do not.
Baseline load_baseline(const std::string& dir);

// load_baseline(dir) if it is there, else make_baseline(dir, options).
Baseline load_or_make_baseline(const std::string& dir, const BaselineOptions& options = {});

}  // namespace tt::capstone
