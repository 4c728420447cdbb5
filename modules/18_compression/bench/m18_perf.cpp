// m18_perf: module 18's sparse and pruned models as tt-perf/1 workloads, for the grader's
// performance points: CSR × dense at 95 % sparsity (batch 256) and the forward pass of an MLP
// whose hidden layers lost half their units to the structured pruner, each timed by the grader
// from outside and interleaved with the reference's build.
// Not the benchmark (m18_bench compares CSR with dense and has the targets).
//
// usage: m18_perf_<kind> --case csr_matmul [--sparsity 0.95] [--batch 256]
//                     | --case structured_forward [--amount 0.5] [--batch 256]
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <memory>
#include <vector>

#include "tt/accel/backend.hpp"
#include "tt/bench/perf_server.hpp"
#include "tt/blas.hpp"
#include "tt/compress/csr.hpp"
#include "tt/compress/structured_pruner.hpp"
#include "tt/matmul.hpp"
#include "tt/models.hpp"
#include "tt/random.hpp"

namespace {

tt::Backend& one_thread() {
  static tt::accel::OptimizedBackend b([] {
    tt::accel::Thresholds t;
    t.threads = 1;
    return t;
  }());
  return b;
}

std::size_t batch_of(const tt::perf::Args& args) {
  const auto batch = static_cast<std::size_t>(args.integer("batch", 256));
  if (batch < 1 || batch > 4096) throw std::invalid_argument("--batch must be in 1..4096");
  return batch;
}

// y = x · Wᵀ with W (256, 784) pruned by |w| to the given sparsity, as CSR, one thread.
tt::perf::Workload csr_matmul(const tt::perf::Args& args) {
  const double sparsity = args.number("sparsity", 0.95);
  if (!(sparsity >= 0 && sparsity < 1)) throw std::invalid_argument("--sparsity must be in [0, 1)");
  const std::size_t batch = batch_of(args);
  struct State {
    tt::compress::CsrMatrix w;
    tt::Tensor x, y;
  };
  auto s = std::make_shared<State>();
  tt::Rng rng(18);
  tt::Tensor w = tt::rand_normal({256, 784}, 0.0F, 0.05F, rng);
  std::vector<float> mags(w.size());
  std::transform(w.begin(), w.end(), mags.begin(), [](float v) { return std::fabs(v); });
  auto cut = mags.begin() + static_cast<std::ptrdiff_t>(sparsity * static_cast<double>(mags.size()));
  std::nth_element(mags.begin(), cut, mags.end());
  const float threshold = cut == mags.end() ? 0.0F : *cut;
  for (auto& v : w)
    if (std::fabs(v) < threshold) v = 0.0F;
  s->w = tt::compress::to_csr(w);
  s->x = tt::rand_normal({batch, 784}, 0.0F, 1.0F, rng);
  tt::perf::Workload work;
  work.run = [s](unsigned long long seed) {
    tt::perf::perturb(s->x.data(), s->x.size(), seed, -2.0, 2.0);
    s->y = tt::compress::csr_matmul_nt(s->x, s->w, 1);
  };
  work.output = [s] { return std::vector<double>(s->y.data(), s->y.data() + s->y.size()); };
  return work;
}

// The MLP 784-256-128-10 after StructuredPruner::prune_all(model, amount) (L1 norms): the pruned
// model's forward pass of a batch on one thread. A pruner that only zeroes weights is as slow
// as the unpruned model.
tt::perf::Workload structured_forward(const tt::perf::Args& args) {
  const double amount = args.number("amount", 0.5);
  if (!(amount >= 0 && amount < 1)) throw std::invalid_argument("--amount must be in [0, 1)");
  const std::size_t batch = batch_of(args);
  tt::blas::set_num_threads(1);
  struct State {
    tt::Sequential model = tt::make_mlp({784, 256, 128, 10}, 18);
    tt::Tensor x, y;
  };
  auto s = std::make_shared<State>();
  tt::compress::StructuredPruner(tt::compress::NormKind::l1).prune_all(s->model, amount);
  s->model.set_training(false);
  tt::Rng rng(18);
  s->x = tt::rand_normal({batch, 1, 28, 28}, 0.0F, 1.0F, rng);
  tt::perf::Workload w;
  w.run = [s](unsigned long long seed) {
    tt::BackendGuard g(one_thread());
    tt::perf::perturb(s->x.data(), s->x.size(), seed, -2.0, 2.0);
    s->y = s->model.forward(s->x);
  };
  w.output = [s] { return std::vector<double>(s->y.data(), s->y.data() + s->y.size()); };
  return w;
}

}  // namespace

int main(int argc, char** argv) {
  return tt::perf::serve(argc, argv, {{"csr_matmul", csr_matmul}, {"structured_forward", structured_forward}});
}
