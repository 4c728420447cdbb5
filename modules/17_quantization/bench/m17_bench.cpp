// Module 17's numbers: int8 size, accuracy after post-training quantization, int8 GEMM and MLP speed.
// Not a unit test: nothing here asserts; the report judges the numbers against their targets.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "tt/accel/backend.hpp"
#include "tt/accel/matmul.hpp"
#include "tt/bench/report.hpp"
#include "tt/blas.hpp"
#include "tt/fashion_mnist.hpp"
#include "tt/matmul.hpp"
#include "tt/models.hpp"
#include "tt/npy.hpp"
#include "tt/optim.hpp"
#include "tt/quant/convert.hpp"
#include "tt/random.hpp"
#include "tt/timer.hpp"
#include "tt/tracking.hpp"
#include "tt/train.hpp"

namespace fs = std::filesystem;
using tt::bench::fmt;

namespace {

constexpr std::uint64_t kSeed = 42;
constexpr std::size_t kBatch = 64;
constexpr float kLearningRate = 1e-3F;
constexpr float kLrDecay = 0.5F;  // the learning rate halves after every epoch (as the core bench)
constexpr int kMlpEpochs = 5;
constexpr int kCnnEpochs = 3;
constexpr std::size_t kQuickTrain = 3000;
constexpr std::size_t kQuickTest = 1000;
constexpr std::size_t kCalibrationBatches = 8;  // × 256 training images
constexpr std::size_t kCalibrationBatch = 256;
constexpr std::size_t kGemmFull = 1024;
constexpr std::size_t kGemmQuick = 256;
constexpr std::size_t kInferenceBatch = 256;

enum class Arch { mlp, cnn };
const char* arch_name(Arch a) { return a == Arch::mlp ? "mlp" : "cnn"; }

tt::Sequential build(Arch a) { return a == Arch::mlp ? tt::make_mlp({784, 256, 128, 10}, kSeed) : tt::make_cnn(kSeed); }

struct Trained {
  fs::path dir;          // the cached .npy weights
  double fp32_accuracy;  // on the test set
  bool from_cache;
};

// Trains the fp32 model with tt::fit on the BLAS backend (or loads the cached weights of an
// identical earlier run) and returns where its weights are.
Trained train_or_load(Arch a, const tt::Dataset& train, const tt::Dataset& test, int epochs, const fs::path& cache) {
  const fs::path dir = cache / (std::string(arch_name(a)) + "_e" + std::to_string(epochs) + "_n" +
                                std::to_string(train.size()) + "_s" + std::to_string(kSeed));
  tt::Sequential model = build(a);
  tt::BackendGuard guard(tt::blas_backend());
  bool cached = false;
  if (fs::exists(dir / "done")) {
    try {
      tt::load_weights(model.named_params(), dir.string());
      cached = true;
      std::cerr << arch_name(a) << ": loaded cached fp32 weights from " << dir << "\n";
    } catch (const tt::error& e) {
      std::cerr << arch_name(a) << ": cache unusable (" << e.what() << "), training again\n";
    }
  }
  if (!cached) {
    tt::Adam opt(model.params(), kLearningRate);
    for (int e = 1; e <= epochs; ++e) {
      opt.lr = kLearningRate * std::pow(kLrDecay, static_cast<float>(e - 1));
      std::cerr << arch_name(a) << ": training epoch " << e << " of " << epochs << " (" << train.size() << " images)\n";
      tt::TrainOptions o;
      o.batch_size = kBatch;
      o.epochs = 1;
      o.seed = kSeed + static_cast<std::uint64_t>(e);
      tt::fit(model, opt, train, o);
    }
    fs::create_directories(dir);
    tt::save_weights(model.named_params(), dir.string());
    std::FILE* f = std::fopen((dir / "done").c_str(), "w");
    if (f != nullptr) std::fclose(f);
  }
  const double acc = tt::evaluate(model, test);
  std::cerr << arch_name(a) << ": fp32 test accuracy " << fmt(acc, 4) << "\n";
  return {dir, acc, cached};
}

tt::Sequential load(Arch a, const Trained& t) {
  tt::Sequential model = build(a);
  tt::load_weights(model.named_params(), t.dir.string());
  return model;
}

struct PtqResult {
  double accuracy = 0;
  tt::quant::PtqReport report;
};

PtqResult run_ptq(Arch a, const Trained& t, const tt::Dataset& calib, const tt::Dataset& test,
                  const tt::quant::Observer& observer, bool per_channel, std::size_t batches,
                  std::unique_ptr<tt::Sequential>* keep = nullptr) {
  auto model = std::make_unique<tt::Sequential>(load(a, t));
  tt::quant::PtqOptions o;
  o.calibration_batches = batches;
  o.batch_size = kCalibrationBatch;
  o.per_channel_weights = per_channel;
  o.observer = &observer;
  PtqResult r;
  r.report = tt::quant::quantize_model(*model, calib, o);
  r.accuracy = tt::evaluate(*model, test);
  if (keep != nullptr) *keep = std::move(model);
  return r;
}

nlohmann::json layers_json(const tt::quant::PtqReport& rep) {
  nlohmann::json j = nlohmann::json::array();
  for (const auto& l : rep.layers) {
    j.push_back({{"index", l.index},
                 {"before", l.before},
                 {"after", l.after},
                 {"bytes_before", l.bytes_before},
                 {"bytes_after", l.bytes_after},
                 {"weight_bytes_fp32", l.weight_bytes_fp32},
                 {"weight_bytes_int8", l.weight_bytes_int8},
                 {"sqnr_db", l.sqnr},
                 {"input_range", {l.input_range.min, l.input_range.max}}});
  }
  return j;
}

// Random int8 matrix, every value of [-128, 127] equally likely.
tt::TensorI8 random_i8(const tt::Shape& shape, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> d(-128, 127);
  tt::TensorI8 t = tt::TensorI8::from_shape(shape);
  for (auto& v : t) v = static_cast<std::int8_t>(d(rng));
  return t;
}

void bench_gemm(tt::bench::Report& r) {
  const std::size_t n = r.args().quick ? kGemmQuick : kGemmFull;
  const int threads_before = tt::blas::num_threads();
  tt::blas::set_num_threads(1);
  std::cerr << "int8 GEMM vs fp32 at " << n << "^3, single thread (kernel "
            << tt::quant::to_string(tt::quant::best_kernel()) << ")\n";
  const tt::TensorI8 a8 = random_i8({n, n}, 1);
  const tt::quant::PackedI8 b8(random_i8({n, n}, 2));
  tt::TensorI32 c32 = tt::TensorI32::from_shape({n, n});
  tt::Rng rng(3);
  const tt::Tensor a = tt::rand_uniform({n, n}, -1.0F, 1.0F, rng);
  const tt::Tensor b = tt::rand_uniform({n, n}, -1.0F, 1.0F, rng);
  tt::Tensor c = tt::zeros({n, n});
  // Correctness first: the fast kernel against the reference on this very input.
  if (n <= kGemmQuick) {
    tt::quant::gemm_i8(a8, b8, c32);
    const tt::TensorI32 ref = tt::quant::matmul_i8_reference(a8, b8.unpack());
    if (!(ref == c32)) std::cerr << "WARNING: int8 GEMM differs from the reference\n";
  }
  tt::timing::Options opt;
  opt.warmup = 1;
  opt.runs = r.args().quick ? 3 : 7;
  const auto stats =
      tt::timing::interleaved({[&] { tt::quant::gemm_i8(a8, b8, c32); },
                               [&] { tt::accel::matmul_simd(tt::view(a), tt::view(b), tt::view_mut(c)); },
                               [&] { tt::blas::sgemm(tt::view(a), tt::view(b), tt::view_mut(c)); }},
                              opt);
  const double ops = 2.0 * static_cast<double>(n) * static_cast<double>(n) * static_cast<double>(n);
  const double int8_gops = ops / stats[0].median * 1e-9;
  const double simd_gflops = ops / stats[1].median * 1e-9;
  const double blas_gflops = ops / stats[2].median * 1e-9;
  // The portable fallback once, on a smaller problem (it is the slow path).
  const std::size_t np = 256;
  const tt::TensorI8 ap = random_i8({np, np}, 4);
  const tt::quant::PackedI8 bp(random_i8({np, np}, 5));
  tt::TensorI32 cp;
  const auto portable =
      tt::timing::measure([&] { tt::quant::gemm_i8(ap, bp, cp, tt::quant::GemmKernel::portable); }, {1, 3, 0.0});
  const double portable_gops = 2.0 * np * np * np / portable.median * 1e-9;
  const nlohmann::json detail = {{"n", n},
                                 {"kernel", tt::quant::to_string(tt::quant::best_kernel())},
                                 {"int8_gops", int8_gops},
                                 {"fp32_simd_gflops", simd_gflops},
                                 {"openblas_sgemm_1thread_gflops", blas_gflops},
                                 {"int8_seconds", stats[0].median},
                                 {"simd_seconds", stats[1].median},
                                 {"blas_seconds", stats[2].median},
                                 {"spread", {stats[0].spread(), stats[1].spread(), stats[2].spread()}},
                                 {"runs", opt.runs},
                                 {"portable_gops_256", portable_gops}};
  r.add({"int8_gemm_vs_fp32_simd_1024", stats[1].median / stats[0].median, "ratio", ">= 2.0", detail});
  r.add({"int8_gemm_vs_openblas_sgemm_1024", stats[2].median / stats[0].median, "ratio", "", detail});
  tt::blas::set_num_threads(threads_before);
}

void bench_mlp_speed(tt::bench::Report& r, tt::Sequential& fp32, tt::Sequential& int8, const tt::Dataset& test) {
  const tt::Tensor x = test.slice(0, kInferenceBatch).images;
  fp32.set_training(false);
  int8.set_training(false);
  tt::timing::Options opt;
  opt.warmup = 2;
  opt.runs = r.args().quick ? 5 : 15;
  opt.min_seconds = r.args().quick ? 0.01 : 0.05;
  tt::accel::OptimizedBackend single({.threads = 1});
  const auto stats = tt::timing::interleaved({[&] {
                                                tt::BackendGuard g(tt::accel::optimized_backend());
                                                (void)fp32.forward(x);
                                              },
                                              [&] {
                                                tt::BackendGuard g(single);
                                                (void)fp32.forward(x);
                                              },
                                              [&] { (void)int8.forward(x); }},
                                             opt);
  const nlohmann::json detail = {{"batch", kInferenceBatch},
                                 {"fp32_optimized_ms", stats[0].median * 1e3},
                                 {"fp32_optimized_threads", tt::accel::optimized_backend().threads()},
                                 {"fp32_optimized_1thread_ms", stats[1].median * 1e3},
                                 {"int8_ms", stats[2].median * 1e3},
                                 {"int8_threads", 1},
                                 {"int8_vs_fp32_1thread", stats[1].median / stats[2].median},
                                 {"spread", {stats[0].spread(), stats[1].spread(), stats[2].spread()}},
                                 {"runs", opt.runs}};
  r.add({"int8_mlp_vs_fp32_mlp_b256", stats[0].median / stats[2].median, "ratio", "> 1.0", detail});
}

int bench(const tt::bench::Args& args) {
  tt::bench::Report r("17", args);
  const bool quick = args.quick;
  try {
    const fs::path cache = fs::absolute(fs::path(args.program)).parent_path() / "m17_weights";
    std::cerr << "loading Fashion-MNIST from " << tt::fashion_mnist_dir() << "\n";
    const tt::Dataset train = tt::load_fashion_mnist(tt::Split::train, quick ? kQuickTrain : 0);
    const tt::Dataset test = tt::load_fashion_mnist(tt::Split::test, quick ? kQuickTest : 0);
    const std::size_t batches = quick ? 2 : kCalibrationBatches;

    bench_gemm(r);

    const Trained mlp = train_or_load(Arch::mlp, train, test, quick ? 1 : kMlpEpochs, cache);
    const Trained cnn = train_or_load(Arch::cnn, train, test, quick ? 1 : kCnnEpochs, cache);

    // The headline conversion: min-max calibration, per-channel symmetric int8 weights.
    const tt::quant::MinMaxObserver minmax;
    std::unique_ptr<tt::Sequential> mlp_int8;
    const PtqResult mlp_q = run_ptq(Arch::mlp, mlp, train, test, minmax, true, batches, &mlp_int8);
    const PtqResult cnn_q = run_ptq(Arch::cnn, cnn, train, test, minmax, true, batches);
    std::cerr << "mlp int8 layers:\n" << mlp_q.report.summary() << "cnn int8 layers:\n" << cnn_q.report.summary();

    r.add({"size_ratio",
           mlp_q.report.size_ratio(),
           "ratio",
           ">= 3.9",
           {{"model", "MLP 784-256-128-10"},
            {"what", "fp32 weight bytes / (int8 weights + column sums + scales + zero points)"},
            {"cnn_size_ratio", cnn_q.report.size_ratio()},
            {"mlp_tracked_bytes_before", mlp_q.report.bytes_before()},
            {"mlp_tracked_bytes_after", mlp_q.report.bytes_after()},
            {"cnn_tracked_bytes_before", cnn_q.report.bytes_before()},
            {"cnn_tracked_bytes_after", cnn_q.report.bytes_after()},
            {"mlp_layers", layers_json(mlp_q.report)},
            {"cnn_layers", layers_json(cnn_q.report)}}});
    const auto drop = [](double fp, double q) { return (fp - q) * 100.0; };
    r.add({"mlp_int8_accuracy_drop_pp",
           drop(mlp.fp32_accuracy, mlp_q.accuracy),
           "pp",
           "<= 0.5",
           {{"fp32_accuracy", mlp.fp32_accuracy},
            {"int8_accuracy", mlp_q.accuracy},
            {"test_images", test.size()},
            {"train_images", train.size()},
            {"epochs", quick ? 1 : kMlpEpochs},
            {"observer", "minmax"},
            {"weights", "symmetric per-channel"},
            {"calibration_images", batches * kCalibrationBatch},
            {"cached_fp32_weights", mlp.from_cache}}});
    r.add({"cnn_int8_accuracy_drop_pp",
           drop(cnn.fp32_accuracy, cnn_q.accuracy),
           "pp",
           "<= 0.5",
           {{"fp32_accuracy", cnn.fp32_accuracy},
            {"int8_accuracy", cnn_q.accuracy},
            {"test_images", test.size()},
            {"train_images", train.size()},
            {"epochs", quick ? 1 : kCnnEpochs},
            {"observer", "minmax"},
            {"weights", "symmetric per-channel"},
            {"calibration_images", batches * kCalibrationBatch},
            {"cached_fp32_weights", cnn.from_cache}}});

    // Per-layer error of the headline conversion.
    std::vector<std::vector<std::string>> sq;
    for (const auto& [name, rep] : {std::pair{"MLP", &mlp_q.report}, std::pair{"CNN", &cnn_q.report}}) {
      for (const auto& l : rep->layers) {
        sq.push_back({name, std::to_string(l.index), l.before, std::to_string(l.weight_bytes_fp32),
                      std::to_string(l.weight_bytes_int8), fmt(l.sqnr, 3)});
      }
    }
    r.table("Per-layer SQNR (min-max calibration, per-channel weights)",
            {"model", "layer", "fp32 layer", "fp32 weight bytes", "int8 weight bytes", "SQNR dB"}, sq);

    // The calibration comparison: every observer, both models, accuracy on the same test set.
    const tt::quant::MovingAverageMinMaxObserver moving(0.1F);
    const tt::quant::PercentileObserver pct(99.99);
    const tt::quant::MseObserver mse;
    struct Row {
      std::string label;
      const tt::quant::Observer* obs;
      bool per_channel;
    };
    const std::vector<Row> rows = {{"min-max", &minmax, true},
                                   {"moving-average min-max (0.1)", &moving, true},
                                   {"percentile 99.99%", &pct, true},
                                   {"MSE clipping search", &mse, true},
                                   {"min-max, per-tensor weights", &minmax, false}};
    std::vector<std::vector<std::string>> table;
    table.push_back(
        {"fp32 (no quantization)", fmt(mlp.fp32_accuracy * 100, 4), "-", fmt(cnn.fp32_accuracy * 100, 4), "-"});
    std::size_t done = 0;
    for (const auto& row : rows) {
      tt::bench::progress("calibration table", done++, rows.size());
      const PtqResult m = row.obs == &minmax && row.per_channel
                              ? mlp_q
                              : run_ptq(Arch::mlp, mlp, train, test, *row.obs, row.per_channel, batches);
      const PtqResult c = row.obs == &minmax && row.per_channel
                              ? cnn_q
                              : run_ptq(Arch::cnn, cnn, train, test, *row.obs, row.per_channel, batches);
      table.push_back({row.label, fmt(m.accuracy * 100, 4), fmt(drop(mlp.fp32_accuracy, m.accuracy), 2),
                       fmt(c.accuracy * 100, 4), fmt(drop(cnn.fp32_accuracy, c.accuracy), 2)});
    }
    tt::bench::progress("calibration table", rows.size(), rows.size());
    r.table("Calibration: test accuracy (%) after int8 post-training quantization (" +
                std::to_string(batches * kCalibrationBatch) + " calibration images)",
            {"observer", "MLP acc %", "MLP drop pp", "CNN acc %", "CNN drop pp"}, table);

    tt::Sequential mlp_fp32 = load(Arch::mlp, mlp);
    bench_mlp_speed(r, mlp_fp32, *mlp_int8, test);
  } catch (const tt::error& e) {
    std::cerr << "m17_bench: " << e.what() << "\n";
    r.finish();
    return 1;
  }
  return r.finish();
}

}  // namespace

int main(int argc, char** argv) { return tt::bench::main_of(argc, argv, "m17_bench", bench); }
