// Module 16 benchmark: generation speed with and without the KV cache, per-token latency, exact cache bytes,
// the memory/compute trade-off table and the sliding window's effect on the logits.
// Not a test: correctness is the tests' job; this measures (and only checks that cached == uncached tokens).
#include <time.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "tt/bench/report.hpp"
#include "tt/blas.hpp"
#include "tt/gpt.hpp"
#include "tt/matmul.hpp"
#include "tt/memory/cached_forward.hpp"
#include "tt/memory/flops.hpp"
#include "tt/memory/generate.hpp"
#include "tt/memory/kv_cache.hpp"
#include "tt/memory/sliding_window.hpp"
#include "tt/timer.hpp"
#include "tt/tracking.hpp"

namespace {

using tt::bench::fmt;
using tt::memory::GenerateOptions;

// The benchmark model (also in the README): big enough that a decode step is real work rather
// than call overhead, small enough that the uncached 512-token run takes seconds, not minutes.
constexpr std::size_t kVocab = 256;
constexpr std::size_t kDModel = 128;
constexpr std::size_t kHeads = 4;
constexpr std::size_t kLayers = 4;
constexpr std::size_t kDff = 512;
constexpr std::size_t kMaxSeq = 1024;
constexpr std::size_t kPromptLen = 8;  // "a short prompt"
constexpr std::uint64_t kSeed = 2024;

tt::GPTConfig bench_config() {
  tt::GPTConfig c;
  c.vocab = kVocab;
  c.d_model = kDModel;
  c.n_heads = kHeads;
  c.n_layers = kLayers;
  c.max_seq = kMaxSeq;
  c.d_ff = kDff;
  c.seed = kSeed;
  return c;
}

tt::TokenBatch make_prompt() {
  tt::TokenBatch p(1);
  for (std::size_t i = 0; i < kPromptLen; ++i) p[0].push_back(static_cast<std::int32_t>((i * 37 + 11) % kVocab));
  return p;
}

// CPU seconds of this thread: unlike wall time, not inflated when other jobs share the cores.
double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n == 0 ? 0 : (n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]));
}

struct SpeedRow {
  std::size_t n_new = 0;
  tt::timing::Stats uncached, cached;
  std::vector<double> uncached_cpu, cached_cpu;  // thread CPU seconds per run
  bool same_tokens = false;
  double speedup() const { return cached.median > 0 ? uncached.median / cached.median : 0; }
  double cpu_speedup() const;
};

double SpeedRow::cpu_speedup() const {
  const double c = median(cached_cpu);
  return c > 0 ? median(uncached_cpu) / c : 0;
}

// Generates n_new tokens greedily with and without the cache, interleaved, median of `runs`.
SpeedRow measure_speedup(tt::GPT& model, std::size_t n_new, int runs) {
  const tt::TokenBatch prompt = make_prompt();
  GenerateOptions with, without;
  without.use_cache = false;
  SpeedRow row;
  row.n_new = n_new;
  tt::TokenBatch uncached_tokens, cached_tokens;
  int done = 0;
  const std::string label = "generate " + std::to_string(n_new) + " tokens";
  const auto stats = tt::timing::interleaved(
      {[&] {
         const double c0 = thread_cpu_seconds();
         uncached_tokens = tt::memory::generate(model, prompt, n_new, without).tokens;
         row.uncached_cpu.push_back(thread_cpu_seconds() - c0);
         tt::bench::progress(label, static_cast<std::size_t>(++done), 2 * static_cast<std::size_t>(runs));
       },
       [&] {
         const double c0 = thread_cpu_seconds();
         cached_tokens = tt::memory::generate(model, prompt, n_new, with).tokens;
         row.cached_cpu.push_back(thread_cpu_seconds() - c0);
         tt::bench::progress(label, static_cast<std::size_t>(++done), 2 * static_cast<std::size_t>(runs));
       }},
      tt::timing::Options{0, runs, 0.0});
  row.uncached = stats[0];
  row.cached = stats[1];
  row.same_tokens = uncached_tokens == cached_tokens;  // greedy: must be identical
  return row;
}

