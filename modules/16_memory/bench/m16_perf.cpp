// m16_perf: module 16's cached generation as a tt-perf/1 workload, for the grader's performance
// points: greedy decoding of 256 tokens with the KV cache, timed by the grader from outside and
// interleaved with the reference's build.
// Not the benchmark (m16_bench compares cached with uncached and has the targets).
//
// usage: m16_perf_<kind> --case generate_cached [--tokens 256] [--prompt 8]
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "tt/bench/perf_server.hpp"
#include "tt/blas.hpp"
#include "tt/gpt.hpp"
#include "tt/memory/generate.hpp"

namespace {

// The benchmark's model (m16_bench, README): a decode step is real work, not call overhead.
tt::GPTConfig perf_config() {
  tt::GPTConfig c;
  c.vocab = 256;
  c.d_model = 128;
  c.n_heads = 4;
  c.n_layers = 4;
  c.max_seq = 1024;
  c.d_ff = 512;
  c.seed = 2024;
  return c;
}

tt::perf::Workload generate_cached(const tt::perf::Args& args) {
  const auto tokens = static_cast<std::size_t>(args.integer("tokens", 256));
  const auto prompt_len = static_cast<std::size_t>(args.integer("prompt", 8));
  if (tokens < 1 || prompt_len < 1 || prompt_len + tokens > 1024)
    throw std::invalid_argument("--prompt and --tokens must be >= 1 and add up to at most 1024");
  tt::blas::set_num_threads(1);
  struct State {
    tt::GPT gpt{perf_config()};
    tt::TokenBatch prompt, out;
  };
  auto s = std::make_shared<State>();
  s->prompt.assign(1, std::vector<std::int32_t>(prompt_len));
  tt::perf::Workload w;
  w.run = [s, tokens](unsigned long long seed) {
    for (std::size_t i = 0; i < s->prompt[0].size(); ++i)
      s->prompt[0][i] = static_cast<std::int32_t>(((seed >> (i % 8)) + i) % 256);
    tt::memory::GenerateOptions opt;
    opt.use_cache = true;
    s->out = tt::memory::generate(s->gpt, s->prompt, tokens, opt).tokens;
  };
  w.output = [s] { return std::vector<double>(s->out[0].begin(), s->out[0].end()); };
  return w;
}

}  // namespace

int main(int argc, char** argv) { return tt::perf::serve(argc, argv, {{"generate_cached", generate_cached}}); }
