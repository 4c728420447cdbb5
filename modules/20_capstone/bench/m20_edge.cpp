// m20_edge: the edge deployment challenge (README, "Deployment"): the classifier is made once on the development
// machine, exported, then loaded and served on the device (64-bit ARM; here qemu-aarch64 emulates it).
// Not the competition harness, and no timing: emulation measures instructions, bytes and answers, not seconds.
//
// ./scripts/bench 20 --target aarch64 runs the three steps:
//   m20_edge export --dir DIR                 (development machine) DIR/{entry,baseline}.model.json
//   m20_edge run --dir DIR --model M --where W [--queries N] [--no-accuracy]
//                                             loads DIR/M.model.json, serves N single-image queries (after
//                                             kWarmup), evaluates the test set; writes DIR/W-M.json
//   m20_edge report --dir DIR --queries N [--json FILE]
//                                             native vs edge runs + DIR/edge-M-q{0,N}.insns (instruction
//                                             counts of two runs under qemu's counting plugin) → tt-bench/1
#include <cstdio>
#include <fstream>
#include <map>
#include <string>

#include <nlohmann/json.hpp>
#include <xsimd/xsimd.hpp>

#include "tt/accel/backend.hpp"
#include "tt/arg_numbers.hpp"
#include "tt/bench/report.hpp"
#include "tt/blas.hpp"
#include "tt/capstone/baseline.hpp"
#include "tt/capstone/model_io.hpp"
#include "tt/capstone/remote_measure.hpp"
#include "tt/errors.hpp"
#include "tt/quant/gemm_i8.hpp"
#include "tt/tracking.hpp"
#include "tt/train.hpp"

