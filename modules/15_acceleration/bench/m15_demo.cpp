// m15_demo: the goal of module 15 first: the same MLP and GPT forward on the reference backend and on OptimizedBackend.
// Not a benchmark with targets (m15_bench has those): it shows the speedup your build gives today.
#include <cstdio>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "tt/accel/backend.hpp"
#include "tt/allclose.hpp"
#include "tt/blas.hpp"
#include "tt/errors.hpp"
#include "tt/gpt.hpp"
#include "tt/models.hpp"
#include "tt/random.hpp"
#include "tt/timer.hpp"

namespace {

// Forwards to the optimized backend and tallies which kernel it chose for each product.
class TallyBackend : public tt::Backend {
 public:
  std::string name() const override { return "tally"; }
  void gemm(tt::ConstMatrixRef a, tt::ConstMatrixRef b, tt::MatrixRef c) override {
    tt::accel::optimized_backend().gemm(a, b, c);
    ++used[tt::accel::kernel_name(tt::accel::optimized_backend().last_kernel())];
  }
  std::map<std::string, int> used;
};

std::string tally_str(const std::map<std::string, int>& used) {
  std::string s;
  for (const auto& [k, n] : used) s += (s.empty() ? "" : ", ") + k + " x" + std::to_string(n);
  return s;
}

constexpr int kRuns = 5;

void compare(const std::string& label, double gflop, const std::function<tt::Tensor()>& forward) {
  tt::timing::Options opt;
  opt.warmup = 1;
  opt.runs = kRuns;
  tt::Tensor expected;
  double ref_s = 0;
  {
    tt::BackendGuard g(tt::reference_backend());
    expected = forward();
    ref_s = tt::timing::measure([&] { forward(); }, opt).median;
  }
  std::printf("%-34s reference %9.2f ms  %7.1f GFLOP/s\n", label.c_str(), ref_s * 1e3, gflop / ref_s);
  try {
    TallyBackend tally;
    tt::Tensor actual;
    {
      tt::BackendGuard g(tally);
      actual = forward();
    }
    double opt_s = 0;
    {
      tt::BackendGuard g(tt::accel::optimized_backend());
      opt_s = tt::timing::measure([&] { forward(); }, opt).median;
    }
    const bool same = tt::allclose(actual, expected, {1e-3F, 1e-3F});
    std::printf("%-34s optimized %9.2f ms  %7.1f GFLOP/s   speedup %5.1fx   outputs agree: %s\n", "", opt_s * 1e3,
                gflop / opt_s, ref_s / opt_s, same ? "yes" : "NO");
    std::printf("%-34s kernels: %s\n", "", tally_str(tally.used).c_str());
  } catch (const tt::not_implemented& e) {
    std::printf("%-34s optimized: not yet — %s\n", "", e.what());
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1) {
    std::fprintf(stderr, "m15_demo: error: takes no arguments, found '%s'\nusage: m15_demo\n", argv[1]);
    return 2;
  }
  try {
    tt::blas::set_num_threads(1);
    std::printf("Module 15, the goal: every layer gets faster when the backend does.\n");
    std::printf("OptimizedBackend \"%s\" will use %d thread(s); median of %d runs each.\n\n",
                tt::accel::optimized_backend().name().c_str(), tt::accel::optimized_backend().threads(), kRuns);

    // MLP on a Fashion-MNIST-shaped batch: three Linear layers, 784 → 512 → 256 → 10.
    const std::size_t batch = 512;
    tt::Sequential mlp = tt::make_mlp({784, 512, 256, 10}, 15);
    mlp.set_training(false);
    tt::Rng rng(15);
    const tt::Tensor images = tt::rand_uniform({batch, 1, 28, 28}, 0.0F, 1.0F, rng);
    const double mlp_gflop = 2.0 * batch * (784.0 * 512 + 512.0 * 256 + 256.0 * 10) / 1e9;
    compare("MLP 784-512-256-10, batch 512", mlp_gflop, [&] { return mlp.forward(images); });

    // GPT forward over 4 sequences of 128 tokens (default config: d 128, 4 layers, 4 heads).
    tt::GPTConfig cfg;
    cfg.seed = 15;
    tt::GPT gpt(cfg);
    const std::size_t seqs = 4;
    const std::size_t len = 128;
    tt::TokenBatch tokens(seqs, std::vector<std::int32_t>(len));
    for (std::size_t s = 0; s < seqs; ++s)
      for (std::size_t t = 0; t < len; ++t) tokens[s][t] = static_cast<std::int32_t>((s * 31 + t * 7) % cfg.vocab);
    const double rows = static_cast<double>(seqs * len);
    const double d = static_cast<double>(cfg.d_model);
    const double per_layer = 2.0 * rows * (4 * d * d + 2 * d * static_cast<double>(cfg.d_ff)) +
                             2.0 * 2.0 * static_cast<double>(seqs) * len * len * d;  // scores and values
    const double gpt_gflop = (static_cast<double>(cfg.n_layers) * per_layer + 2.0 * rows * d * cfg.vocab) / 1e9;
    compare("GPT d128 L4, 4 x 128 tokens", gpt_gflop, [&] { return gpt.forward(tokens); });
  } catch (const std::exception& e) {
    std::fprintf(stderr, "m15_demo: %s\n", e.what());
    return 1;
  }
  return 0;
}
