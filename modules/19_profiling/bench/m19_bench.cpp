// Module 19 benchmark: profiler overhead and coverage on the GPT, the roofline, and before/after tables.
// Not a unit test: it measures this machine and prints the README's tables (names fixed by issue 7).
//
//   m19_bench_solution [--quick] [--json FILE] [--svg FILE] [--trace FILE]
// --svg writes the roofline chart (default: m19_roofline.svg in the working directory),
// --trace the Chrome trace of the profiled generation (default: m19_trace.json).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "tt/bench/report.hpp"
#include "tt/blas.hpp"
#include "tt/gpt.hpp"
#include "tt/matmul.hpp"
#include "tt/profile/bottleneck.hpp"
#include "tt/profile/comparer.hpp"
#include "tt/profile/interaction.hpp"
#include "tt/profile/profiler.hpp"

// The optimizations of modules 15-18, when module.json lists them in depends_on.
#if __has_include("tt/accel/backend.hpp")
#include "tt/accel/backend.hpp"
#define TT_M19_HAS_M15 1
#endif
#if __has_include("tt/memory/generate.hpp")
#include "tt/memory/generate.hpp"
#define TT_M19_HAS_M16 1
#endif
#if __has_include("tt/quant/convert.hpp") && __has_include("tt/compress/pipeline.hpp")
#include "tt/compress/magnitude_pruner.hpp"
#include "tt/compress/pipeline.hpp"
#include "tt/fashion_mnist.hpp"
#include "tt/models.hpp"
#include "tt/quant/convert.hpp"
#include "tt/train.hpp"
#define TT_M19_HAS_M17_M18 1
#endif

namespace {

using tt::bench::fmt;
using namespace tt::profile;

// Greedy decoding without a cache: the whole sequence goes through the model at every step.
std::vector<std::int32_t> generate_uncached(tt::GPT& gpt, std::vector<std::int32_t> seq, std::size_t n_new) {
  const std::size_t vocab = gpt.config().vocab;
  for (std::size_t i = 0; i < n_new; ++i) {
    const tt::Tensor logits = gpt.forward(seq);  // (T, vocab)
    const float* last = logits.data() + (seq.size() - 1) * vocab;
    seq.push_back(static_cast<std::int32_t>(std::max_element(last, last + vocab) - last));
  }
  return seq;
}

std::vector<std::int32_t> prompt_of(std::size_t n, std::size_t vocab) {
  std::vector<std::int32_t> p(n);
  for (std::size_t i = 0; i < n; ++i) p[i] = static_cast<std::int32_t>((7 * i + 3) % vocab);
  return p;
}

std::string pct(double share) { return fmt(100 * share, 1) + "%"; }

std::vector<std::vector<std::string>> breakdown_rows(const PerformanceProfiler& p) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& r : p.breakdown())
    rows.push_back({r.name, std::to_string(r.calls), fmt(r.seconds * 1e3, 2), pct(r.share),
                    r.flops > 0 ? fmt(r.flops / r.seconds * 1e-9, 2) : "-",
                    fmt(static_cast<double>(r.bytes_allocated) / (1024.0 * 1024.0), 1)});
  rows.push_back({"total", "", fmt(p.total_seconds() * 1e3, 2), "100.0%", "", ""});
  return rows;
}

nlohmann::json stats_json(const tt::timing::Stats& s) {
  return {
      {"median_s", s.median}, {"min_s", s.min}, {"max_s", s.max}, {"spread", s.spread()}, {"runs", s.samples.size()}};
}

void add_comparison_table(tt::bench::Report& r, const std::string& title, const std::vector<VariantResult>& res) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& v : res) {
    const double mb = static_cast<double>(v.model_bytes > 0 ? v.model_bytes : v.peak_bytes) / (1024.0 * 1024.0);
    rows.push_back({v.name, fmt(v.time.median * 1e3, 2), pct(v.time.spread()), fmt(v.speedup, 2) + "x",
                    "[" + fmt(v.speedup_ci.lo, 2) + ", " + fmt(v.speedup_ci.hi, 2) + "]", v.verdict,
                    fmt(mb, 2) + (v.model_bytes > 0 ? " MB model" : " MB peak"),
                    std::isnan(v.accuracy) ? "-" : fmt(v.accuracy, 4),
                    std::isnan(v.accuracy_delta) ? "-" : fmt(v.accuracy_delta, 4)});
  }
  r.table(title, {"variant", "median ms", "spread", "speedup", "95% CI", "verdict", "memory", "accuracy", "delta"},
          rows);
}