namespace {

using json = nlohmann::json;
using namespace tt::capstone;

constexpr std::size_t kWarmup = 4;  // untimed queries first: one-time set-up stays out of the per-query count
constexpr double kInstructionTarget = 4;
const char* const kModels[] = {"baseline", "entry"};

struct Args {
  std::string mode, dir, model, where = "native", json_path;
  std::size_t queries = 0;
  bool accuracy = true;
};

Args parse(int argc, char** argv) {
  if (argc < 2) throw tt::value_error("usage: m20_edge export|run|report --dir DIR [options] (see the file's header)");
  Args a;
  a.mode = argv[1];
  for (int i = 2; i < argc; ++i) {
    const std::string k = argv[i];
    if (k == "--no-accuracy") {
      a.accuracy = false;
      continue;
    }
    if (i + 1 >= argc) throw tt::value_error(k + " needs a value");
    const std::string v = argv[++i];
    if (k == "--dir")
      a.dir = v;
    else if (k == "--model")
      a.model = v;
    else if (k == "--where")
      a.where = v;
    else if (k == "--queries")
      a.queries = tt::parse_count(k, v, 0, 100000);  // 0: the counted run without queries
    else if (k == "--json")
      a.json_path = v;
    else
      throw tt::value_error("unknown argument " + k + " (expected --dir, --model, --where, --queries, --json)");
  }
  if (a.dir.empty()) throw tt::value_error("--dir DIR is required");
  return a;
}

json read_json(const std::string& path) {
  std::ifstream in(path);
  if (!in)
    throw tt::data_error("cannot read " + path + " (run the earlier steps: ./scripts/bench 20 --target aarch64)");
  return json::parse(in);
}

void write_json(const std::string& path, const json& j) {
  std::ofstream out(path);
  out << j.dump() << "\n";
  if (!out) throw tt::data_error("cannot write " + path);
}

std::string model_path(const Args& a, const std::string& model) { return a.dir + "/" + model + ".model.json"; }

// Development machine: the fp32 baseline and the reference entry (pruned, fine-tuned, int8), as data.
void export_models(const Args& a) {
  const Baseline b = load_or_make_baseline(default_baseline_dir());
  tt::Sequential base = load_classifier(b);
  write_json(model_path(a, "baseline"), export_classifier(base));
  std::fprintf(stderr, "building the reference entry (prune, fine-tune, int8)...\n");
  auto entry = make_entry(b);
  write_json(model_path(a, "entry"), export_classifier(entry->classifier()));
}

// The device: the entry runs on the optimized backend, the baseline on the reference one (as in m20_bench).
tt::Backend& backend_of(const std::string& model) {
  return model == "entry" ? static_cast<tt::Backend&>(tt::accel::optimized_backend()) : tt::reference_backend();
}

void run_model(const Args& a) {
  if (a.model != "baseline" && a.model != "entry")
    throw tt::value_error("run: --model baseline|entry, got '" + a.model + "'");
  const tt::Dataset test = tt::load_fashion_mnist(tt::Split::test);
  const json exported = read_json(model_path(a, a.model));
  tt::BackendGuard guard(backend_of(a.model));
  json out;
  {
    tt::tracking::Scope scope;  // the model's tensors and the activations of single-image queries
    tt::Sequential model = import_classifier(exported);
    model.set_training(false);
    for (std::size_t q = 0; q < kWarmup + a.queries; ++q) model.forward(test_rows(test, q, 1));
    out = {{"model_bytes", classifier_bytes(model)}, {"peak_bytes", scope.peak_bytes()}};
    if (a.accuracy) {
      out["accuracy"] = tt::evaluate(model, test);
      out["test_images"] = test.size();
    }
  }
  out["queries"] = a.queries;
  out["backend"] = backend_of(a.model).name();
  out["simd"] = xsimd::default_arch::name();
  out["int8_kernel"] = tt::quant::to_string(tt::quant::best_kernel());
  out["flags"] = tt::bench::context()["flags"];
  write_json(a.dir + "/" + a.where + "-" + a.model + ".json", out);
}

double instructions_per_query(const Args& a, const std::string& model) {
  auto count = [&](std::size_t q) {
    const std::string path = a.dir + "/edge-" + model + "-q" + std::to_string(q) + ".insns";
    std::ifstream in(path);
    double n = -1;
    if (!(in >> n) || n < 0) throw tt::data_error("report: no instruction count in " + path);
    return n;
  };
  if (a.queries == 0) throw tt::value_error("report: --queries N must be the N of the counted run (> 0)");
  return (count(a.queries) - count(0)) / double(a.queries);
}

int report(const Args& a) {
  tt::bench::Args ra;
  ra.json_path = a.json_path;
  tt::bench::Report r("20-edge", ra);
  std::map<std::string, json> native, edge;
  std::map<std::string, double> ipq;
  for (const std::string m : kModels) {
    native[m] = read_json(a.dir + "/native-" + m + ".json");
    edge[m] = read_json(a.dir + "/edge-" + m + ".json");
    ipq[m] = instructions_per_query(a, m);
  }
  const auto& e = edge["entry"];
  bool equal = true;
  for (const std::string m : kModels) equal = equal && native[m]["accuracy"] == edge[m]["accuracy"];
  r.add({"edge_accuracy_equal",
         equal ? 1.0 : 0.0,
         "bool",
         "= 1",
         {{"entry_native", native["entry"]["accuracy"]},
          {"entry_edge", e["accuracy"]},
          {"baseline_native", native["baseline"]["accuracy"]},
          {"baseline_edge", edge["baseline"]["accuracy"]},
          {"test_images", e["test_images"]}}});
  r.add({"edge_model_bytes",
         e["model_bytes"].get<double>(),
         "bytes",
         "",
         {{"baseline", edge["baseline"]["model_bytes"]}}});
  r.add({"edge_peak_bytes",
         e["peak_bytes"].get<double>(),
         "bytes",
         "",
         {{"baseline", edge["baseline"]["peak_bytes"]},
          {"what", "tracked tensor bytes: model load and single-image queries"}}});
  r.add({"edge_instructions_per_query",
         ipq["entry"],
         "instructions",
         "",
         {{"baseline", ipq["baseline"]},
          {"queries", a.queries},
          {"counter", "qemu-aarch64 TCG plugin, guest instructions"}}});
  r.add({"edge_instructions_reduction",
         ipq["baseline"] / ipq["entry"],
         "ratio",
         ">= " + tt::bench::fmt(kInstructionTarget),
         {{"baseline_per_query", ipq["baseline"]}, {"entry_per_query", ipq["entry"]}}});
  std::vector<std::vector<std::string>> rows;
  for (const std::string m : kModels) {
    const auto& x = edge[m];
    rows.push_back({m, tt::bench::fmt(native[m]["accuracy"].get<double>(), 4),
                    tt::bench::fmt(x["accuracy"].get<double>(), 4), std::to_string(x["model_bytes"].get<std::size_t>()),
                    std::to_string(x["peak_bytes"].get<std::size_t>()), tt::bench::fmt(ipq[m]),
                    x["backend"].get<std::string>(), x["simd"].get<std::string>(),
                    x["int8_kernel"].get<std::string>()});
  }
  r.table("On the device (aarch64 under qemu): " + e["flags"].get<std::string>(),
          {"", "accuracy native", "accuracy edge", "model bytes", "peak bytes", "instructions/query", "backend", "simd",
           "int8 kernel"},
          rows);
  return r.finish();
}

}  // namespace

int main(int argc, char** argv) {
  try {
    tt::blas::set_num_threads(1);
    const Args a = parse(argc, argv);
    if (a.mode == "export") {
      export_models(a);
    } else if (a.mode == "run") {
      run_model(a);
    } else if (a.mode == "report") {
      return report(a);
    } else {
      throw tt::value_error("unknown mode '" + a.mode + "' (expected export, run or report)");
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "m20_edge: %s\n", e.what());
    return 1;
  }
  return 0;
}
