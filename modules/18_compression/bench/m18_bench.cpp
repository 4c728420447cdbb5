// Module 18 benchmark: unstructured and structured pruning, CSR kernels and distillation on the
// Fashion-MNIST MLP 784-256-128-10, with the metric names of the module's issue.
// Not a unit test: numbers are measured and reported, never asserted (tests/ checks correctness).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <numeric>
#include <string>
#include <vector>

#include "tt/accel/backend.hpp"
#include "tt/bench/report.hpp"
#include "tt/blas.hpp"
#include "tt/compress/csr.hpp"
#include "tt/compress/distillation.hpp"
#include "tt/compress/magnitude_pruner.hpp"
#include "tt/compress/pipeline.hpp"
#include "tt/compress/sparsity.hpp"
#include "tt/compress/structured_pruner.hpp"
#include "tt/fashion_mnist.hpp"
#include "tt/linear.hpp"
#include "tt/matmul.hpp"
#include "tt/models.hpp"
#include "tt/npy.hpp"
#include "tt/optim.hpp"
#include "tt/timer.hpp"
#include "tt/train.hpp"
#if __has_include("tt/quant/convert.hpp")
#include "tt/quant/convert.hpp"
#define M18_HAVE_QUANT 1
#endif

namespace {

using json = nlohmann::json;
namespace compress = tt::compress;

const std::vector<std::size_t> kTeacherSizes{784, 256, 128, 10};
const std::vector<std::size_t> kStudentSizes{784, 64, 10};
constexpr std::uint64_t kTeacherSeed = 0;
constexpr float kLr = 1e-3F;
constexpr float kFinetuneLr = 5e-4F;
constexpr std::size_t kBatch = 64;
constexpr float kTemperature = 4.0F;
constexpr float kAlpha = 0.7F;

// Sizes of one run: the full benchmark or the --quick smoke test.
struct Plan {
  std::size_t train_n, test_n;  // 0 = all
  int teacher_epochs, finetune_epochs, structured_epochs;
  std::size_t kd_train_n;
  int kd_epochs, kd_seeds;
  int kernel_runs;
  std::vector<double> grid;  // sparsities for the crossover
};

Plan make_plan(bool quick) {
  if (quick) return {4000, 1000, 1, 1, 1, 2000, 1, 1, 7, {0.5, 0.8, 0.9, 0.95, 0.99}};
  return {0, 0, 4, 2, 2, 20000, 4, 3, 41, {0.0, 0.3, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.98, 0.99}};
}

// A copy of an MLP (same sizes) with the same weights.
tt::Sequential clone_mlp(tt::Sequential& src, const std::vector<std::size_t>& sizes) {
  tt::Sequential dst = tt::make_mlp(sizes, 0);
  auto a = src.params(), b = dst.params();
  for (std::size_t i = 0; i < a.size(); ++i) b[i]->value = a[i]->value;
  return dst;
}

void train(tt::Sequential& m, const tt::Dataset& data, int epochs, float lr, std::uint64_t seed,
           std::function<void()> after_step = {}) {
  tt::Adam opt(m.params(), lr);
  tt::TrainOptions o;
  o.batch_size = kBatch;
  o.epochs = epochs;
  o.seed = seed;
  o.after_step = std::move(after_step);
  tt::fit(m, opt, data, o);
}

// The trained 784-256-128-10 teacher/baseline, cached as .npy beside the benchmark binary.
tt::Sequential trained_baseline(const tt::Dataset& train_set, const Plan& plan, const std::string& cache_root) {
  tt::Sequential m = tt::make_mlp(kTeacherSizes, kTeacherSeed);
  const std::string dir = cache_root + "/mlp_784_256_128_10_seed" + std::to_string(kTeacherSeed) + "_e" +
                          std::to_string(plan.teacher_epochs) + "_n" + std::to_string(train_set.size());
  if (std::filesystem::exists(dir + "/1.weight.npy")) {
    try {
      tt::load_weights(m.named_params(), dir);
      std::fprintf(stderr, "  baseline: loaded cached weights from %s\n", dir.c_str());
      return m;
    } catch (const tt::error& e) {
      std::fprintf(stderr, "  baseline: cache unusable (%s); retraining\n", e.what());
    }
  }
  std::fprintf(stderr, "  baseline: training %d epoch(s) on %zu images\n", plan.teacher_epochs, train_set.size());
  train(m, train_set, plan.teacher_epochs, kLr, kTeacherSeed);
  tt::save_weights(m.named_params(), dir);
  return m;
}

// W with its smallest-|w| share `s` set to 0 (one threshold for the matrix).
tt::Tensor prune_copy(const tt::Tensor& w, double s) {
  tt::Sequential holder;
  holder.emplace<tt::Linear>(tt::Tensor(w), tt::Tensor::from_shape({0}));
  compress::MagnitudePruner p(holder);
  p.prune(s, compress::PruneScope::per_layer);
  return holder.as<tt::Linear>(0)->weight.value;
}

tt::Tensor flat_images(const tt::Dataset& d, std::size_t n) {
  tt::Tensor x = d.slice(0, n).images;
  x.reshape({std::min(n, d.size()), 784});
  return x;
}

// Module 15's optimized backend restricted to one thread (same kernels and thresholds otherwise).
tt::Backend& single_thread_backend() {
  static tt::accel::OptimizedBackend b([] {
    tt::accel::Thresholds t;
    t.threads = 1;
    return t;
  }());
  return b;
}

struct KernelTimes {
  // median seconds per call: dense optimized backend (its own thread count T), CSR with T
  // threads, dense optimized with 1 thread, CSR with 1 thread, OpenBLAS with 1 thread
  double dense_opt, csr, dense_opt_1t, csr_1t, dense_blas_1t;
  double dense_opt_min, csr_min;  // fastest runs, for a noisy machine
  double spread;
};

// y = x · Wᵀ, all variants interleaved.
KernelTimes time_kernels(const tt::Tensor& x, const tt::Tensor& w, const compress::CsrMatrix& csr, int runs) {
  const int threads = tt::accel::optimized_backend().threads();
  tt::Backend& single_thread = single_thread_backend();
  // One call per sample, many samples: on a shared machine short samples are rarely preempted,
  // so their median is close to the undisturbed time (long samples almost always are).
  tt::timing::Options opt;
  opt.runs = runs;
  opt.warmup = 3;
  opt.min_seconds = 0;
  volatile float sink = 0;
  auto dense_with = [&](tt::Backend& b) {
    return [&x, &w, &b, &sink] {
      tt::BackendGuard g(b);
      sink = sink + tt::matmul_nt(x, w).data()[0];
    };
  };
  const auto stats = tt::timing::interleaved(
      {dense_with(tt::accel::optimized_backend()),
       [&] { sink = sink + compress::csr_matmul_nt(x, csr, threads).data()[0]; }, dense_with(single_thread),
       [&] { sink = sink + compress::csr_matmul_nt(x, csr, 1).data()[0]; }, dense_with(tt::blas_backend())},
      opt);
  double spread = 0;
  for (const auto& s : stats) spread = std::max(spread, s.spread());
  return {stats[0].median, stats[1].median, stats[2].median, stats[3].median,
          stats[4].median, stats[0].min,    stats[1].min,    spread};
}

// Lowest sparsity at which CSR is faster than dense, interpolated linearly in log(ratio)
// between the grid points around the switch; 1.0 if it never is.
double crossover(const std::vector<double>& grid, const std::vector<double>& ratio) {
  for (std::size_t i = 0; i < grid.size(); ++i) {
    if (ratio[i] >= 1.0) {
      if (i == 0) return grid[0];
      const double a = std::log(ratio[i - 1]), b = std::log(ratio[i]);
      return grid[i - 1] + (grid[i] - grid[i - 1]) * (0 - a) / (b - a);
    }
  }
  return 1.0;
}

int bench(const tt::bench::Args& args) {
  tt::bench::Report r("18", args);
  const Plan plan = make_plan(args.quick);
  tt::blas::set_num_threads(1);
  tt::BackendGuard backend(tt::accel::optimized_backend());
  const std::string cache = (std::filesystem::absolute(args.program).parent_path() / "m18_cache").string();

  const tt::Dataset train_set = tt::load_fashion_mnist(tt::Split::train, plan.train_n);
  const tt::Dataset test_set = tt::load_fashion_mnist(tt::Split::test, plan.test_n);
  const double t_start = tt::timing::now_seconds();

  // --- the baseline / teacher -------------------------------------------------------------
  tt::bench::progress("baseline", 0, 1);
  tt::Sequential baseline = trained_baseline(train_set, plan, cache);
  const double base_acc = tt::evaluate(baseline, test_set);
  tt::bench::progress("baseline", 1, 1);
  std::fprintf(stderr, "  baseline test accuracy %.4f\n", base_acc);

  // --- Part 1 + 5: 90% unstructured sparsity through the pipeline ----------------------------
  {
    tt::Sequential m = clone_mlp(baseline, kTeacherSizes);
    compress::PipelineOptions o;
    o.sparsity = 0.9;
    o.scope = compress::PruneScope::global;
    o.finetune_epochs = plan.finetune_epochs;
    o.lr = kFinetuneLr;
    o.batch_size = kBatch;
    o.seed = 1;
    o.latency_batch = 1;
    o.latency_runs = args.quick ? 5 : 51;
#ifdef M18_HAVE_QUANT
    o.quantize = [&](tt::Sequential& model) { (void)tt::quant::quantize_model(model, train_set); };
    o.other_bytes = [](tt::Module& layer) -> std::size_t {
      if (auto* q = dynamic_cast<tt::quant::QuantizedLinear*>(&layer)) return q->weight_bytes() + 4 * q->out_features();
      return 0;
    };
#endif
    const auto stages = compress::run_pipeline(m, train_set, test_set, o);
    const double ft_acc = stages[2].accuracy;
    std::vector<std::vector<std::string>> rows;
    json detail_stages = json::array();
    for (const auto& s : stages) {
      rows.push_back({s.stage, std::to_string(s.bytes / 1024) + " KiB", tt::bench::fmt(100 * s.sparsity, 1) + " %",
                      tt::bench::fmt(100 * s.accuracy, 2) + " %", tt::bench::fmt(1e3 * s.latency_ms, 1) + " us"});
      detail_stages.push_back({{"stage", s.stage},
                               {"bytes", s.bytes},
                               {"sparsity", s.sparsity},
                               {"accuracy", s.accuracy},
                               {"latency_ms_b1", s.latency_ms}});
    }
    r.table("Pipeline (784-256-128-10, 90% global magnitude pruning, batch-1 latency)",
            {"step", "size", "sparsity", "test accuracy", "latency"}, rows);
    r.add({"sparse90_accuracy_drop_pp",
           100 * (base_acc - ft_acc),
           "pp",
           "<= 1.0",
           {{"baseline_accuracy", base_acc},
            {"pruned_accuracy_before_finetune", stages[1].accuracy},
            {"finetuned_accuracy", ft_acc},
            {"finetune_epochs", plan.finetune_epochs},
            {"finetune_lr", kFinetuneLr},
            {"scope", "global"},
            {"train_images", train_set.size()},
            {"test_images", test_set.size()},
            {"stages", detail_stages}}});
  }

  // --- Part 2: CSR vs the dense optimized kernel, layer 1 (256 x 784) of the trained model -------
  {
    const tt::Tensor w = baseline.as<tt::Linear>(1)->weight.value;
    std::vector<std::vector<std::string>> rows;
    json detail = json::object();
    for (std::size_t batch : {std::size_t{1}, std::size_t{256}}) {
      const tt::Tensor x = flat_images(test_set, batch);
      std::vector<double> ratio;
      json points = json::array();
      for (std::size_t i = 0; i < plan.grid.size(); ++i) {
        tt::bench::progress("CSR vs dense, batch " + std::to_string(batch), i, plan.grid.size());
        const double s = plan.grid[i];
        const tt::Tensor ws = prune_copy(w, s);
        const compress::CsrMatrix csr = compress::to_csr(ws);
        const KernelTimes t = time_kernels(x, ws, csr, plan.kernel_runs);
        // Judged on one thread each: the machine has 2 cores shared with other jobs, where the
        // 2-thread kernels mostly measure the scheduler (their numbers stay in the detail).
        ratio.push_back(t.dense_opt_1t / t.csr_1t);
        json point = {{"sparsity", s},
                      {"nnz", csr.nnz()},
                      {"dense_optimized_us", 1e6 * t.dense_opt},
                      {"csr_us", 1e6 * t.csr},
                      {"dense_optimized_1thread_us", 1e6 * t.dense_opt_1t},
                      {"csr_1thread_us", 1e6 * t.csr_1t},
                      {"dense_blas_1thread_us", 1e6 * t.dense_blas_1t},
                      {"csr_vs_dense", t.dense_opt / t.csr},
                      {"csr_vs_dense_1thread", t.dense_opt_1t / t.csr_1t},
                      {"csr_vs_dense_min", t.dense_opt_min / t.csr_min},
                      {"spread", t.spread}};
        points.push_back(point);
        rows.push_back({std::to_string(batch), tt::bench::fmt(100 * s, 0) + " %", tt::bench::fmt(1e6 * t.dense_opt, 1),
                        tt::bench::fmt(1e6 * t.csr, 1), tt::bench::fmt(t.dense_opt / t.csr, 2),
                        tt::bench::fmt(1e6 * t.dense_opt_1t, 1), tt::bench::fmt(1e6 * t.csr_1t, 1),
                        tt::bench::fmt(t.dense_opt_1t / t.csr_1t, 2)});
        if (batch == 256 && std::abs(s - 0.95) < 1e-9) {
          point["threads"] = tt::accel::optimized_backend().threads();
          point["runs"] = plan.kernel_runs;
          point["shape"] = "x (256, 784) . W(256, 784)^T, W = trained layer 1 pruned by |w|";
          point["judged"] = "dense_optimized_1thread_us / csr_1thread_us";
          r.add({"csr95_vs_dense_b256", t.dense_opt_1t / t.csr_1t, "ratio", ">= 3.0", point});
        }
      }
      tt::bench::progress("CSR vs dense, batch " + std::to_string(batch), plan.grid.size(), plan.grid.size());
      const double x_over = crossover(plan.grid, ratio);
      detail[std::string("b").append(std::to_string(batch))] = points;  // not "b" + …: GCC 12 -Wrestrict (bug 105651)
      r.add({"csr_crossover_sparsity_b" + std::to_string(batch),
             x_over,
             "sparsity",
             "",
             {{"grid", plan.grid},
              {"csr_vs_dense", ratio},
              {"points", points},
              {"storage_break_even", compress::csr_storage_break_even(256, 784)}}});
    }
    r.table("CSR x dense vs the dense optimized kernel (y = x.W^T, W 256x784, median us; T = " +
                std::to_string(tt::accel::optimized_backend().threads()) + " threads, 1t = one thread)",
            {"batch", "sparsity", "dense opt T", "CSR T", "ratio", "dense opt 1t", "CSR 1t", "ratio 1t"}, rows);
  }

  // --- Part 3: 50% of hidden neurons removed --------------------------------------------------
  {
    tt::bench::progress("structured pruning", 0, 2);
    tt::Sequential m = clone_mlp(baseline, kTeacherSizes);
    const compress::StructuredPruner pruner(compress::NormKind::l1);
    const std::size_t removed = pruner.prune_all(m, 0.5);
    const double acc_pruned = tt::evaluate(m, test_set);
    train(m, train_set, plan.structured_epochs, kLr, 2);
    const double acc_ft = tt::evaluate(m, test_set);
    tt::bench::progress("structured pruning", 1, 2);
    const tt::Tensor x = test_set.slice(0, 256).images;
    baseline.set_training(false);
    m.set_training(false);
    tt::timing::Options o;
    o.runs = args.quick ? 5 : 41;
    o.warmup = 3;
    // Judged on one thread (see the CSR section); the backend's own T-thread figure is in the detail.
    const auto cmp_t = tt::timing::compare([&] { (void)baseline.forward(x); }, [&] { (void)m.forward(x); }, o);
    tt::timing::Comparison cmp;
    {
      tt::BackendGuard one(single_thread_backend());
      cmp = tt::timing::compare([&] { (void)baseline.forward(x); }, [&] { (void)m.forward(x); }, o);
    }
    tt::bench::progress("structured pruning", 2, 2);
    r.add({"structured50_speedup",
           cmp.ratio(),
           "ratio",
           ">= 1.8",
           {{"baseline_ms_b256_1thread", 1e3 * cmp.a.median},
            {"pruned_ms_b256_1thread", 1e3 * cmp.b.median},
            {"baseline_ms_b256_T", 1e3 * cmp_t.a.median},
            {"pruned_ms_b256_T", 1e3 * cmp_t.b.median},
            {"speedup_T", cmp_t.ratio()},
            {"T", tt::accel::optimized_backend().threads()},
            {"params_ratio", static_cast<double>(tt::parameter_count(baseline)) /
                                 static_cast<double>(tt::parameter_count(m))},  // ≈ the FLOP ratio
            {"baseline_params", tt::parameter_count(baseline)},
            {"pruned_params", tt::parameter_count(m)},
            {"architecture", m.summary()},
            {"neurons_removed", removed},
            {"runs", o.runs},
            {"spread", std::max(cmp.a.spread(), cmp.b.spread())}}});
    r.add({"structured50_accuracy_drop_pp",
           100 * (base_acc - acc_ft),
           "pp",
           "<= 1.5",
           {{"baseline_accuracy", base_acc},
            {"pruned_accuracy_before_finetune", acc_pruned},
            {"finetuned_accuracy", acc_ft},
            {"finetune_epochs", plan.structured_epochs},
            {"norm", "l1"}}});
  }

  // --- Part 4: distillation into a 784-64-10 student ----------------------------------------
  {
    const tt::Dataset kd_train = train_set.slice(0, plan.kd_train_n);
    std::vector<std::vector<std::string>> rows;
    json seeds = json::array();
    double gain_sum = 0;
    for (int s = 0; s < plan.kd_seeds; ++s) {
      const std::uint64_t seed = 100 + static_cast<std::uint64_t>(s);
      tt::bench::progress("distillation seeds", static_cast<std::size_t>(s), static_cast<std::size_t>(plan.kd_seeds));
      tt::Sequential alone = tt::make_mlp(kStudentSizes, seed);
      train(alone, kd_train, plan.kd_epochs, kLr, seed);
      const double acc_alone = tt::evaluate(alone, test_set);

      tt::Sequential student = tt::make_mlp(kStudentSizes, seed);  // the same initial weights
      tt::Adam opt(student.params(), kLr);
      compress::DistillOptions o;
      o.temperature = kTemperature;
      o.alpha = kAlpha;
      o.batch_size = kBatch;
      o.epochs = plan.kd_epochs;
      o.seed = seed;
      compress::KnowledgeDistillation kd(baseline, student, o);
      const auto history = kd.train(opt, kd_train);
      const double acc_kd = tt::evaluate(student, test_set);
      gain_sum += acc_kd - acc_alone;
      json epochs = json::array();
      for (const auto& e : history) {
        epochs.push_back({{"epoch", e.epoch},
                          {"soft", e.soft_loss},
                          {"hard", e.hard_loss},
                          {"total", e.total_loss},
                          {"train_accuracy", e.accuracy}});
      }
      seeds.push_back({{"seed", seed},
                       {"alone_accuracy", acc_alone},
                       {"distilled_accuracy", acc_kd},
                       {"gain_pp", 100 * (acc_kd - acc_alone)},
                       {"epochs", epochs}});
      rows.push_back(
          {std::to_string(seed), tt::bench::fmt(100 * acc_alone, 2) + " %", tt::bench::fmt(100 * acc_kd, 2) + " %",
           tt::bench::fmt(100 * (acc_kd - acc_alone), 2),
           tt::bench::fmt(history.back().soft_loss, 3) + " / " + tt::bench::fmt(history.back().hard_loss, 3)});
    }
    tt::bench::progress("distillation seeds", static_cast<std::size_t>(plan.kd_seeds),
                        static_cast<std::size_t>(plan.kd_seeds));
    r.table("Distillation: 784-64-10 student, alone vs distilled (T = 4, alpha = 0.7)",
            {"seed", "alone", "distilled", "gain pp", "last epoch soft / hard"}, rows);
    r.add({"kd_student_gain_pp",
           100 * gain_sum / plan.kd_seeds,
           "pp",
           ">= 0",
           {{"seeds", seeds},
            {"teacher_accuracy", base_acc},
            {"student_train_images", kd_train.size()},
            {"epochs", plan.kd_epochs},
            {"temperature", kTemperature},
            {"alpha", kAlpha}}});
  }
  std::fprintf(stderr, "  total %.1f s\n", tt::timing::now_seconds() - t_start);
  return r.finish();
}

}  // namespace

int main(int argc, char** argv) { return tt::bench::main_of(argc, argv, "m18_bench", bench); }
