// Module 20 benchmark: the reference entry against the fp32 baseline on the reference (naive) backend, same run.
// Not a unit test: the harness measures both; numbers are reported against the targets, never asserted.
#include <cstdio>
#include <string>

#include "tt/bench/report.hpp"
#include "tt/blas.hpp"
#include "tt/capstone/baseline.hpp"
#include "tt/capstone/harness.hpp"
#include "tt/capstone/scoring.hpp"
#include "tt/matmul.hpp"
#include "tt/timer.hpp"

namespace {

using json = nlohmann::json;
using namespace tt::capstone;

struct Plan {
  std::size_t train_n, test_n, queries, gen_tokens;
  int baseline_epochs;
  std::string baseline_dir;
};

Plan make_plan(bool quick) {
  // --quick: its own small baseline (10,000 training images, 1 epoch) so a fresh checkout stays
  // under 30 s; the full run uses the cached baseline of m20_make_baseline.
  if (quick) return {10000, 2000, 60, 64, 1, default_baseline_dir() + "-quick"};
  return {0, 0, 200, 256, 3, default_baseline_dir()};
}

json measurement_json(const Measurement& m) {
  return {{"latency_p50_ms", m.latency_p50_ms},
          {"latency_p90_ms", m.latency_p90_ms},
          {"throughput_ips", m.throughput_ips},
          {"accuracy", m.accuracy},
          {"test_images", m.test_images},
          {"model_bytes", m.model_bytes},
          {"generation_tokens_per_s", m.generation_tokens_per_s},
          {"generation_tokens", m.generation_tokens},
          {"generation_peak_bytes", m.generation_peak_bytes},
          {"tracked_peak_bytes", m.tracked_peak_bytes},
          {"max_rss_bytes", m.max_rss_bytes},
          {"queries", m.queries}};
}

int bench(tt::bench::Args args) {
  tt::bench::Report r("20", args);
  tt::blas::set_num_threads(1);
  const Plan plan = make_plan(args.quick);
  try {
    BaselineOptions bo;
    bo.train_images = plan.train_n;
    bo.test_images = plan.test_n;
    bo.epochs = plan.baseline_epochs;
    std::fprintf(stderr, "baseline: %s (trained and cached on first run)\n", plan.baseline_dir.c_str());
    const Baseline b = load_or_make_baseline(plan.baseline_dir, bo);
    const tt::Dataset train = tt::load_fashion_mnist(tt::Split::train, plan.train_n);
    const tt::Dataset test = tt::load_fashion_mnist(tt::Split::test, plan.test_n);

    std::fprintf(stderr, "building the reference entry (prune, fine-tune, int8)...\n");
    EntryOptions eo;
    eo.train = &train;
    eo.name = "reference";
    auto entry = make_entry(b, eo);
    auto base = make_baseline_submission(b, &tt::reference_backend());
    tt::Sequential base_model = load_classifier(b);

    MeasureOptions mo;
    mo.queries = plan.queries;
    mo.generation_tokens = plan.gen_tokens;
    mo.baseline_accuracy = b.accuracy;
    mo.baseline_bytes = classifier_bytes(base_model);
    mo.progress = [](const std::string& phase, std::size_t d, std::size_t t) { tt::bench::progress(phase, d, t); };
    std::fprintf(stderr, "measuring the fp32 baseline (reference backend, no cache)...\n");
    const Measurement mb = measure(*base, test, mo);
    std::fprintf(stderr, "measuring the reference entry...\n");
    const Measurement me = measure(*entry, test, mo);

    // An interleaved single-query A/B as a cross-check of the harness's sequential p50s.
    const tt::Tensor one = test.slice(0, 1).images;
    tt::timing::Options topt;
    topt.runs = args.quick ? 7 : 21;
    topt.min_seconds = 0.002;
    const auto cmp = tt::timing::compare([&] { base->classify(one); }, [&] { entry->classify(one); }, topt);

    r.add({"capstone_latency_speedup",
           mb.latency_p50_ms / me.latency_p50_ms,
           "ratio",
           ">= 5",
           {{"baseline_p50_ms", mb.latency_p50_ms},
            {"entry_p50_ms", me.latency_p50_ms},
            {"baseline_p90_ms", mb.latency_p90_ms},
            {"entry_p90_ms", me.latency_p90_ms},
            {"queries", mo.queries},
            {"interleaved_ratio", cmp.ratio()},
            {"interleaved_spread", {cmp.a.spread(), cmp.b.spread()}},
            {"baseline_backend", "reference"},
            {"baseline", measurement_json(mb)},
            {"entry", measurement_json(me)}}});
    r.add({"capstone_size_ratio",
           double(mb.model_bytes) / double(me.model_bytes),
           "ratio",
           ">= 4",
           {{"baseline_bytes", mb.model_bytes}, {"entry_bytes", me.model_bytes}}});
    r.add({"capstone_accuracy_ratio",
           me.accuracy / mb.accuracy,
           "ratio",
           ">= 0.99",
           {{"baseline_accuracy", mb.accuracy},
            {"entry_accuracy", me.accuracy},
            {"test_images", me.test_images},
            {"gate_passed", passes_gate(me.accuracy, mb.accuracy)}}});
    r.add({"capstone_generation_speedup_256",
           me.generation_tokens_per_s / mb.generation_tokens_per_s,
           "ratio",
           ">= 20",
           {{"baseline_tokens_per_s", mb.generation_tokens_per_s},
            {"entry_tokens_per_s", me.generation_tokens_per_s},
            {"tokens", mo.generation_tokens},
            {"prompt_tokens", mo.prompt_tokens},
            {"baseline_peak_bytes", mb.generation_peak_bytes},
            {"entry_peak_bytes", me.generation_peak_bytes}}});
    auto f = [](double v) { return tt::bench::fmt(v); };
    r.table("Baseline (fp32, reference backend, no cache) vs the reference entry",
            {"", "p50 ms", "p90 ms", "images/s @256", "accuracy", "classifier bytes", "tokens/s", "gen peak bytes",
             "max RSS MiB"},
            {{"baseline", f(mb.latency_p50_ms), f(mb.latency_p90_ms), f(mb.throughput_ips), f(mb.accuracy),
              std::to_string(mb.model_bytes), f(mb.generation_tokens_per_s), std::to_string(mb.generation_peak_bytes),
              f(double(mb.max_rss_bytes) / (1 << 20))},
             {"reference entry", f(me.latency_p50_ms), f(me.latency_p90_ms), f(me.throughput_ips), f(me.accuracy),
              std::to_string(me.model_bytes), f(me.generation_tokens_per_s), std::to_string(me.generation_peak_bytes),
              f(double(me.max_rss_bytes) / (1 << 20))}});
  } catch (const std::exception& e) {
    std::fprintf(stderr, "m20_bench: %s\n", e.what());
    return 1;
  }
  return r.finish();
}

}  // namespace

int main(int argc, char** argv) { return tt::bench::main_of(argc, argv, "m20_bench", bench); }
