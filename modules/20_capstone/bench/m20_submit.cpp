// m20_submit: builds your entry from the baseline, measures it with the harness and writes the submission file.
// Not the leaderboard (m20_leaderboard): it measures one entry on this machine.
// usage: m20_submit --name NAME [--out FILE] [--baseline DIR] [--queries N] [--sources ROOT]
#include <cstdio>
#include <fstream>
#include <map>
#include <string>

#include "tt/arg_numbers.hpp"
#include "tt/capstone/baseline.hpp"
#include "tt/capstone/harness.hpp"
#include "tt/capstone/scoring.hpp"

// The grader's build of a submission (kind "submission") defines no module directory: tt-grade
// passes --sources with the folder that holds the student's files.
#ifndef TT_M20_MODULE_DIR
#define TT_M20_MODULE_DIR "."
#endif

int main(int argc, char** argv) {
  std::string name = "my-entry", out = "submission.json", dir = tt::capstone::default_baseline_dir();
  std::string root = TT_M20_MODULE_DIR;
  std::size_t queries = 200;
  const auto usage = [](const std::string& problem) {
    std::fprintf(stderr,
                 "m20_submit: error: %s\n"
                 "usage: m20_submit --name NAME [--out FILE] [--baseline DIR] [--queries N] [--sources ROOT]\n",
                 problem.c_str());
    return 2;
  };
  const std::map<std::string, std::string*> texts{
      {"--name", &name}, {"--out", &out}, {"--baseline", &dir}, {"--sources", &root}};
  for (int i = 1; i < argc; i += 2) {
    const std::string a = argv[i];
    const auto text = texts.find(a);
    if (text == texts.end() && a != "--queries") return usage("unknown argument '" + a + "'");
    if (i + 1 >= argc) return usage(a + " needs a value");
    if (text != texts.end()) {
      *text->second = argv[i + 1];
      continue;
    }
    try {
      queries = tt::parse_count(a, argv[i + 1], 1, 100000);
    } catch (const tt::value_error& e) {
      return usage(e.what());
    }
  }
  try {
    using namespace tt::capstone;
    const Baseline b = load_or_make_baseline(dir);
    const tt::Dataset train = tt::load_fashion_mnist(tt::Split::train);
    const tt::Dataset test = tt::load_fashion_mnist(tt::Split::test);
    EntryOptions eo;
    eo.train = &train;
    eo.name = name;
    std::fprintf(stderr, "building the entry (prune, fine-tune, quantize)...\n");
    auto entry = make_entry(b, eo);
    tt::Sequential base = load_classifier(b);
    MeasureOptions mo;
    mo.queries = queries;
    mo.baseline_accuracy = b.accuracy;
    mo.baseline_bytes = classifier_bytes(base);
    mo.progress = [](const std::string& phase, std::size_t d, std::size_t t) {
      std::fprintf(stderr, "\r%-12s %zu/%zu%s", phase.c_str(), d, t, d == t ? "\n" : "");
    };
    const Measurement m = measure(*entry, test, mo);
    const auto digest = source_digest(root, digested_files());
    std::ofstream(out) << make_submission_json(name, entry->description(), m, capture_environment(), digest).dump(2)
                       << "\n";
    std::printf(
        "%s: p50 %.4f ms, p90 %.4f ms, %.0f images/s, accuracy %.4f (baseline %.4f, gate %s), %zu bytes, "
        "%.0f tokens/s -> %s\n",
        name.c_str(), m.latency_p50_ms, m.latency_p90_ms, m.throughput_ips, m.accuracy, b.accuracy,
        passes_gate(m.accuracy, b.accuracy) ? "passed" : "FAILED", m.model_bytes, m.generation_tokens_per_s,
        out.c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "m20_submit: %s\n", e.what());
    return 1;
  }
  return 0;
}
