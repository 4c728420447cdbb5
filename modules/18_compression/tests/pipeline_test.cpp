// Tests of the compression pipeline: one StageReport per step with sensible numbers (task 18.12).
// Not a check of the headline accuracy numbers: those come from the benchmark on Fashion-MNIST.
#include "tt/compress/pipeline.hpp"

#include "m18_fixtures.hpp"
#include "tt/compress/csr.hpp"
#include "tt/models.hpp"
#include "tt/optim.hpp"
#include "tt/testing.hpp"
#include "tt/train.hpp"

TEST_CASE("The pipeline prunes then fine-tunes then stores sparse and reports every step", "[m18][18.12][points=2]") {
  const tt::Dataset train = m18::synthetic_data(512, 16, 3, 3);
  const tt::Dataset test = m18::synthetic_data(256, 16, 3, 4);
  tt::Sequential model = tt::make_mlp({16, 64, 3}, 3);
  {
    tt::Adam opt(model.params(), 1e-2F);
    tt::TrainOptions o;
    o.epochs = 3;
    o.batch_size = 32;
    o.progress = false;
    tt::fit(model, opt, train, o);
  }
  tt::compress::PipelineOptions o;
  o.sparsity = 0.8;
  o.finetune_epochs = 2;
  o.lr = 5e-3F;
  o.batch_size = 32;
  o.progress = false;
  o.latency_runs = 3;
  bool quantized = false;
  bool quantize_saw_dense = false;
  o.quantize = [&](tt::Sequential& m) {
    quantized = true;
    quantize_saw_dense = m.as<tt::Linear>(1) != nullptr && m.as<tt::Linear>(3) != nullptr;
  };
  const auto stages = tt::compress::run_pipeline(model, train, test, o);
  REQUIRE(stages.size() == 5);
  CHECK(stages[0].stage == "baseline");
  CHECK(stages[1].stage == "pruned");
  CHECK(stages[2].stage == "fine-tuned");
  CHECK(stages[3].stage == "sparse (CSR)");
  CHECK(stages[4].stage == "quantized");
  CHECK(quantized);
  CHECK(quantize_saw_dense);  // CSR layers were turned back into Linears for module 17
  CHECK(stages[0].sparsity < 0.01);
  CHECK(stages[1].sparsity == Approx(0.8).margin(0.01));
  CHECK(stages[2].sparsity >= 0.79);
  CHECK(stages[3].sparsity >= 0.79);
  CHECK(stages[0].bytes == std::size_t{4} * (16 * 64 + 64 + 64 * 3 + 3));
  CHECK(stages[2].bytes == stages[0].bytes);                             // zeros in place take the same space
  CHECK(stages[3].bytes < stages[0].bytes / 2);                          // CSR at 80% sparsity
  CHECK(stages[3].bytes >= 8 * (16 * 64 + 64 * 3) / 5);                  // yet ≥ 4-byte value + 4-byte index per kept weight
  CHECK(stages[2].accuracy >= stages[1].accuracy - 0.02);                // fine-tuning recovers (or holds)
  CHECK(stages[3].accuracy == Approx(stages[2].accuracy).margin(1e-9));  // CSR computes the same function
  CHECK(stages[0].accuracy > 0.6);
  for (const auto& s : stages) CHECK(s.latency_ms > 0);
  CHECK(stages[4].sparsity >= 0.79);
  CHECK(stages[4].accuracy == Approx(stages[2].accuracy).margin(1e-9));  // the hook changed nothing here

  SECTION("without a quantize hook the model ends in CSR form") {
    tt::Sequential m2 = tt::make_mlp({16, 64, 3}, 4);
    o.quantize = nullptr;
    o.finetune_epochs = 0;
    const auto s2 = tt::compress::run_pipeline(m2, train, test, o);
    REQUIRE(s2.size() == 4);
    CHECK(m2.as<tt::compress::SparseLinear>(1) != nullptr);
    CHECK(m2.as<tt::compress::SparseLinear>(3) != nullptr);
    // A SparseLinear keeps its weights outside params(): its CSR bytes are the model's bytes.
    CHECK(s2[3].bytes == m2.as<tt::compress::SparseLinear>(1)->storage_bytes() +
                             m2.as<tt::compress::SparseLinear>(3)->storage_bytes());
  }
}

TEST_CASE("The pipeline fine-tunes with the pruning masks re-applied after every step", "[m18][18.12][points=1]") {
  // The final remove() zeroes the pruned weights either way; what the masks change is the kept
  // weights: trained while the pruned ones regrow, they learn a different function. So the
  // pipeline's fine-tuned weights must equal a masked fine-tune done here step by step.
  const tt::Dataset train = m18::synthetic_data(512, 16, 3, 5);
  const tt::Dataset test = m18::synthetic_data(64, 16, 3, 6);
  tt::compress::PipelineOptions o;
  o.sparsity = 0.8;
  o.finetune_epochs = 2;
  o.lr = 1e-2F;
  o.batch_size = 32;
  o.seed = 9;
  o.to_sparse = false;
  o.progress = false;
  o.latency_runs = 1;
  tt::Sequential model = tt::make_mlp({16, 32, 3}, 8);
  (void)tt::compress::run_pipeline(model, train, test, o);

  tt::Sequential expected = tt::make_mlp({16, 32, 3}, 8);
  tt::compress::MagnitudePruner pruner(expected);
  pruner.prune(o.sparsity, o.scope);
  tt::Adam opt(expected.params(), o.lr);
  tt::TrainOptions t;
  t.batch_size = o.batch_size;
  t.epochs = o.finetune_epochs;
  t.seed = o.seed;
  t.progress = false;
  t.after_step = pruner.hook();
  tt::fit(expected, opt, train, t);
  pruner.remove();
  for (const std::size_t i : {std::size_t{1}, std::size_t{3}}) {
    const tt::Tensor& want = expected.as<tt::Linear>(i)->weight.value;
    CHECK_THAT(model.as<tt::Linear>(i)->weight.value, tt::testing::AllClose(want, {1e-5, 1e-4}));
  }
}
