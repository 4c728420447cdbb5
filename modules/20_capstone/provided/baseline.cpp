// Provided course code: the capstone baseline (train, cache, load), classifier_bytes and the baseline Submission.
// Not a student file: every kind's library compiles this same file (module.json "provided_files").
#include "tt/capstone/baseline.hpp"

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "tt/compress/csr.hpp"
#include "tt/errors.hpp"
#include "tt/matmul.hpp"
#include "tt/memory/generate.hpp"
#include "tt/models.hpp"
#include "tt/npy.hpp"
#include "tt/optim.hpp"
#include "tt/quant/quantized_layers.hpp"
#include "tt/train.hpp"

namespace tt::capstone {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

json gpt_to_json(const GPTConfig& c) {
  return {{"vocab", c.vocab},     {"d_model", c.d_model}, {"n_heads", c.n_heads}, {"n_layers", c.n_layers},
          {"max_seq", c.max_seq}, {"d_ff", c.d_ff},       {"seed", c.seed}};
}

GPTConfig gpt_from_json(const json& j) {
  GPTConfig c;
  c.vocab = j.at("vocab");
  c.d_model = j.at("d_model");
  c.n_heads = j.at("n_heads");
  c.n_layers = j.at("n_layers");
  c.max_seq = j.at("max_seq");
  c.d_ff = j.at("d_ff");
  c.seed = j.at("seed");
  return c;
}

// The baseline as a Submission: fp32 weights, no KV cache, a fixed backend.
class BaselineSubmission : public Submission {
 public:
  BaselineSubmission(const Baseline& b, Backend* backend)
      : model_(load_classifier(b)), gpt_(load_generator(b)), backend_(backend ? backend : &reference_backend()) {
    model_.set_training(false);
  }
  std::string name() const override { return "baseline-fp32"; }
  std::string description() const override { return "The fp32 baseline: no cache, no quantization, no pruning."; }
  Tensor classify(const Tensor& images) override {
    BackendGuard g(*backend_);
    return model_.forward(images);
  }
  TokenBatch generate(const TokenBatch& prompt, std::size_t n_new) override {
    BackendGuard g(*backend_);
    tt::memory::GenerateOptions opt;
    opt.use_cache = false;
    return tt::memory::generate(gpt_, prompt, n_new, opt).tokens;
  }
  std::size_t model_bytes() override { return classifier_bytes(model_); }
  Sequential& classifier() override { return model_; }

 private:
  Sequential model_;
  GPT gpt_;
  Backend* backend_;
};

}  // namespace

Sequential load_classifier(const Baseline& baseline) {
  Sequential m = make_mlp(baseline.mlp_sizes, 0);
  load_weights(m.named_params(), baseline.dir + "/classifier");
  return m;
}

GPT load_generator(const Baseline& baseline) {
  GPT g(baseline.gpt);
  load_weights(g.named_params(), baseline.dir + "/generator");
  return g;
}

std::size_t classifier_bytes(Sequential& model) {
  std::size_t bytes = 0;
  for (std::size_t i = 0; i < model.size(); ++i) {
    if (auto* q = model.as<tt::quant::QuantizedLinear>(i)) {
      bytes += q->weight_bytes() + q->out_features() * sizeof(float);
    } else if (auto* qc = model.as<tt::quant::QuantizedConv2d>(i)) {
      bytes += qc->weight_bytes() + qc->out_channels() * sizeof(float);
    } else if (auto* s = model.as<tt::compress::SparseLinear>(i)) {
      bytes += s->storage_bytes();
    } else {
      bytes += parameter_bytes(model.at(i));
    }
  }
  return bytes;
}