void add_factorial_table(tt::bench::Report& r, const std::string& title, const FactorialResult& f) {
  std::vector<std::vector<std::string>> rows;
  for (unsigned c = 0; c < f.responses.size(); ++c)
    rows.push_back({f.config_name(c), fmt(std::exp(f.responses[c]) * 1e3, 2) + " ms", ""});
  for (const auto& e : f.effects)
    rows.push_back({std::string(e.order > 1 ? "interaction " : "main effect ") + e.name, fmt(e.value, 3),
                    "time x" + fmt(std::exp(e.value), 2)});
  r.table(title, {"configuration / effect", "median or log-effect", "time factor"}, rows);
}

// Removes "--name VALUE" from argv (so tt::bench::Args does not see it); returns VALUE or `fallback`.
std::string take_option(int& argc, char** argv, const std::string& name, const std::string& fallback) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (argv[i] != name) continue;
    std::string value = argv[i + 1];
    for (int j = i; j + 2 < argc; ++j) argv[j] = argv[j + 2];
    argc -= 2;
    return value;
  }
  return fallback;
}

int bench(const tt::bench::Args& args, const std::string& svg_path, const std::string& trace_path) {
  tt::bench::Report report("19", args);
  const bool quick = args.quick;
  tt::blas::set_num_threads(1);

  tt::GPTConfig cfg;  // vocab 256, d_model 128, 4 heads, 4 layers, d_ff 512
  cfg.seed = 19;
  tt::GPT gpt(cfg);
  const std::size_t prompt_len = quick ? 16 : 32;
  const std::size_t n_new = quick ? 8 : 32;
  const auto prompt = prompt_of(prompt_len, cfg.vocab);

  // ---- the roofs ----
  tt::bench::progress("measuring the roofs", 0, 1);
  const BottleneckAnalyzer analyzer = BottleneckAnalyzer::measured(quick);
  tt::bench::progress("measuring the roofs", 1, 1);
  report.add({"peak_gflops_1core", analyzer.peaks().gflops, "GFLOP/s", "", {{"fma_chains", kFmaChains}}});
  report.add({"stream_bandwidth_1core",
              analyzer.peaks().bandwidth_gbs,
              "GB/s",
              "",
              {{"buffer_bytes", kStreamBytes}, {"ridge_flop_per_byte", analyzer.peaks().ridge()}}});

  // ---- a profiled GPT generation (reference backend: the "before" picture) ----
  PerformanceProfiler profiler;
  {
    auto region = profiler.profile("generate");
    generate_uncached(gpt, prompt, n_new);
  }
  report.table("Profiled GPT generation (reference backend, " + std::to_string(prompt_len) + "-token prompt + " +
                   std::to_string(n_new) + " tokens, no cache): breakdown",
               {"op", "calls", "ms", "share", "GFLOP/s", "alloc MB"}, breakdown_rows(profiler));
  const double coverage = profiler.coverage();
  report.add({"profiler_coverage",
              coverage,
              "ratio",
              ">= 0.95",
              {{"total_seconds", profiler.total_seconds()}, {"summary", profiler.summary()["breakdown"]}}});
  std::cout << profiler.report() << "\n";
  profiler.write_chrome_trace(trace_path);
  std::cout << "Chrome trace written to " << trace_path << " (open it in https://ui.perfetto.dev)\n";

  const auto analysis = analyzer.analyze(profiler);
  {
    std::vector<std::vector<std::string>> rows;
    for (const auto& a : analysis) {
      if (a.share < 0.005) continue;
      rows.push_back({a.op.name, std::to_string(a.op.calls), fmt(a.op.self_seconds * 1e3, 2), pct(a.share),
                      a.intensity > 0 ? fmt(a.intensity, 1) : "-", a.gflops > 0 ? fmt(a.gflops, 2) : "-",
                      a.attainable_gflops > 0 ? pct(a.efficiency) : "-", to_string(a.bound), a.suggestion});
    }
    report.table("Bottlenecks of the generation (ranked by self time; roofs " + fmt(analyzer.peaks().gflops, 1) +
                     " GFLOP/s, " + fmt(analyzer.peaks().bandwidth_gbs, 1) + " GB/s)",
                 {"op", "calls", "self ms", "share", "FLOP/B", "GFLOP/s", "% of roof", "bound", "suggestion"}, rows);
  }
  // The chart's points: the ops before, and (with module 15) after installing its backend.
  std::vector<OpAnalysis> chart = analysis;
  std::string chart_title = "GPT generation on the roofline (reference backend)";

#ifdef TT_M19_HAS_M15
  tt::accel::OptimizedBackend optimized;
  tt::accel::Thresholds one_thread_thresholds;
  one_thread_thresholds.threads = 1;
  tt::accel::OptimizedBackend optimized_1t(one_thread_thresholds);
  {
    PerformanceProfiler after;
    {
      tt::BackendGuard g(optimized);
      auto region = after.profile("generate");
      generate_uncached(gpt, prompt, n_new);
    }
    report.table("The same generation after installing module 15's optimized backend: breakdown",
                 {"op", "calls", "ms", "share", "GFLOP/s", "alloc MB"}, breakdown_rows(after));
    for (auto a : analyzer.analyze(after)) {
      a.op.name += " (m15)";
      chart.push_back(a);
    }
    chart_title = "GPT generation, 1-core roofs: reference backend vs module 15 (up to 2 threads)";
  }
  tt::Backend& overhead_backend = optimized_1t;
  const std::string overhead_backend_name = "optimized (module 15, 1 thread)";
#else
  tt::Backend& overhead_backend = tt::reference_backend();
  const std::string overhead_backend_name = "reference";
#endif

  {
    std::ofstream svg(svg_path);
    svg << analyzer.roofline_svg(chart, chart_title);
    std::cout << "Roofline chart written to " << svg_path << "\n";
  }

  // ---- profiler overhead: the GPT forward with every op profiled vs no profiler ----
  {
    const auto tokens = prompt_of(64, cfg.vocab);
    tt::BackendGuard g(overhead_backend);
    PerformanceProfiler p;
    auto plain = [&] { gpt.forward(tokens); };
    auto profiled = [&] {
      auto region = p.profile("forward");
      gpt.forward(tokens);
    };
    ComparerOptions opt;
    opt.runs = quick ? 7 : 31;
    opt.min_seconds = quick ? 0.02 : 0.05;
    opt.warmup = 2;
    // Single-threaded forward timed on this thread's CPU clock: other processes on a shared
    // machine do not enter the ratio; wall-clock figures are in the detail.
    opt.clock = Clock::thread_cpu;
    tt::bench::progress("profiler overhead", 0, 2);
    const auto cpu = run_interleaved({plain, profiled}, opt);
    tt::bench::progress("profiler overhead", 1, 2);
    opt.clock = Clock::wall;
    opt.runs = quick ? 5 : 15;
    const auto wall = run_interleaved({plain, profiled}, opt);
    tt::bench::progress("profiler overhead", 2, 2);
    const double overhead = cpu[1].median / cpu[0].median - 1;
    const auto scopes_per_forward = p.scopes().empty() ? 0.0 : [&] {
      double calls = 0;
      for (const auto& s : p.scopes()) calls += static_cast<double>(s.calls);
      return calls / static_cast<double>(p.scope("forward").calls);
    }();
    report.add({"profiler_overhead",
                overhead,
                "ratio",
                "<= 0.02",
                {{"backend", overhead_backend_name},
                 {"tokens", tokens.size()},
                 {"scopes_per_forward", scopes_per_forward},
                 {"clock", "thread_cpu"},
                 {"plain", stats_json(cpu[0])},
                 {"profiled", stats_json(cpu[1])},
                 {"wall_plain", stats_json(wall[0])},
                 {"wall_profiled", stats_json(wall[1])},
                 {"wall_overhead", wall[1].median / wall[0].median - 1}}});
  }

  // ---- before/after: GPT generation ----
  ComparerOptions copt;
  copt.runs = quick ? 5 : 11;
  copt.warmup = 1;
  {
    auto on = [&](tt::Backend& b, std::function<void()> f) {
      return [&b, f] {
        tt::BackendGuard g(b);
        f();
      };
    };
    auto uncached = [&] { generate_uncached(gpt, prompt, n_new); };
    Variant baseline{"baseline (reference backend)", on(tt::reference_backend(), uncached), {}, {}};
    std::vector<Variant> variants{baseline};
    variants.push_back(Variant{"BLAS backend (core)", on(tt::blas_backend(), uncached), {}, {}});
#ifdef TT_M19_HAS_M15
    variants.push_back(Variant{"optimized backend (m15)", on(optimized, uncached), {}, {}});
#endif
#ifdef TT_M19_HAS_M16
    auto cached = [&] {
      tt::memory::GenerateOptions o;
      o.use_cache = true;
      tt::memory::generate(gpt, tt::TokenBatch{prompt}, n_new, o);
    };
    variants.push_back(Variant{"KV cache (m16)", on(tt::reference_backend(), cached), {}, {}});
#ifdef TT_M19_HAS_M15
    variants.push_back(Variant{"KV cache + optimized backend", on(optimized, cached), {}, {}});
#endif
#endif
    tt::bench::progress("comparing GPT generation variants", 0, 1);
    const auto res = OptimizationComparer(copt).compare(variants);
    tt::bench::progress("comparing GPT generation variants", 1, 1);
    add_comparison_table(report, "GPT generation (" + std::to_string(n_new) + " new tokens): before/after", res);
    nlohmann::json detail = nlohmann::json::array();
    for (const auto& v : res)
      detail.push_back({{"name", v.name},
                        {"speedup", v.speedup},
                        {"ci", {v.speedup_ci.lo, v.speedup_ci.hi}},
                        {"time", stats_json(v.time)},
                        {"peak_bytes", v.peak_bytes}});
    report.add({"gpt_generation_best_speedup",
                std::max_element(res.begin(), res.end(),
                                 [](const VariantResult& a, const VariantResult& b) { return a.speedup < b.speedup; })
                    ->speedup,
                "ratio",
                "",
                {{"variants", detail}}});

#if defined(TT_M19_HAS_M15) && defined(TT_M19_HAS_M16)
    // Does the KV cache still help once matmuls are fast? A 2^2 factorial on generation time.
    const InteractionAnalyzer ia({"optimized backend", "KV cache"});
    tt::bench::progress("factorial: backend x cache", 0, 1);
    const auto f = ia.time(
        [&](unsigned c) -> std::function<void()> {
          tt::Backend& b = (c & 1U) ? static_cast<tt::Backend&>(optimized) : tt::reference_backend();
          return (c & 2U) ? on(b, cached) : on(b, uncached);
        },
        copt);
    tt::bench::progress("factorial: backend x cache", 1, 1);
    add_factorial_table(report, "Interaction: optimized backend x KV cache (GPT generation, log-time effects)", f);
#endif
  }

#ifdef TT_M19_HAS_M17_M18
  // ---- before/after: the Fashion-MNIST MLP (quantized by module 17, pruned by module 18) ----
  try {
    tt::BackendGuard g(optimized);
    const auto train = tt::load_fashion_mnist(tt::Split::train, quick ? 3000 : 12000);
    const auto test = tt::load_fashion_mnist(tt::Split::test, quick ? 1000 : 5000);
    const auto batch = tt::load_fashion_mnist(tt::Split::test, 256);
    const std::vector<std::size_t> sizes{784, 256, 128, 10};
    tt::Sequential trained = tt::make_mlp(sizes, 19);
    {
      tt::Adam adam(trained.params(), 1e-3F);
      tt::TrainOptions to;
      to.progress = false;
      to.epochs = quick ? 1 : 2;
      tt::bench::progress("training the MLP", 0, 1);
      tt::fit(trained, adam, train, to);
      tt::bench::progress("training the MLP", 1, 1);
    }
    auto clone = [&](tt::Sequential& from) {
      auto m = std::make_unique<tt::Sequential>(tt::make_mlp(sizes, 19));
      auto src = from.named_params();
      auto dst = m->named_params();
      for (std::size_t i = 0; i < src.size(); ++i) dst[i].second->value = src[i].second->value;
      m->set_training(false);
      return m;
    };
    auto int8 = clone(trained);
    tt::quant::PtqOptions po;
    po.calibration_batches = 4;
    tt::quant::quantize_model(*int8, train, po);
    // Magnitude pruning to 80% per layer, then one epoch of fine-tuning with the masks kept.
    auto pruned = clone(trained);
    {
      pruned->set_training(true);
      tt::compress::MagnitudePruner pr(*pruned);
      pr.prune(0.8, tt::compress::PruneScope::per_layer);
      tt::Adam adam(pruned->params(), 1e-3F);
      tt::TrainOptions to;
      to.progress = false;
      to.after_step = pr.hook();
      tt::bench::progress("fine-tuning the pruned MLP", 0, 1);
      tt::fit(*pruned, adam, train, to);
      tt::bench::progress("fine-tuning the pruned MLP", 1, 1);
      pr.remove();
      pruned->set_training(false);
    }
    auto pruned_int8 = clone(*pruned);
    tt::quant::quantize_model(*pruned_int8, train, po);
    tt::compress::sparsify_linears(*pruned);
    trained.set_training(false);

    const tt::compress::LayerBytes qbytes = [](tt::Module& m) -> std::size_t {
      if (auto* q = dynamic_cast<tt::quant::QuantizedLinear*>(&m)) return q->weight_bytes();
      return 0;
    };
    auto variant = [&](const std::string& name, tt::Sequential& m) {
      return Variant{name, [&m, &batch] { m.forward(batch.images); }, [&m, &test] { return tt::evaluate(m, test); },
                     [&m, qbytes] { return tt::compress::model_storage_bytes(m, qbytes); }};
    };
    tt::bench::progress("comparing MLP variants", 0, 1);
    const auto res = compare_optimizations(
        variant("fp32 MLP (optimized backend)", trained), variant("quantized: int8 (m17)", *int8),
        variant("pruned 80% + fine-tune + CSR (m18)", *pruned), Variant{"cached (n/a)", {}, {}, {}}, copt);
    tt::bench::progress("comparing MLP variants", 1, 1);
    add_comparison_table(report,
                         "compare_optimizations(baseline, quantized, pruned, cached) on the Fashion-MNIST MLP "
                         "784-256-128-10 (forward of 256 images; a KV cache does not apply to an MLP)",
                         res);

    const InteractionAnalyzer ia({"int8", "prune 80%"});
    tt::Sequential* models[4] = {&trained, int8.get(), pruned.get(), pruned_int8.get()};
    tt::bench::progress("factorial: int8 x pruning", 0, 1);
    const auto f = ia.time(
        [&](unsigned c) -> std::function<void()> {
          tt::Sequential* m = models[c];
          return [m, &batch] { m->forward(batch.images); };
        },
        copt);
    tt::bench::progress("factorial: int8 x pruning", 1, 1);
    add_factorial_table(
        report, "Interaction: int8 x pruning (MLP forward of 256 images; pruned+int8 is dense int8 with zeros)", f);
  } catch (const tt::error& e) {
    std::cout << "MLP comparison skipped: " << e.what() << "\n";
  }
#endif
  return report.finish();
}

}  // namespace

int main(int argc, char** argv) {
  const std::string svg_path = take_option(argc, argv, "--svg", "m19_roofline.svg");
  const std::string trace_path = take_option(argc, argv, "--trace", "m19_trace.json");
  return tt::bench::main_of(argc, argv, "m19_bench",
                            [&](const tt::bench::Args& args) { return bench(args, svg_path, trace_path); });
}
