// m19_perf: module 19's profiler as a tt-perf/1 workload, for the grader's performance points:
// the GPT forward pass of 64 tokens with the profiler recording every op, timed by the grader
// from outside and interleaved with the reference's build. A slow profiler makes this slow.
// Not the benchmark (m19_bench measures the overhead against no profiler and has the targets).
//
// usage: m19_perf_<kind> --case profiled_forward [--tokens 64]
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "tt/accel/backend.hpp"
#include "tt/bench/perf_server.hpp"
#include "tt/blas.hpp"
#include "tt/gpt.hpp"
#include "tt/matmul.hpp"
#include "tt/profile/profiler.hpp"

namespace {

tt::perf::Workload profiled_forward(const tt::perf::Args& args) {
  const auto n = static_cast<std::size_t>(args.integer("tokens", 64));
  if (n < 1 || n > 512) throw std::invalid_argument("--tokens must be in 1..512");
  tt::blas::set_num_threads(1);
  static tt::accel::OptimizedBackend one_thread([] {
    tt::accel::Thresholds t;
    t.threads = 1;
    return t;
  }());
  tt::GPTConfig cfg;  // the module's benchmark model (m19_bench)
  cfg.vocab = 256;
  cfg.d_model = 128;
  cfg.n_heads = 4;
  cfg.n_layers = 4;
  cfg.max_seq = 512;
  cfg.d_ff = 512;
  cfg.seed = 19;
  struct State {
    explicit State(const tt::GPTConfig& c) : gpt(c) {}
    tt::GPT gpt;
    tt::profile::PerformanceProfiler profiler;
    std::vector<std::int32_t> tokens;
    tt::Tensor logits;
  };
  auto s = std::make_shared<State>(cfg);
  s->tokens.resize(n);
  tt::perf::Workload w;
  w.run = [s](unsigned long long seed) {
    for (std::size_t i = 0; i < s->tokens.size(); ++i)
      s->tokens[i] = static_cast<std::int32_t>(((seed >> (i % 16)) + 7 * i) % 256);
    tt::BackendGuard g(one_thread);
    auto region = s->profiler.profile("forward");
    s->logits = s->gpt.forward(s->tokens);
  };
  w.output = [s] { return std::vector<double>(s->logits.data(), s->logits.data() + s->logits.size()); };
  return w;
}

}  // namespace

int main(int argc, char** argv) { return tt::perf::serve(argc, argv, {{"profiled_forward", profiled_forward}}); }