// The baseline's greedy generation on this thread's CPU clock (other processes do not count).
double baseline_generation_cpu_seconds(const Baseline& b) {
  // A small test baseline cannot hold the 264 positions: nothing to measure (0).
  if (b.gpt.max_seq + 1 < kBaselinePromptTokens + kBaselineGenerationTokens) return 0;
  auto sub = make_baseline_submission(b);
  TokenBatch prompt(1);
  for (std::size_t i = 0; i < kBaselinePromptTokens; ++i) prompt[0].push_back(static_cast<std::int32_t>(i + 1));
  timespec t0{}, t1{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
  (void)sub->generate(prompt, kBaselineGenerationTokens);
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
  return static_cast<double>(t1.tv_sec - t0.tv_sec) + 1e-9 * static_cast<double>(t1.tv_nsec - t0.tv_nsec);
}

std::unique_ptr<Submission> make_baseline_submission(const Baseline& baseline, Backend* backend) {
  return std::make_unique<BaselineSubmission>(baseline, backend);
}

std::string default_baseline_dir() {
  if (const char* c = std::getenv("TT_CACHE_DIR"); c && *c) return std::string(c) + "/m20-baseline";
#ifdef TT_M20_CACHE_DIR
  return std::string(TT_M20_CACHE_DIR) + "/baseline";
#else
  return "m20-cache/baseline";
#endif
}

Baseline make_baseline(const std::string& dir, const BaselineOptions& o) {
  Baseline b;
  b.dir = dir;
  b.mlp_sizes = o.mlp_sizes;
  b.gpt = o.gpt;
  Dataset train = load_fashion_mnist(Split::train, o.train_images);
  Dataset test = load_fashion_mnist(Split::test, o.test_images);
  Sequential model = make_mlp(o.mlp_sizes, o.seed);
  Adam opt(model.params(), 1e-3F);
  TrainOptions to;
  to.batch_size = 64;
  to.epochs = o.epochs;
  to.seed = o.seed;
  to.progress = o.progress;
  fit(model, opt, train, to);
  b.accuracy = evaluate(model, test);
  b.test_images = test.size();
  GPT gpt(o.gpt);
  fs::create_directories(dir);
  save_weights(model.named_params(), dir + "/classifier");
  save_weights(gpt.named_params(), dir + "/generator");
  b.generation_cpu_seconds = baseline_generation_cpu_seconds(b);
  json j{{"schema", "tt-capstone-baseline/1"},
         {"mlp_sizes", o.mlp_sizes},
         {"gpt", gpt_to_json(o.gpt)},
         {"accuracy", b.accuracy},
         {"test_images", b.test_images},
         {"generation_cpu_seconds_256", b.generation_cpu_seconds},
         {"train_images", train.size()},
         {"epochs", o.epochs},
         {"seed", o.seed}};
  const std::string tmp = dir + "/baseline.json.tmp";
  std::ofstream(tmp) << j.dump(2) << "\n";
  fs::rename(tmp, dir + "/baseline.json");  // last, so a half-written baseline is never loaded
  return b;
}

Baseline load_baseline(const std::string& dir) {
  std::ifstream in(dir + "/baseline.json");
  if (!in)
    throw data_error("capstone baseline: " + dir + "/baseline.json not found; make it with `m20_make_baseline " + dir +
                     "` (trains the fp32 MLP and writes the weights)");
  json j;
  try {
    in >> j;
    Baseline b;
    b.dir = dir;
    b.mlp_sizes = j.at("mlp_sizes").get<std::vector<std::size_t>>();
    b.gpt = gpt_from_json(j.at("gpt"));
    b.accuracy = j.at("accuracy");
    b.test_images = j.at("test_images");
    b.generation_cpu_seconds = j.value("generation_cpu_seconds_256", 0.0);
    return b;
  } catch (const json::exception& e) {
    throw data_error("capstone baseline: " + dir + "/baseline.json is malformed (" + e.what() +
                     "); delete the directory and run m20_make_baseline again");
  }
}

Baseline load_or_make_baseline(const std::string& dir, const BaselineOptions& options) {
  if (fs::exists(dir + "/baseline.json")) return load_baseline(dir);
  return make_baseline(dir, options);
}

}  // namespace tt::capstone
