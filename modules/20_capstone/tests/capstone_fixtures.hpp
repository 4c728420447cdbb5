// Shared test fixtures for module 20: a fake submission with known behaviour, a synthetic test set, files.
// Not a real entry: the fake answers from the images themselves so accuracy and memory are known exactly.
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "tt/capstone/harness.hpp"
#include "tt/capstone/submission.hpp"
#include "tt/capstone/validate.hpp"
#include "tt/sequential.hpp"
#include "tt/testing/temp_dir.hpp"

namespace m20 {

// Pixel 0 of each image holds its label; pixel 1 is 1 when the fake must answer wrongly.
inline tt::Dataset synthetic_test_set(std::size_t n, std::size_t wrong_every) {
  tt::Dataset d;
  d.images = tt::Tensor::from_shape({n, 1, 28, 28});
  d.images.fill(0.0F);
  for (std::size_t i = 0; i < n; ++i) {
    const auto label = static_cast<std::int32_t>(i % 10);
    d.labels.push_back(label);
    d.images(i, 0, 0, 0) = float(label);
    d.images(i, 0, 0, 1) = (wrong_every && i % wrong_every == wrong_every - 1) ? 1.0F : 0.0F;
  }
  return d;
}

// Answers label (or label + 1 when flagged) and holds kScratch floats while it works.
class FakeSubmission : public tt::capstone::Submission {
 public:
  static constexpr std::size_t kScratchFloats = 1 << 16;  // 256 KiB tracked during each call
  static constexpr std::size_t kModelBytes = 12345;
  bool bad_shape = false;
  bool bad_generation = false;
  std::size_t classify_calls = 0;

  std::string name() const override { return "fake"; }
  std::string description() const override { return "answers from pixel 0"; }
  tt::Tensor classify(const tt::Tensor& x) override {
    ++classify_calls;
    tt::Tensor scratch = tt::Tensor::from_shape({kScratchFloats});
    scratch.fill(1.0F);
    const std::size_t n = x.shape()[0];
    tt::Tensor y = tt::Tensor::from_shape({n, bad_shape ? std::size_t(9) : std::size_t(10)});
    y.fill(0.0F);
    for (std::size_t i = 0; i < n; ++i) {
      auto c = static_cast<std::size_t>(x(i, 0, 0, 0));
      if (x(i, 0, 0, 1) > 0.5F) c = (c + 1) % 10;
      // Work per image as well as per call, as a real model has: a batch of 32 then takes
      // clearly longer than one query, which the harness's files are validated against.
      constexpr std::size_t kWorkFloats = kScratchFloats / 8;
      float sum = 0.0F;
      for (std::size_t k = 0; k < kWorkFloats; ++k) sum += scratch(k);
      y(i, c % y.shape()[1]) = sum / float(kWorkFloats);
    }
    return y;
  }
  tt::Sequential& classifier() override { return model_; }
  tt::TokenBatch generate(const tt::TokenBatch& prompt, std::size_t n_new) override {
    tt::Tensor scratch = tt::Tensor::from_shape({2 * kScratchFloats});
    scratch.fill(0.0F);
    tt::TokenBatch out = prompt;
    for (auto& s : out) s.resize(s.size() + n_new - (bad_generation ? 1 : 0), 7);
    return out;
  }
  std::size_t model_bytes() override { return kModelBytes; }

 private:
  tt::Sequential model_;  // empty: this fake answers without a model
};

inline tt::capstone::MeasureOptions small_options() {
  tt::capstone::MeasureOptions o;
  o.queries = 120;
  o.warmup_queries = 2;
  o.throughput_batch = 32;
  o.throughput_batches = 3;
  o.generation_tokens = 16;
  o.baseline_accuracy = 0.8;
  o.baseline_bytes = 4 * FakeSubmission::kModelBytes;
  return o;
}

using tt::testing::TempDir;  // a unique scratch directory, removed by its destructor

// A valid submission document as the harness would write it, without measuring anything.
inline nlohmann::json valid_submission(const std::string& name, double p50_ms = 0.05, double accuracy = 0.8812) {
  nlohmann::json j;
  j["schema"] = tt::capstone::kSubmissionSchema;
  j["name"] = name;
  j["description"] = "test entry " + name;
  j["harness"] = {{"version", tt::capstone::kHarnessVersion}, {"measured", tt::capstone::result_keys()}};
  j["environment"] = {
      {"cpu", "Test CPU"}, {"compiler", "g++ 12"}, {"flags", "-O2"}, {"host", "h"}, {"date", "2026-01-01T00:00:00Z"}};
  const std::string hex(64, 'a');
  j["source_digest"] = {{"algorithm", "sha256"}, {"files", {{"src/entry.cpp", hex}}}, {"combined", hex}};
  j["results"] = {{"queries", 200},
                  {"latency_p50_ms", p50_ms},
                  {"latency_p90_ms", p50_ms * 1.2},
                  {"throughput_batch", 256},
                  {"throughput_ips", 40000.0},
                  {"test_images", 10000},
                  {"accuracy", accuracy},
                  {"baseline_accuracy", 0.8850},
                  {"model_bytes", 60000},
                  {"baseline_model_bytes", 940000},
                  {"tracked_peak_bytes", 3000000},
                  {"max_rss_bytes", 90000000},
                  {"generation_tokens", 256},
                  {"generation_tokens_per_s", 2500.0},
                  {"generation_peak_bytes", 700000}};
  return j;
}

}  // namespace m20
