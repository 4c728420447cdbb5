// m15_perf: one kernel of module 15 as a tt-perf/1 workload, for the grader's performance points:
// the grader times each run of it from outside, interleaved with the reference's build.
// Not the benchmark (m15_bench has the tables and targets), and not a correctness test: the grader
// compares a checksum of its product with the reference's.
//
// usage: m15_perf_<kind> --case matmul_blocked|matmul_simd|matmul_parallel|… [--n 512]
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tt/accel/matmul.hpp"
#include "tt/bench/perf_server.hpp"
#include "tt/blas.hpp"
#include "tt/random.hpp"

namespace {

using KernelFn = std::function<void(tt::ConstMatrixRef, tt::ConstMatrixRef, tt::MatrixRef)>;

// a (n, n) · b (n, n) → c with one kernel; a changes a little from run to run.
tt::perf::Factory matmul(KernelFn kernel) {
  return [kernel](const tt::perf::Args& args) {
    const auto n = static_cast<std::size_t>(args.integer("n", 512));
    if (n < 1 || n > 4096) throw std::invalid_argument("--n must be in 1..4096");
    tt::blas::set_num_threads(1);
    struct State {
      tt::Tensor a, b, c;
    };
    auto s = std::make_shared<State>();
    tt::Rng rng(15);
    s->a = tt::rand_uniform({n, n}, -1.0F, 1.0F, rng);
    s->b = tt::rand_uniform({n, n}, -1.0F, 1.0F, rng);
    s->c = tt::zeros({n, n});
    tt::perf::Workload w;
    w.run = [s, kernel](unsigned long long seed) {
      tt::perf::perturb(s->a.data(), s->a.size(), seed, -1.0, 1.0);
      kernel(tt::view(s->a), tt::view(s->b), tt::view_mut(s->c));
    };
    w.output = [s] { return std::vector<double>(s->c.data(), s->c.data() + s->c.size()); };
    return w;
  };
}

}  // namespace

int main(int argc, char** argv) {
  using namespace tt::accel;
  return tt::perf::serve(argc, argv,
                         {{"matmul_naive", matmul(matmul_naive)},
                          {"matmul_reordered", matmul(matmul_reordered)},
                          {"matmul_blocked", matmul([](auto a, auto b, auto c) { matmul_blocked(a, b, c); })},
                          {"matmul_simd", matmul(matmul_simd)},
                          {"matmul_parallel", matmul([](auto a, auto b, auto c) { matmul_parallel(a, b, c, 2); })},
                          {"matmul_blas", matmul(matmul_blas)}});
}
