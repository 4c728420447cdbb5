// The capstone's contract: a Submission (classifier + generator), the baseline it starts from, and the student's entry.
// Not the measurement (harness.hpp) nor the ranking (leaderboard.hpp): this is what gets measured.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tt/fashion_mnist.hpp"
#include "tt/gpt.hpp"
#include "tt/matmul.hpp"
#include "tt/sequential.hpp"

namespace tt::capstone {

// What the harness measures. One object answers both workloads of the competition.
class Submission {
 public:
  virtual ~Submission() = default;
  // Entry name as it appears on the leaderboard ("alice-int8-pruned").
  virtual std::string name() const = 0;
  // One or two sentences for the "most creative" category (instructor-judged).
  virtual std::string description() const = 0;
  // images: (N, 1, 28, 28) standardized Fashion-MNIST → logits (N, 10). Eval mode; may install
  // any backend for the duration of the call (restore it: BackendGuard).
  virtual Tensor classify(const Tensor& images) = 0;
  // prompt: B sequences of equal length P → B sequences of P + n_new ids (greedy decoding of
  // the baseline generator: the prompt followed by the n_new generated ids).
  virtual TokenBatch generate(const TokenBatch& prompt, std::size_t n_new) = 0;
  // Bytes of the stored classifier (weights, biases, scales, zero points, indices): see
  // classifier_bytes(). m20_submit reports it; the grader's harness counts the bytes of
  // classifier() itself (model_io.hpp) and ranks on that.
  virtual std::size_t model_bytes() = 0;
  // The model classify() runs, as layers the course knows (model_io.hpp): the grader's harness
  // rebuilds it, counts its bytes and checks that it gives classify()'s answers.
  virtual Sequential& classifier() = 0;
};

// The fp32 starting point: an MLP classifier trained on Fashion-MNIST and a seeded GPT, saved as
// .npy files in `dir` (see baseline.hpp for how they are made).
struct Baseline {
  std::string dir;                     // <dir>/classifier/*.npy, <dir>/generator/*.npy
  std::vector<std::size_t> mlp_sizes;  // make_mlp sizes, e.g. {784, 256, 128, 10}
  GPTConfig gpt;                       // the generator's configuration (weights from the files)
  double accuracy = 0;                 // fp32 accuracy on the test set it was evaluated on
  std::size_t test_images = 0;         // how many test images that accuracy used
  // CPU seconds of the baseline's own greedy generation of kBaselineGenerationTokens tokens after
  // the prompt 1, 2, …, 8 (reference backend, no cache), measured once when it was made; the
  // grader's harness compares an entry's generation with it (0: an older baseline, re-make it).
  double generation_cpu_seconds = 0;
};

inline constexpr std::size_t kBaselineGenerationTokens = 256;
inline constexpr std::size_t kBaselinePromptTokens = 8;

// Fresh copies of the baseline models, weights loaded from baseline.dir (data_error if missing).
Sequential load_classifier(const Baseline& baseline);
GPT load_generator(const Baseline& baseline);

// Bytes a classifier stores: Linear/Conv2d/other layers count their parameters (4 bytes each);
// QuantizedLinear/QuantizedConv2d their packed int8 weights + scales + fp32 bias; SparseLinear
// its CSR arrays + bias. Activations and scratch buffers are not counted.
std::size_t classifier_bytes(Sequential& model);

// The baseline itself as a Submission: fp32, no cache (every generated token recomputes the whole
// sequence), run on `backend` (nullptr: the reference backend, the "naive" point of comparison).
std::unique_ptr<Submission> make_baseline_submission(const Baseline& baseline, Backend* backend = nullptr);

struct EntryOptions {
  // Fine-tuning and calibration images (nullptr: the entry loads the training split itself).
  const Dataset* train = nullptr;
  int finetune_epochs = 1;
  std::uint64_t seed = 0;
  std::string name = "reference";
};

// 20.1 — your competition entry: starting from the baseline weights, assemble modules 15–18
// (optimized backend, int8, pruning, KV cache) into a Submission. It must keep ≥ 99% of the
// baseline's accuracy (the gate), store the classifier in fewer bytes, and generate the same
// greedy tokens as the baseline (up to rounding near ties).
std::unique_ptr<Submission> make_entry(const Baseline& baseline, const EntryOptions& options = {});

}  // namespace tt::capstone