// Per-token decode latency with the cache at every position up to `last`, median over `runs`.
std::vector<double> decode_latencies(tt::GPT& model, std::size_t last, int runs) {
  std::vector<std::vector<double>> per_pos(last + 1);
  const tt::TokenBatch prompt = make_prompt();
  for (int r = 0; r < runs; ++r) {
    tt::memory::KVCache cache(model.config(), 1, last + 1);
    tt::Tensor logits = tt::memory::forward_cached(model, prompt, 0, cache);
    std::int32_t next = 0;
    for (std::size_t p = kPromptLen; p <= last; ++p) {
      const float* row = logits.data() + (logits.shape()[1] - 1) * kVocab;
      next = static_cast<std::int32_t>(std::max_element(row, row + kVocab) - row);
      const double t0 = tt::timing::now_seconds();
      logits = tt::memory::forward_cached(model, {{next}}, p, cache);
      per_pos[p].push_back(tt::timing::now_seconds() - t0);
    }
    tt::bench::progress("decode latency per position", static_cast<std::size_t>(r) + 1, static_cast<std::size_t>(runs));
  }
  std::vector<double> out(last + 1, 0.0);
  for (std::size_t p = kPromptLen; p <= last; ++p) out[p] = median(per_pos[p]);
  return out;
}

// Median of the per-position latencies in [p - 2, p + 2].
double latency_around(const std::vector<double>& lat, std::size_t p) {
  return median(std::vector<double>(lat.begin() + static_cast<std::ptrdiff_t>(p - 2),
                                    lat.begin() + static_cast<std::ptrdiff_t>(p + 3)));
}

