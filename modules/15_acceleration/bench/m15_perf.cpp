// m15_perf: times one kernel of module 15 for the grader's performance points (one JSON line out).
// Not the benchmark (m15_bench has the tables and targets): one case, one size, checked first.
//
// usage: m15_perf_<kind> --case matmul_blocked|matmul_simd|… [--n 512] [--runs 5]
// exit 0: {"case":"matmul_simd","n":512,"seconds":<median>,"runs":5} on stdout
// exit 1: bad usage · exit 2: the kernel is wrong or not implemented (message on stderr)
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "tt/accel/matmul.hpp"
#include "tt/blas.hpp"
#include "tt/random.hpp"
#include "tt/timer.hpp"

namespace {

using KernelFn = std::function<void(tt::ConstMatrixRef, tt::ConstMatrixRef, tt::MatrixRef)>;

const std::map<std::string, KernelFn>& kernels() {
  static const std::map<std::string, KernelFn> k{
      {"matmul_naive", tt::accel::matmul_naive},
      {"matmul_reordered", tt::accel::matmul_reordered},
      {"matmul_blocked", [](auto a, auto b, auto c) { tt::accel::matmul_blocked(a, b, c); }},
      {"matmul_simd", tt::accel::matmul_simd},
      {"matmul_parallel", [](auto a, auto b, auto c) { tt::accel::matmul_parallel(a, b, c, 2); }},
      {"matmul_blas", tt::accel::matmul_blas},
  };
  return k;
}

int usage(const std::string& why) {
  std::fprintf(stderr, "m15_perf: %s\nusage: m15_perf --case NAME [--n N] [--runs R]\ncases:", why.c_str());
  for (const auto& [name, fn] : kernels()) std::fprintf(stderr, " %s", name.c_str());
  std::fprintf(stderr, "\n");
  return 1;
}

// The oracle: i-k-j accumulation in double, independent of the student's code.
std::vector<double> oracle(const tt::Tensor& a, const tt::Tensor& b, std::size_t n) {
  std::vector<double> c(n * n, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t p = 0; p < n; ++p) {
      const double aip = a(i, p);
      for (std::size_t j = 0; j < n; ++j) c[i * n + j] += aip * static_cast<double>(b(p, j));
    }
  return c;
}

}  // namespace

int main(int argc, char** argv) {
  std::string name;
  long n = 512;
  long runs = 5;
  for (int i = 1; i < argc; ++i) {
    const std::string s = argv[i];
    if (i + 1 >= argc) return usage(s + " needs a value");
    const std::string v = argv[++i];
    if (s == "--case") {
      name = v;
    } else if (s == "--n") {
      n = std::strtol(v.c_str(), nullptr, 10);
    } else if (s == "--runs") {
      runs = std::strtol(v.c_str(), nullptr, 10);
    } else {
      return usage("unknown argument '" + s + "'");
    }
  }
  if (kernels().count(name) == 0) return usage("unknown or missing --case '" + name + "'");
  if (n < 1 || n > 8192 || runs < 1 || runs > 1000) return usage("--n must be in 1..8192 and --runs in 1..1000");
  const KernelFn& fn = kernels().at(name);
  tt::blas::set_num_threads(1);

  const auto un = static_cast<std::size_t>(n);
  tt::Rng rng(15);
  const tt::Tensor a = tt::rand_uniform({un, un}, -1.0F, 1.0F, rng);
  const tt::Tensor b = tt::rand_uniform({un, un}, -1.0F, 1.0F, rng);
  tt::Tensor c = tt::zeros({un, un});
  const tt::ConstMatrixRef av = tt::view(a);
  const tt::ConstMatrixRef bv = tt::view(b);
  const tt::MatrixRef cv = tt::view_mut(c);

  // Correctness first: a fast wrong kernel earns nothing.
  try {
    fn(av, bv, cv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "m15_perf: %s failed: %s\n", name.c_str(), e.what());
    return 2;
  }
  const std::vector<double> expected = oracle(a, b, un);
  const double atol = 2e-6 * static_cast<double>(n) + 1e-6;
  const double rtol = 1e-4;
  for (std::size_t i = 0; i < un * un; ++i) {
    const double got = c.data()[i];
    if (!(std::fabs(got - expected[i]) <= atol + rtol * std::fabs(expected[i]))) {
      std::fprintf(stderr, "m15_perf: %s is wrong at (%zu, %zu): expected %.6g, got %.6g (n = %ld)\n", name.c_str(),
                   i / un, i % un, expected[i], got, n);
      return 2;
    }
  }

  tt::timing::Options opt;
  opt.warmup = 1;
  opt.runs = static_cast<int>(runs);
  const tt::timing::Stats s = tt::timing::measure([&] { fn(av, bv, cv); }, opt);
  std::printf("{\"case\":\"%s\",\"n\":%ld,\"seconds\":%.9g,\"runs\":%ld}\n", name.c_str(), n, s.median, runs);
  return 0;
}
