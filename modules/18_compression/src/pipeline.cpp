// The compression pipeline (student stubs): prune → fine-tune → CSR → quantize hook, measured per step.
// Not a search over settings: the steps and their options are fixed by PipelineOptions.
#include "tt/compress/pipeline.hpp"

#include <memory>

#include "tt/compress/csr.hpp"
#include "tt/compress/sparsity.hpp"
#include "tt/errors.hpp"
#include "tt/linear.hpp"
#include "tt/optim.hpp"
#include "tt/timer.hpp"
#include "tt/train.hpp"

namespace tt::compress {

// Given: bookkeeping, not part of a task.
std::size_t model_storage_bytes(Sequential& model, const LayerBytes& other_bytes) {
  std::size_t bytes = 0;
  for (std::size_t i = 0; i < model.size(); ++i) {
    Module& m = model.at(i);
    if (auto* sp = dynamic_cast<SparseLinear*>(&m)) bytes += sp->storage_bytes();
    for (Param* p : m.params()) bytes += sizeof(float) * p->value.size();
    if (other_bytes) bytes += other_bytes(m);
  }
  return bytes;
}

// Given: bookkeeping, not part of a task.
std::size_t sparsify_linears(Sequential& model) {
  std::size_t replaced = 0;
  for (std::size_t i = 0; i < model.size(); ++i) {
    if (auto* lin = model.as<Linear>(i)) {
      auto sparse = std::make_unique<SparseLinear>(*lin);
      sparse->set_training(lin->training());
      model.replace(i, std::move(sparse));
      ++replaced;
    }
  }
  return replaced;
}

// Given: bookkeeping, not part of a task.
std::size_t densify_linears(Sequential& model) {
  std::size_t replaced = 0;
  for (std::size_t i = 0; i < model.size(); ++i) {
    if (auto* sp = model.as<SparseLinear>(i)) {
      auto dense = std::make_unique<Linear>(to_dense(sp->weight()), Tensor(sp->bias()));
      dense->set_training(sp->training());
      model.replace(i, std::move(dense));
      ++replaced;
    }
  }
  return replaced;
}

// Given: bookkeeping, not part of a task.
StageReport measure_stage(const std::string& stage, Sequential& model, const Dataset& test, std::size_t latency_batch,
                          int runs, const LayerBytes& other_bytes) {
  if (latency_batch == 0 || runs <= 0) {
    throw value_error("measure_stage: latency_batch and runs must be positive, got " + std::to_string(latency_batch) +
                      " and " + std::to_string(runs));
  }
  StageReport r;
  r.stage = stage;
  r.bytes = model_storage_bytes(model, other_bytes);
  r.sparsity = global_sparsity(model);
  r.accuracy = evaluate(model, test);
  const EvalModeGuard eval(model);
  const Tensor x = test.slice(0, latency_batch).images;
  timing::Options opt;
  opt.runs = runs;
  opt.warmup = 2;
  r.latency_ms = 1e3 * timing::measure([&] { (void)model.forward(x); }, opt).median;
  return r;
}

std::vector<StageReport> run_pipeline(Sequential& model, const Dataset& train, const Dataset& test,
                                      const PipelineOptions& options) {
  // measure_stage after each step (latency_batch, latency_runs and other_bytes from options):
  //  "baseline"; MagnitudePruner(model).prune(sparsity, scope) → "pruned";
  //  fine-tune with Adam(model.params(), lr) and tt::fit (TrainOptions from the options, and
  //  after_step = pruner.hook() so the zeros stay), then pruner.remove() → "fine-tuned";
  //  if to_sparse: sparsify_linears → "sparse (CSR)";
  //  if quantize is set: densify_linears, call it → "quantized" (keep the fine-tuned sparsity
  //  when the quantized layers hide their weights, i.e. layer_sparsity becomes empty).
  (void)model;
  (void)train;
  (void)test;
  (void)options;
  // TODO(18.12): the pipeline.
  TT_UNIMPLEMENTED("18.12 run_pipeline");
}

}  // namespace tt::compress