int bench(const tt::bench::Args& args) {
  tt::bench::Report r("16", args);
  // Same backend, same single thread, for both runs: the comparison is about the cache only.
  tt::blas::set_num_threads(1);
  tt::BackendGuard guard(tt::blas_backend());

  const tt::GPTConfig cfg = bench_config();
  tt::GPT model(cfg);
  // (the core's GPT is built in inference mode: no layer keeps activations for a backward pass)
  const nlohmann::json model_json = {{"vocab", kVocab},
                                     {"d_model", kDModel},
                                     {"heads", kHeads},
                                     {"layers", kLayers},
                                     {"d_ff", kDff},
                                     {"max_seq", kMaxSeq},
                                     {"prompt", kPromptLen},
                                     {"batch", 1},
                                     {"backend", "blas, 1 thread"},
                                     {"params", model.parameter_count()}};

  // --- exact cache bytes: formula, memory_bytes() and the tracking allocator agree --------------
  {
    const std::size_t formula = 2 * kLayers * 1 * kHeads * kMaxSeq * (kDModel / kHeads) * sizeof(float);
    tt::tracking::Scope scope;
    tt::memory::KVCache cache(cfg, 1, kMaxSeq);
    const bool exact = cache.memory_bytes() == formula && tt::memory::KVCache::bytes_for(cfg, 1, kMaxSeq) == formula &&
                       scope.allocated_bytes() == formula;
    r.add({"kv_cache_bytes_exact",
           exact ? 1.0 : 0.0,
           "bool",
           "= 1",
           {{"formula_bytes", formula},
            {"memory_bytes", cache.memory_bytes()},
            {"tracked_bytes", scope.allocated_bytes()},
            {"config", model_json}}});
  }

  // --- tokens/s with the cache over without ------------------------------------------------------
  const std::vector<std::size_t> lengths =
      args.quick ? std::vector<std::size_t>{64, 256} : std::vector<std::size_t>{64, 128, 256, 512};
  std::vector<SpeedRow> rows;
  for (std::size_t n : lengths) {
    const int runs = args.quick ? 1 : (n >= 256 ? 3 : 5);
    rows.push_back(measure_speedup(model, n, runs));
    const SpeedRow& s = rows.back();
    if (n == 256 || n == 512) {
      r.add({"kv_speedup_" + std::to_string(n),
             s.speedup(),
             "ratio",
             n == 256 ? ">= 20" : ">= 40",
             {{"n_new", n},
              {"uncached_s", s.uncached.median},
              {"cached_s", s.cached.median},
              {"uncached_tokens_per_s", n / s.uncached.median},
              {"cached_tokens_per_s", n / s.cached.median},
              {"runs", s.cached.samples.size()},
              {"spread_uncached", s.uncached.spread()},
              {"spread_cached", s.cached.spread()},
              {"same_tokens", s.same_tokens},
              {"uncached_cpu_s", median(s.uncached_cpu)},
              {"cached_cpu_s", median(s.cached_cpu)},
              {"cpu_time_speedup", s.cpu_speedup()},
              {"config", model_json}}});
    }
    if (!s.same_tokens) std::fprintf(stderr, "warning: cached and uncached tokens differ at n = %zu\n", n);
  }

  // --- per-token latency growth with the cache ---------------------------------------------------
  {
    const std::size_t last = 260;
    const auto lat = decode_latencies(model, last, args.quick ? 2 : 7);
    const double l16 = latency_around(lat, 16), l256 = latency_around(lat, 256);
    std::vector<std::vector<std::string>> table;
    for (std::size_t p : {16, 32, 64, 128, 256})
      table.push_back({std::to_string(p), fmt(latency_around(lat, p) * 1e6, 1)});
    r.table("Per-token decode latency with the cache (median of 5 positions around p)", {"position", "latency (µs)"},
            table);
    r.add({"kv_latency_growth_16_to_256",
           l256 / l16,
           "ratio",
           "<= 3",
           {{"latency_16_s", l16}, {"latency_256_s", l256}, {"runs", args.quick ? 2 : 7}, {"config", model_json}}});
  }

  // --- the trade-off table ----------------------------------------------------------------------
  {
    std::vector<std::vector<std::string>> table;
    for (const SpeedRow& s : rows) {
      const std::size_t positions = kPromptLen + s.n_new - 1;
      const auto plain = tt::memory::generation_flops(cfg, 1, kPromptLen, s.n_new, false);
      const auto cached = tt::memory::generation_flops(cfg, 1, kPromptLen, s.n_new, true);
      table.push_back({std::to_string(s.n_new), std::to_string(positions),
                       std::to_string(tt::memory::KVCache::bytes_for(cfg, 1, positions) / 1024),
                       fmt(plain.total / 1e9, 2), fmt(cached.total / 1e9, 3), fmt(plain.total / cached.total, 1),
                       fmt(s.uncached.median, 3), fmt(s.cached.median, 3), fmt(s.speedup(), 1),
                       fmt(s.cpu_speedup(), 1)});
    }
    r.table("Memory vs compute: generating n tokens from an 8-token prompt (batch 1)",
            {"n new", "positions", "cache KiB", "GFLOP uncached", "GFLOP cached", "FLOPs saved (x)", "uncached s",
             "cached s", "measured speedup", "CPU-time speedup"},
            table);
  }

  // --- the sliding window: bounded memory, and what it does to the logits ------------------------
  {
    const std::size_t n_new = args.quick ? 96 : 256;
    const tt::TokenBatch prompt = make_prompt();
    GenerateOptions full_opt;
    full_opt.keep_logits = true;
    const auto full = tt::memory::generate(model, prompt, n_new, full_opt);
    // Teacher forcing: every cache sees the full cache's tokens, so logits compare position by position.
    std::vector<std::vector<std::string>> table;
    for (std::size_t w : {16, 32, 64, 128}) {
      tt::memory::SlidingWindowKVCache cache(cfg, 1, w);
      double max_diff = 0, sum_diff = 0;
      std::size_t agree = 0, count = 0;
      for (std::size_t s = 0; s < n_new; ++s) {
        const std::size_t p = kPromptLen + s;  // the logits for position p come from tokens 0 … p-1
        tt::Tensor lg = s == 0 ? tt::memory::forward_cached(model, prompt, 0, cache)
                               : tt::memory::forward_cached(model, {{full.tokens[0][p - 1]}}, p - 1, cache);
        const float* row = lg.data() + (lg.shape()[1] - 1) * kVocab;
        const tt::Tensor& ref = full.step_logits[s];
        for (std::size_t i = 0; i < kVocab; ++i) {
          const double d = std::abs(static_cast<double>(row[i]) - ref.data()[i]);
          max_diff = std::max(max_diff, d);
          sum_diff += d;
        }
        agree += (std::max_element(row, row + kVocab) - row) == full.tokens[0][p];
        ++count;
      }
      table.push_back({std::to_string(w), std::to_string(cache.memory_bytes() / 1024), fmt(max_diff, 3),
                       fmt(sum_diff / static_cast<double>(count * kVocab), 4), fmt(100.0 * agree / count, 1)});
    }
    table.push_back({"full (" + std::to_string(kPromptLen + n_new - 1) + ")",
                     std::to_string(tt::memory::KVCache::bytes_for(cfg, 1, kPromptLen + n_new - 1) / 1024), "0", "0",
                     "100.0"});
    r.table("Sliding window vs full cache over " + std::to_string(n_new) + " generated tokens (teacher-forced)",
            {"window", "cache KiB", "max |Δlogit|", "mean |Δlogit|", "same top-1 (%)"}, table);
  }
  return r.finish();
}

}  // namespace

int main(int argc, char** argv) { return tt::bench::main_of(argc, argv, "m16_bench", bench); }
