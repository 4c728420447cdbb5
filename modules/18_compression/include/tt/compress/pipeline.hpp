// The compression pipeline: prune → fine-tune → store sparse → (optionally) quantize, measuring
// size, sparsity, accuracy and latency after each step.
// Not an AutoML search: one fixed sequence of steps with the options given.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "tt/compress/magnitude_pruner.hpp"
#include "tt/fashion_mnist.hpp"
#include "tt/sequential.hpp"

namespace tt::compress {

// Bytes of a layer type this module does not know (e.g. module 17's QuantizedLinear, whose
// weights are not Params); return 0 for layers counted otherwise.
using LayerBytes = std::function<std::size_t(Module&)>;

// Bytes the model needs to store its weights: dense parameter bytes, plus storage_bytes() of
// each SparseLinear (whose CSR weight is not a Param), plus other_bytes(layer) when given.
std::size_t model_storage_bytes(Sequential& model, const LayerBytes& other_bytes = {});

// Replaces every Linear of `model` with a SparseLinear built from it (same outputs; the weight
// is stored in CSR). Returns how many layers were replaced.
std::size_t sparsify_linears(Sequential& model);
// The inverse: every SparseLinear becomes a Linear with the dense weight. Returns the count.
std::size_t densify_linears(Sequential& model);

struct StageReport {
  std::string stage;      // "baseline", "pruned", "fine-tuned", "sparse (CSR)", "quantized"
  std::size_t bytes = 0;  // model_storage_bytes (with PipelineOptions::other_bytes)
  double sparsity = 0;    // global_sparsity
  double accuracy = 0;    // on the test set
  double latency_ms = 0;  // median ms of one forward of `latency_batch` test images
};

// Measures `model` as it is now (eval mode; training mode restored). latency: median of
// `runs` forwards of the first latency_batch test images.
StageReport measure_stage(const std::string& stage, Sequential& model, const Dataset& test,
                          std::size_t latency_batch = 1, int runs = 21, const LayerBytes& other_bytes = {});

struct PipelineOptions {
  double sparsity = 0.9;  // magnitude pruning target
  PruneScope scope = PruneScope::global;
  int finetune_epochs = 1;  // with masks re-applied after each step (Adam)
  float lr = 1e-3F;
  std::size_t batch_size = 64;
  std::uint64_t seed = 0;
  bool to_sparse = true;  // the "sparse (CSR)" step: sparsify_linears
  // Module 17 hook: when set, called on the fine-tuned model (dense layers, zeros in place) as
  // the last step, "quantized"; e.g. a lambda around tt::quant::quantize_model. Unset: no such
  // step. other_bytes counts the bytes of the layers it puts in (see LayerBytes).
  std::function<void(Sequential&)> quantize;
  LayerBytes other_bytes;
  std::size_t latency_batch = 1;
  int latency_runs = 21;
  bool progress = true;
};

// Runs the steps on `model` (a trained model; it is modified) and returns one StageReport per
// step: "baseline", "pruned" (MagnitudePruner, no training), "fine-tuned" (masks kept, then
// removed), "sparse (CSR)" when to_sparse (sparsify_linears), "quantized" when quantize is set.
// CSR and int8 are two storage forms of the same fine-tuned model: before quantizing, the
// SparseLinears are turned back into Linears (densify_linears). The quantized stage's sparsity
// is the fine-tuned one when the quantized layers hide their weights from layer_sparsity.
std::vector<StageReport> run_pipeline(Sequential& model, const Dataset& train, const Dataset& test,
                                      const PipelineOptions& options);

}  // namespace tt::compress
