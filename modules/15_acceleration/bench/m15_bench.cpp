// m15_bench: module 15's numbers: GFLOP/s per kernel and size, the SIMD kernel against OpenBLAS and the FMA peak.
// Not a unit test: correctness is checked first (against the naive oracle), but only speed is judged here.
//
// OpenBLAS reads OPENBLAS_CORETYPE once, when the library loads, so its best core type is
// measured in a child process: this program re-executes itself with the variable set and
// `--child-openblas N RUNS`, and the child times matmul_simd and sgemm interleaved.
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <xsimd/xsimd.hpp>

#include "tt/accel/backend.hpp"
#include "tt/accel/matmul.hpp"
#include "tt/bench/report.hpp"
#include "tt/blas.hpp"
#include "tt/errors.hpp"
#include "tt/random.hpp"
#include "tt/timer.hpp"

namespace {

using tt::bench::fmt;
using KernelFn = std::function<void(tt::ConstMatrixRef, tt::ConstMatrixRef, tt::MatrixRef)>;
using Vec = xsimd::batch<float>;

struct Problem {
  std::string label;
  std::size_t m, k, n;
  double gflop() const { return tt::gemm_flops(m, n, k) / 1e9; }
};

struct Variant {
  std::string name;
  KernelFn fn;
};

// The operands of one problem, random in [-1, 1), row-major.
struct Operands {
  Operands(const Problem& p, std::uint64_t seed) {
    tt::Rng rng(seed);
    a = tt::rand_uniform({p.m, p.k}, -1.0F, 1.0F, rng);
    b = tt::rand_uniform({p.k, p.n}, -1.0F, 1.0F, rng);
    c = tt::zeros({p.m, p.n});
  }
  void run(const KernelFn& fn) { fn(tt::view(a), tt::view(b), tt::view_mut(c)); }
  tt::Tensor a, b, c;
};

std::vector<Variant> variants() {
  return {
      {"naive", tt::accel::matmul_naive},
      {"reordered", tt::accel::matmul_reordered},
      {"blocked", [](auto a, auto b, auto c) { tt::accel::matmul_blocked(a, b, c); }},
      {"simd", tt::accel::matmul_simd},
      {"parallel2", [](auto a, auto b, auto c) { tt::accel::matmul_parallel(a, b, c, 2); }},
      {"blas", tt::accel::matmul_blas},
      {"backend", [](auto a, auto b, auto c) { tt::accel::optimized_backend().gemm(a, b, c); }},
  };
}

// A register-only FMA loop at the build's SIMD width: the compute ceiling of one core.
// kAcc = 12 independent accumulators cover FMA latency × FMA units (4 × 2 on Zen 5). They are
// named variables (an array invites spills) and start away from the loop's fixed point 1.0,
// which GCC would otherwise detect and fold away, silently dropping an FMA per iteration.
constexpr int kAcc = 12;
__attribute__((noinline)) float fma_loop(long iters) {
  const Vec x(0.9999F);
  const Vec y(1e-4F);
  Vec a0(0.100F), a1(0.101F), a2(0.102F), a3(0.103F), a4(0.104F), a5(0.105F);
  Vec a6(0.106F), a7(0.107F), a8(0.108F), a9(0.109F), a10(0.110F), a11(0.111F);
  for (long it = 0; it < iters; ++it) {
    a0 = xsimd::fma(a0, x, y);
    a1 = xsimd::fma(a1, x, y);
    a2 = xsimd::fma(a2, x, y);
    a3 = xsimd::fma(a3, x, y);
    a4 = xsimd::fma(a4, x, y);
    a5 = xsimd::fma(a5, x, y);
    a6 = xsimd::fma(a6, x, y);
    a7 = xsimd::fma(a7, x, y);
    a8 = xsimd::fma(a8, x, y);
    a9 = xsimd::fma(a9, x, y);
    a10 = xsimd::fma(a10, x, y);
    a11 = xsimd::fma(a11, x, y);
  }
  return xsimd::hadd(((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + ((a8 + a9) + (a10 + a11)));
}
constexpr long kPeakIters = 6'000'000;  // about 10 ms per call, like simd at 1024
double peak_gflop_per_call() { return 2.0 * kAcc * static_cast<double>(Vec::size) * kPeakIters / 1e9; }
volatile float g_sink = 0;

// Relative check of a kernel's output against the oracle's: float sums of k terms.
bool close_to(const tt::Tensor& got, const tt::Tensor& want, std::size_t k) {
  const float atol = 1e-5F * static_cast<float>(k);
  for (std::size_t i = 0; i < want.size(); ++i)
    if (!(std::fabs(got.data()[i] - want.data()[i]) <= atol + 1e-4F * std::fabs(want.data()[i]))) return false;
  return true;
}

// ---- the child: OpenBLAS with a forced core type ------------------------------------------
int child_openblas(std::size_t n, int runs) {
  tt::blas::set_num_threads(1);
  const Problem p{"child", n, n, n};
  Operands ops(p, 99);
  tt::timing::Options opt;
  opt.runs = runs;
  nlohmann::json out{{"core", tt::blas::core_name()}, {"n", n}};
  try {
    auto s =
        tt::timing::interleaved({[&] { ops.run(tt::accel::matmul_simd); }, [&] { ops.run(tt::blas::sgemm); }}, opt);
    out["simd_s"] = s[0].median;
    out["blas_s"] = s[1].median;
    out["simd_spread"] = s[0].spread();
    out["blas_spread"] = s[1].spread();
    out["simd_min_s"] = s[0].min;
    out["blas_min_s"] = s[1].min;
  } catch (const tt::not_implemented& e) {
    out["error"] = e.what();
    out["blas_s"] = tt::timing::measure([&] { ops.run(tt::blas::sgemm); }, opt).median;
  }
  std::printf("%s\n", out.dump().c_str());
  return 0;
}

std::optional<nlohmann::json> run_child(const std::string& coretype, std::size_t n, int runs) {
  char exe[4096];
  const ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
  if (len <= 0) return std::nullopt;
  exe[len] = '\0';
  const std::string cmd = "OPENBLAS_CORETYPE=" + coretype + " OPENBLAS_NUM_THREADS=1 '" + std::string(exe) +
                          "' --child-openblas " + std::to_string(n) + " " + std::to_string(runs);
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) return std::nullopt;
  std::string text;
  char buf[512];
  while (std::fgets(buf, sizeof(buf), pipe) != nullptr) text += buf;
  if (pclose(pipe) != 0 || text.empty()) return std::nullopt;
  try {
    return nlohmann::json::parse(text);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// Times every implemented variant on one problem, interleaved; (name → stats). Variants that
// are not implemented or wrong are reported and left out.
struct Measured {
  std::map<std::string, tt::timing::Stats> stats;
  std::map<std::string, std::string> problems;  // name → "not implemented" / "WRONG"
  std::string backend_kernel;
};

Measured measure_problem(const Problem& p, const std::vector<Variant>& vs, const tt::timing::Options& opt,
                         bool with_naive) {
  Measured out;
  Operands ops(p, 15);
  // The oracle output first: naive (untimed here; at 1024 it is timed separately, with
  // fewer runs). Without a naive kernel the outputs go unchecked, and the table says so.
  std::optional<tt::Tensor> oracle;
  try {
    ops.run(tt::accel::matmul_naive);
    oracle = ops.c;
  } catch (const tt::not_implemented&) {
  }
  std::vector<std::function<void()>> fns;
  std::vector<std::string> names;
  for (const Variant& v : vs) {
    if (v.name == "naive" && !with_naive) continue;
    try {
      ops.c.fill(std::nanf(""));
      ops.run(v.fn);
      if (oracle && !close_to(ops.c, *oracle, p.k)) {
        out.problems[v.name] = "WRONG";
        continue;
      }
    } catch (const tt::not_implemented&) {
      out.problems[v.name] = "not implemented";
      continue;
    }
    names.push_back(v.name);
    fns.push_back([&ops, fn = v.fn] { ops.run(fn); });
  }
  if (!fns.empty()) {
    const auto stats = tt::timing::interleaved(fns, opt);
    for (std::size_t i = 0; i < names.size(); ++i) out.stats[names[i]] = stats[i];
  }
  if (out.stats.count("backend")) {
    tt::accel::optimized_backend().gemm(tt::view(ops.a), tt::view(ops.b), tt::view_mut(ops.c));
    out.backend_kernel = tt::accel::kernel_name(tt::accel::optimized_backend().last_kernel());
  }
  return out;
}

double gflops(const Problem& p, const tt::timing::Stats& s) { return s.median > 0 ? p.gflop() / s.median : 0; }

nlohmann::json stats_json(const tt::timing::Stats& s) {
  return {{"median_s", s.median}, {"min_s", s.min}, {"runs", s.samples.size()}, {"spread", s.spread()}};
}

// Other processes on the cores skew every timing; say so rather than print numbers silently.
void warn_if_busy(const char* when) {
  double load = 0;
  if (FILE* f = std::fopen("/proc/loadavg", "r")) {
    if (std::fscanf(f, "%lf", &load) != 1) load = 0;
    std::fclose(f);
  }
  const long cores = sysconf(_SC_NPROCESSORS_ONLN);
  if (load > 0.75 * static_cast<double>(cores))
    std::printf(
        "  warning (%s): load average %.1f on %ld cores: other processes share the CPU, timings are unreliable\n", when,
        load, cores);
}

int bench(const tt::bench::Args& args) {
  tt::bench::Report r("15", args);
  warn_if_busy("start");
  tt::blas::set_num_threads(1);
  const bool quick = args.quick;
  const std::size_t big = quick ? 256 : 1024;  // the size of the "_1024" metrics (256 in --quick)
  const std::string big_s = std::to_string(big);
  const auto vs = variants();

  std::vector<Problem> problems;
  for (std::size_t n :
       quick ? std::vector<std::size_t>{64, 128, 256} : std::vector<std::size_t>{64, 128, 256, 512, 1024})
    problems.push_back({std::to_string(n), n, n, n});
  problems.push_back({"197x768x64", 197, 768, 64});  // ViT: tokens × width → one head

  // ---- Part 2 and 3: GFLOP/s per kernel and size --------------------------------------------
  std::map<std::string, Measured> results;
  for (std::size_t i = 0; i < problems.size(); ++i) {
    const Problem& p = problems[i];
    tt::bench::progress("kernels at " + p.label, i, problems.size());
    tt::timing::Options opt;
    opt.runs = quick ? 3 : 7;
    opt.min_seconds = p.gflop() < 0.1 ? (quick ? 0.005 : 0.02) : 0.0;
    const bool is_big = p.m == big && p.k == big;
    results[p.label] = measure_problem(p, vs, opt, !is_big || big <= 256);
    if (is_big && big > 256) {
      // Naive at 1024 takes seconds per call: three runs, measured on their own.
      Operands ops(p, 15);
      tt::timing::Options nopt;
      nopt.warmup = 0;
      nopt.runs = 3;
      try {
        results[p.label].stats["naive"] = tt::timing::measure([&] { ops.run(tt::accel::matmul_naive); }, nopt);
      } catch (const tt::not_implemented&) {
        results[p.label].problems["naive"] = "not implemented";
      }
    }
  }
  tt::bench::progress("kernels", problems.size(), problems.size());

  // The FMA peak, interleaved with the SIMD kernel at the big size.
  double peak = 0;
  double simd_with_peak = 0;
  {
    const Problem p{big_s, big, big, big};
    Operands ops(p, 16);
    tt::timing::Options opt;
    opt.runs = quick ? 3 : 7;
    try {
      auto s = tt::timing::interleaved(
          {[&] { g_sink = fma_loop(kPeakIters); }, [&] { ops.run(tt::accel::matmul_simd); }}, opt);
      peak = peak_gflop_per_call() / s[0].median;
      simd_with_peak = p.gflop() / s[1].median;
    } catch (const tt::not_implemented&) {
      peak = peak_gflop_per_call() / tt::timing::measure([&] { g_sink = fma_loop(kPeakIters); }, opt).median;
    }
  }

  // The table for the README.
  const std::vector<std::string> cols{"naive", "reordered", "blocked", "simd", "parallel2", "blas", "backend"};
  std::vector<std::vector<std::string>> rows;
  std::vector<std::vector<std::string>> rows_best;  // the same from each kernel's fastest sample
  for (const Problem& p : problems) {
    const Measured& mres = results[p.label];
    std::vector<std::string> row{p.label,
                                 fmt(tt::gemm_flops(p.m, p.n, p.k) / (4.0 * (p.m * p.k + p.k * p.n + p.m * p.n)), 1)};
    std::vector<std::string> row_best = row;
    for (const auto& c : cols) {
      if (mres.stats.count(c)) {
        row.push_back(fmt(gflops(p, mres.stats.at(c)), 1));
        row_best.push_back(fmt(p.gflop() / mres.stats.at(c).min, 1));
      } else {
        row.push_back(!mres.problems.count(c)                    ? "-"
                      : mres.problems.at(c) == "not implemented" ? "todo"
                                                                 : mres.problems.at(c));
        row_best.push_back(row.back());
      }
    }
    row.push_back(mres.backend_kernel.empty() ? "-" : mres.backend_kernel);
    row_best.push_back(row.back());
    rows.push_back(row);
    rows_best.push_back(row_best);
  }
  std::vector<std::string> header{"m=k=n", "FLOP/B"};
  for (const auto& c : cols) header.push_back(c == "blas" ? "blas (" + tt::blas::core_name() + ")" : c);
  header.push_back("backend picks");
  r.table("GFLOP/s per kernel and size, median (single thread except parallel2; backend may use threads)", header,
          rows);
  // On a shared machine the median absorbs other processes' time slices; the fastest sample
  // is closer to what the kernel itself can do. Both are kept, the metrics use the median.
  r.table("GFLOP/s per kernel and size, fastest sample", header, rows_best);

  // ---- the metrics -------------------------------------------------------------------------
  const Problem bigp{big_s, big, big, big};
  const Measured& bm = results[big_s];
  auto stat = [&](const std::string& v) -> const tt::timing::Stats* {
    return bm.stats.count(v) ? &bm.stats.at(v) : nullptr;
  };
  auto ratio_metric = [&](const std::string& name, const std::string& slow, const std::string& fast,
                          const std::string& target) {
    const auto* s = stat(slow);
    const auto* f = stat(fast);
    tt::bench::Metric m{name, 0, "ratio", target};
    m.detail["n"] = big;
    if (s && f) {
      m.value = s->median / f->median;
      m.detail[slow + "_gflops"] = gflops(bigp, *s);
      m.detail[fast + "_gflops"] = gflops(bigp, *f);
      m.detail["ratio_of_min"] = s->min / f->min;  // less sensitive to a busy machine
      m.detail[slow] = stats_json(*s);
      m.detail[fast] = stats_json(*f);
    } else {
      m.detail["error"] = "not measured: " + (s ? fast : slow) + " is not implemented or wrong";
    }
    r.add(m);
  };

  // Part 4: OpenBLAS, default core type vs the best one (children with OPENBLAS_CORETYPE).
  std::vector<std::vector<std::string>> blas_rows;
  {
    tt::bench::Metric m{"simd_vs_openblas_best_1024", 0, "ratio", ">= 0.9"};
    m.detail["n"] = big;
    double best_blas = 0;
    const std::vector<std::string> cores{"SkylakeX", "Cooperlake"};
    for (std::size_t i = 0; i < cores.size(); ++i) {
      tt::bench::progress("OpenBLAS core types", i, cores.size());
      auto res = run_child(cores[i], big, quick ? 3 : 7);
      if (!res) {
        m.detail["children"][cores[i]] = "child failed";
        continue;
      }
      const double blas_gf = bigp.gflop() / (*res)["blas_s"].get<double>();
      (*res)["blas_gflops"] = blas_gf;
      if (res->contains("simd_s")) (*res)["simd_gflops"] = bigp.gflop() / (*res)["simd_s"].get<double>();
      m.detail["children"][cores[i]] = *res;
      blas_rows.push_back({"OPENBLAS_CORETYPE=" + cores[i], (*res)["core"].get<std::string>(), fmt(blas_gf, 1)});
      if (blas_gf > best_blas && res->contains("simd_s")) {
        best_blas = blas_gf;
        m.value = (*res)["blas_s"].get<double>() / (*res)["simd_s"].get<double>();
        m.detail["best_core"] = cores[i];
        m.detail["openblas_best_gflops"] = blas_gf;
        m.detail["simd_gflops"] = (*res)["simd_gflops"];
        m.detail["runs"] = quick ? 3 : 7;
      }
    }
    tt::bench::progress("OpenBLAS core types", cores.size(), cores.size());
    r.add(m);
  }
  ratio_metric("simd_vs_openblas_default_1024", "blas", "simd", "");
  if (const auto* s = stat("blas"))
    blas_rows.insert(blas_rows.begin(), {"(default detection)", tt::blas::core_name(), fmt(gflops(bigp, *s), 1)});
  r.table("OpenBLAS sgemm at " + big_s + ", one thread, by core type", {"environment", "core", "GFLOP/s"}, blas_rows);

  {
    tt::bench::Metric m{"simd_fraction_of_peak_1024", peak > 0 ? simd_with_peak / peak : 0, "ratio", ">= 0.70"};
    m.detail = {{"n", big},
                {"simd_gflops", simd_with_peak},
                {"fma_peak_gflops", peak},
                {"simd_width_floats", Vec::size},
                {"accumulators", kAcc}};
    r.add(m);
  }
  ratio_metric("simd_vs_naive_1024", "naive", "simd", ">= 100");
  ratio_metric("blocked_vs_naive_1024", "naive", "blocked", ">= 5");
  ratio_metric("parallel2_vs_simd_1024", "simd", "parallel2", ">= 1.7");

  // Part 5: the backend against the best single variant at every size.
  {
    tt::bench::Metric m{"backend_vs_best_variant_min", 0, "ratio", ">= 0.95"};
    double worst = 1e9;
    for (const Problem& p : problems) {
      const Measured& mres = results[p.label];
      if (!mres.stats.count("backend")) {
        worst = 0;
        m.detail["sizes"][p.label] = "backend not implemented";
        continue;
      }
      std::string best;
      double best_s = 1e30;
      for (const auto& [name, s] : mres.stats)
        if (name != "backend" && s.median < best_s) {
          best_s = s.median;
          best = name;
        }
      const double ratio = best_s / mres.stats.at("backend").median;
      worst = std::min(worst, ratio);
      m.detail["sizes"][p.label] = {{"best_variant", best},
                                    {"best_gflops", p.gflop() / best_s},
                                    {"backend_gflops", gflops(p, mres.stats.at("backend"))},
                                    {"backend_kernel", mres.backend_kernel},
                                    {"ratio", ratio}};
    }
    m.value = worst == 1e9 ? 0 : worst;
    r.add(m);
  }

  // Part 5: how the thresholds were found: the crossovers, measured.
  {
    std::vector<std::vector<std::string>> trows;
    std::vector<Problem> sweep;
    for (std::size_t m : {1, 2, 3, 4, 8}) sweep.push_back({"m=" + std::to_string(m) + " k=n=512", m, 512, 512});
    for (std::size_t n : {1, 4, 16}) sweep.push_back({"n=" + std::to_string(n) + " m=k=512", 512, 512, n});
    for (std::size_t s : {2, 4, 8, 16}) sweep.push_back({std::to_string(s) + "^3", s, s, s});
    for (std::size_t s : {128, 192, 256, 384, 512, 768, 1024}) sweep.push_back({std::to_string(s) + "^3", s, s, s});
    if (quick) sweep.resize(5);
    const std::vector<Variant> trio{vs[1], vs[3], vs[4]};
    for (std::size_t i = 0; i < sweep.size(); ++i) {
      tt::bench::progress("threshold sweep", i, sweep.size());
      tt::timing::Options opt;
      opt.runs = quick ? 3 : 7;
      opt.min_seconds = quick ? 0.003 : 0.01;
      const Measured mres = measure_problem(sweep[i], trio, opt, false);
      std::vector<std::string> row{sweep[i].label};
      std::string best;
      double best_s = 1e30;
      for (const auto& v : trio) {
        if (!mres.stats.count(v.name)) {
          row.push_back("-");
          continue;
        }
        const auto& s = mres.stats.at(v.name);
        row.push_back(fmt(gflops(sweep[i], s), 1));
        if (s.median < best_s) {
          best_s = s.median;
          best = v.name;
        }
      }
      row.push_back(best);
      row.push_back(mres.backend_kernel.empty() ? "-" : mres.backend_kernel);
      trows.push_back(row);
    }
    tt::bench::progress("threshold sweep", sweep.size(), sweep.size());
    // The backend's choice is printed from choose() so the table shows whether it agrees.
    for (std::size_t i = 0; i < sweep.size(); ++i) {
      try {
        trows[i].back() =
            tt::accel::kernel_name(tt::accel::optimized_backend().choose(sweep[i].m, sweep[i].n, sweep[i].k));
      } catch (const tt::not_implemented&) {
        trows[i].back() = "-";
      }
    }
    r.table("Threshold sweep (GFLOP/s): where packing and threads start to pay",
            {"shape", "reordered", "simd", "parallel2", "fastest", "backend picks"}, trows);
  }
  warn_if_busy("end");
  return r.finish();
}

}  // namespace

int main(int argc, char** argv) {
  // The child mode is not a tt::bench argument: handle it before Args::parse.
  if (argc == 4 && std::string(argv[1]) == "--child-openblas")
    return child_openblas(std::strtoul(argv[2], nullptr, 10), std::atoi(argv[3]));

  return tt::bench::main_of(argc, argv, "m15_bench", bench);
}
