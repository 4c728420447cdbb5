// m17_perf: module 17's int8 kernels as tt-perf/1 workloads, for the grader's performance points:
// the int8 GEMM on the machine's best path (VNNI where the CPU has it, the ready line names it)
// and an int8 MLP's forward pass, each timed by the grader from outside and interleaved with the
// reference's build on the same path.
// Not the benchmark (m17_bench compares int8 with fp32 and has the targets).
//
// usage: m17_perf_<kind> --case gemm_i8 [--n 512] | --case mlp_int8 [--batch 256]
#include <cstddef>
#include <cstdint>
#include <memory>
#include <random>
#include <vector>

#include "tt/accel/backend.hpp"
#include "tt/bench/perf_server.hpp"
#include "tt/blas.hpp"
#include "tt/fashion_mnist.hpp"
#include "tt/matmul.hpp"
#include "tt/models.hpp"
#include "tt/quant/convert.hpp"
#include "tt/quant/gemm_i8.hpp"
#include "tt/random.hpp"

namespace {

tt::TensorI8 random_i8(const tt::Shape& shape, std::uint64_t seed) {
  std::mt19937 rng(static_cast<std::uint32_t>(seed));
  std::uniform_int_distribution<int> d(-128, 127);
  tt::TensorI8 t = tt::TensorI8::from_shape(shape);
  for (auto& v : t) v = static_cast<std::int8_t>(d(rng));
  return t;
}

// c = a · bᵀ, int8 → int32, on best_kernel()'s path.
tt::perf::Workload gemm(const tt::perf::Args& args) {
  const auto n = static_cast<std::size_t>(args.integer("n", 512));
  if (n < 1 || n > 4096) throw std::invalid_argument("--n must be in 1..4096");
  struct State {
    tt::TensorI8 a;
    tt::quant::PackedI8 b;
    tt::TensorI32 c;
  };
  auto s = std::make_shared<State>();
  s->a = random_i8({n, n}, 1);
  s->b = tt::quant::PackedI8(random_i8({n, n}, 2));
  const tt::quant::GemmKernel kernel = tt::quant::best_kernel();
  tt::perf::Workload w;
  w.path = tt::quant::to_string(kernel);
  w.run = [s, kernel](unsigned long long seed) {
    tt::perf::perturb(s->a.data(), s->a.size(), seed, -128.0, 127.0);
    tt::quant::gemm_i8(s->a, s->b, s->c, kernel);
  };
  w.output = [s] { return std::vector<double>(s->c.data(), s->c.data() + s->c.size()); };
  return w;
}

// The MLP 784-256-128-10 quantized after training-free calibration on random images: the
// forward pass of a batch through QuantizedLinear layers, on one thread.
tt::perf::Workload mlp(const tt::perf::Args& args) {
  const auto batch = static_cast<std::size_t>(args.integer("batch", 256));
  if (batch < 1 || batch > 4096) throw std::invalid_argument("--batch must be in 1..4096");
  tt::blas::set_num_threads(1);
  static tt::accel::OptimizedBackend one_thread([] {
    tt::accel::Thresholds t;
    t.threads = 1;
    return t;
  }());
  struct State {
    tt::Sequential model = tt::make_mlp({784, 256, 128, 10}, 17);
    tt::Tensor x, y;
  };
  auto s = std::make_shared<State>();
  tt::Rng rng(17);
  tt::Dataset calibration;
  calibration.images = tt::rand_normal({512, 1, 28, 28}, 0.0F, 1.0F, rng);
  calibration.labels.assign(512, 0);
  tt::quant::PtqOptions o;
  o.calibration_batches = 2;
  tt::quant::quantize_model(s->model, calibration, o);
  s->model.set_training(false);
  s->x = tt::rand_normal({batch, 1, 28, 28}, 0.0F, 1.0F, rng);
  tt::perf::Workload w;
  w.path = tt::quant::to_string(tt::quant::best_kernel());
  w.run = [s](unsigned long long seed) {
    tt::BackendGuard g(one_thread);
    tt::perf::perturb(s->x.data(), s->x.size(), seed, -2.0, 2.0);
    s->y = s->model.forward(s->x);
  };
  w.output = [s] { return std::vector<double>(s->y.data(), s->y.data() + s->y.size()); };
  return w;
}

}  // namespace

int main(int argc, char** argv) { return tt::perf::serve(argc, argv, {{"gemm_i8", gemm}, {"mlp_int8", mlp}}); }
