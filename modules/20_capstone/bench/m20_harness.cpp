// m20_harness: the grader's capstone measurement. The entry and the baseline answer in their own
// processes (m20_entry_server); this process — the course's reference build — asks, reads their
// CPU clocks through the grader, computes every number itself and writes the result file.
// Not something a student runs: tt-grade starts it with the servers and the clock connected.
//
// usage: m20_harness --baseline DIR --out FILE [--name NAME] [--sources DIR] [--queries N] [--rounds N]
//        [--trainer-runs N] [--trainer-target A] [--trainer-timeout S] [--dataset fashion-mnist|cifar10] [--data DIR]
// Result (tt-capstone-measure/1): {"submission": a tt-capstone-submission/1 object (for the
// leaderboard), "fields": the scored ratios, "checks": how each number was obtained}.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tt/arg_numbers.hpp"
#include "tt/capstone/baseline.hpp"
#include "tt/capstone/harness.hpp"
#include "tt/capstone/model_io.hpp"
#include "tt/capstone/protocol.hpp"
#include "tt/capstone/remote_measure.hpp"
#include "tt/capstone/scoring.hpp"
#include "tt/capstone/trainer.hpp"
#include "tt/errors.hpp"
#include "tt/loss.hpp"
#include "tt/timer.hpp"

namespace {

using namespace tt::capstone;
using nlohmann::json;

constexpr int kEntry = 0, kBaseline = 1, kReference = 2;  // server indices, as tt-grade connects them
constexpr std::size_t kWarmup = 10, kBatch = 256, kThroughputBatches = 8, kCachingQueries = 40;
constexpr double kAgreementToVerify = 0.999;  // share of test images the rebuilt model must answer alike

tt::Tensor rows_of(const tt::Dataset& d, std::size_t begin, std::size_t count) { return test_rows(d, begin, count); }

std::vector<std::int32_t> predictions(const tt::Tensor& logits) { return tt::argmax_rows(logits); }

struct Args {
  std::string baseline, out, name = "entry", sources;
  std::size_t queries = 200, rounds = 5;
  TrainerRace race{0, 30, {}};  // --trainer-runs 0: no race
};

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; i += 2) {
    const std::string k = argv[i];
    if (i + 1 >= argc) throw tt::value_error(k + " needs a value");
    const std::string v = argv[i + 1];
    if (k == "--baseline")
      a.baseline = v;
    else if (k == "--out")
      a.out = v;
    else if (k == "--name")
      a.name = v;
    else if (k == "--sources")
      a.sources = v;
    else if (k == "--queries")
      a.queries = tt::parse_count(k, v, 1, 100000);
    else if (k == "--rounds")
      a.rounds = tt::parse_count(k, v, 1, 1000);
    else if (k == "--trainer-runs")
      a.race.runs = tt::parse_count(k, v, 0, 100);  // 0: no race
    else if (k == "--trainer-timeout")
      a.race.timeout_seconds = tt::parse_real(k, v, 0.1, 3600);
    else if (k == "--trainer-target")
      a.race.request.target_accuracy = tt::parse_real(k, v, 0, 1);
    else if (k == "--dataset")
      a.race.request.dataset = to_string(trainer_dataset(v));
    else if (k == "--data")
      a.race.request.data = v;
    else
      throw tt::value_error("unknown argument " + k);
  }
  if (a.baseline.empty() || a.out.empty()) throw tt::value_error("--baseline DIR and --out FILE are required");
  return a;
}

// Where the exported classifier spends a batch's forward pass, by layer kind: the model as the
// course rebuilt it, timed here on the course's kernels (the structure is the entry's; the speed of
// each layer is the reference's). Feeds the arena's suggestions; never a score.
json layer_profile(tt::Sequential& model, const tt::Tensor& batch) {
  constexpr int kReps = 5;
  std::vector<double> seconds(model.size(), 0.0);
  for (int r = 0; r < kReps; ++r) {
    tt::Tensor x = batch;
    for (std::size_t i = 0; i < model.size(); ++i) {
      const double t0 = tt::timing::now_seconds();
      x = model.at(i).forward(x);
      seconds[i] += tt::timing::now_seconds() - t0;
    }
  }
  double total = 0;
  for (double s : seconds) total += s;
  std::vector<std::pair<std::string, double>> by_kind;
  std::string dtype = "fp32";
  for (std::size_t i = 0; i < model.size(); ++i) {
    const std::string kind = model.at(i).kind();
    if (kind.find("Quantized") != std::string::npos) dtype = "int8";
    auto it = std::find_if(by_kind.begin(), by_kind.end(), [&](const auto& k) { return k.first == kind; });
    if (it == by_kind.end())
      by_kind.emplace_back(kind, seconds[i]);
    else
      it->second += seconds[i];
  }
  json breakdown = json::array();
  for (const auto& [kind, s] : by_kind) breakdown.push_back({{"op", kind}, {"share", total > 0 ? s / total : 0.0}});
  return {{"what", "the exported classifier, rebuilt by the course, batch of 256, course kernels"},
          {"breakdown", breakdown},
          {"weights_dtype", dtype}};
}

// Server CPU seconds of one call, read through the grader's clock before and after.
template <class F>
double cpu_of(Clock& clock, int server, F&& call) {
  const double c0 = clock.cpu(server);
  call();
  return clock.cpu(server) - c0;
}

json measure(const Args& a) {
  const Baseline base = load_baseline(a.baseline);
  if (!(base.generation_cpu_seconds > 0))
    throw tt::data_error("the baseline in " + a.baseline +
                         " predates generation timing; re-make it (m20_make_baseline)");
  const tt::Dataset test = tt::load_fashion_mnist(tt::Split::test);
  // The race's test split, loaded first: a data set that is not there stops the harness before it asks anything.
  // Fashion-MNIST from its default folder is the test split above (not copied).
  std::optional<tt::Dataset> other_race_test;
  if (a.race.runs > 0) {
    const TrainerDataset d = trainer_dataset(a.race.request.dataset);
    if (d != TrainerDataset::fashion_mnist || !a.race.request.data.empty())
      other_race_test = load_trainer_split(d, tt::Split::test, a.race.request.data);
  }
  const tt::Dataset& race_test = other_race_test ? *other_race_test : test;
  Clock clock;
  if (!clock.available()) throw tt::value_error("no clock service: m20_harness is started by tt-grade");
  RemoteEntry entry(harness_answer_fd(kEntry), harness_command_fd(kEntry), "entry");
  RemoteEntry baseline(harness_answer_fd(kBaseline), harness_command_fd(kBaseline), "baseline");
  RemoteEntry reference(harness_answer_fd(kReference), harness_command_fd(kReference), "reference");
  std::fprintf(stderr, "m20_harness: waiting for the servers (the entries build themselves first)\n");
  baseline.wait_ready();
  reference.wait_ready();
  entry.wait_ready();
  const json info = entry.info();

  // 1. Single-stream latency: the entry, the baseline and the course's reference entry asked the
  //    same queries in turn, `rounds` rounds, each query on the asked server's CPU clock.
  const std::vector<RemoteEntry*> servers{&entry, &baseline, &reference};
  for (std::size_t i = 0; i < kWarmup; ++i)
    for (auto* s : servers) (void)s->classify(rows_of(test, i, 1));
  const std::size_t per_round = std::max<std::size_t>(1, a.queries / a.rounds);
  const LatencyRounds lat = measure_latency(servers, clock, test, a.rounds, per_round);
  Measurement m;
  m.queries = per_round * a.rounds;
  m.latency_p50_ms = percentile(lat.query_ms[kEntry], 50);
  m.latency_p90_ms = percentile(lat.query_ms[kEntry], 90);
  const double base_p50 = percentile(lat.query_ms[kBaseline], 50);
  std::vector<double> vs_reference;
  for (std::size_t r = 0; r < a.rounds; ++r)
    vs_reference.push_back(lat.round_p50[kEntry][r] / lat.round_p50[kReference][r]);
  std::vector<double> entry_wall_ms;
  for (std::size_t q = 0; q < 20; ++q) {
    const double w0 = tt::timing::now_seconds();
    (void)entry.classify(rows_of(test, q, 1));
    entry_wall_ms.push_back(1e3 * (tt::timing::now_seconds() - w0));
  }
  const AntiCaching caching = anti_caching(entry, clock, kEntry, test, kCachingQueries);

  // 2. Offline throughput: batches of 256 on the entry's CPU clock.
  m.throughput_batch = kBatch;
  double batch_cpu = 0;
  for (std::size_t b = 0; b < kThroughputBatches; ++b) {
    const tt::Tensor x = rows_of(test, b * kBatch, kBatch);
    batch_cpu += cpu_of(clock, kEntry, [&] { (void)entry.classify(x); });
  }
  m.throughput_ips = batch_cpu > 0 ? double(kBatch * kThroughputBatches) / batch_cpu : 0;

  // 3. Accuracy on every test image, computed here from the entry's logits.
  std::vector<std::int32_t> entry_pred;
  for (std::size_t b = 0; b < test.size(); b += kBatch) {
    const std::size_t n = std::min(kBatch, test.size() - b);
    const auto p = predictions(entry.classify(rows_of(test, b, n)));
    entry_pred.insert(entry_pred.end(), p.begin(), p.end());
  }
  // Share of [begin, end) the entry classified right. The arena's public board shows the first half
  // of the test set (the visible split), its final board the second half (hidden until the phase
  // closes); the grade uses all of it.
  auto accuracy_of = [&](std::size_t begin, std::size_t end) {
    std::size_t ok = 0;
    for (std::size_t i = begin; i < end; ++i) ok += entry_pred[i] == test.labels[i] ? 1 : 0;
    return end > begin ? double(ok) / double(end - begin) : 0.0;
  };
  const std::size_t visible = test.size() / 2;
  auto split_json = [&](std::size_t begin, std::size_t end) {
    return json{{"begin", begin}, {"count", end - begin}, {"accuracy", accuracy_of(begin, end)}};
  };
  m.test_images = test.size();
  m.accuracy = accuracy_of(0, test.size());
  m.baseline_accuracy = base.accuracy;

  // 4. Generation: 256 tokens after the prompt 1..8, the entry's CPU clock and resident memory.
  const auto before = clock.memory(kEntry);
  m.max_rss_bytes = before.second;
  clock.reset_peak(kEntry);
  std::vector<std::int32_t> prompt;
  for (std::size_t i = 0; i < kBaselinePromptTokens; ++i) prompt.push_back(static_cast<std::int32_t>(i + 1));
  std::vector<std::int32_t> tokens;
  const double gen_cpu = cpu_of(clock, kEntry, [&] { tokens = entry.generate(prompt, kBaselineGenerationTokens); });
  const auto after = clock.memory(kEntry);
  if (tokens.size() != prompt.size() + kBaselineGenerationTokens ||
      !std::equal(prompt.begin(), prompt.end(), tokens.begin()))
    throw tt::shape_error("the entry's generate() must return the prompt followed by 256 new ids; it returned " +
                          std::to_string(tokens.size()) + " ids");
  // How generation scales tells whether it is cached: 4× the tokens costs ~4× with a KV cache and
  // ~12× or more when every token recomputes the whole sequence.
  const double gen64_cpu = cpu_of(clock, kEntry, [&] { (void)entry.generate(prompt, kBaselineGenerationTokens / 4); });
  const double gen_scaling = gen64_cpu > 0 ? gen_cpu / gen64_cpu : 0;
  m.generation_tokens = kBaselineGenerationTokens;
  m.generation_tokens_per_s = gen_cpu > 0 ? double(kBaselineGenerationTokens) / gen_cpu : 0;
  m.generation_peak_bytes = after.second > before.first ? after.second - before.first : 0;
  m.max_rss_bytes = std::max(m.max_rss_bytes, after.second);
  m.tracked_peak_bytes = m.max_rss_bytes;

  // 5. The classifier's bytes: rebuilt here from the entry's export, counted here, and trusted
  //    only if the rebuilt model answers like the entry on the test set.
  tt::Sequential base_model = load_classifier(base);
  m.baseline_model_bytes = classifier_bytes(base_model);
  json model_check{{"verified", false}};
  json profile = nullptr;
  std::size_t verified_bytes = 0;
  try {
    tt::Sequential rebuilt = import_classifier(entry.export_model());
    std::size_t same = 0;
    for (std::size_t b = 0; b < test.size(); b += kBatch) {
      const std::size_t n = std::min(kBatch, test.size() - b);
      const auto p = predictions(rebuilt.forward(rows_of(test, b, n)));
      for (std::size_t i = 0; i < n; ++i) same += p[i] == entry_pred[b + i] ? 1 : 0;
    }
    const double agreement = double(same) / double(test.size());
    profile = layer_profile(rebuilt, rows_of(test, 0, kBatch));
    verified_bytes = classifier_bytes(rebuilt);
    model_check = {{"verified", agreement >= kAgreementToVerify}, {"agreement", agreement}, {"bytes", verified_bytes}};
    if (agreement < kAgreementToVerify)
      model_check["note"] = "the classifier() it exported does not give classify()'s answers";
  } catch (const std::exception& e) {
    model_check["note"] = e.what();
  }
  // 6. The fastest-trainer race (20.6): the entry trains from the pristine split, timed here, tested here.
  const json trainer = a.race.runs > 0 ? trainer_race(entry, race_test, a.race) : json(nullptr);

  const bool verified = model_check["verified"].get<bool>();
  // Unverified bytes earn nothing: the baseline's count stands in for them.
  m.model_bytes = verified ? verified_bytes : m.baseline_model_bytes;

  const std::string name = a.name;
  const json digest = a.sources.empty() ? json{{"algorithm", "sha256"},
                                               {"files", {{"none", std::string(64, '0')}}},
                                               {"combined", std::string(64, '0')}}
                                        : source_digest(a.sources, digested_files());
  const json submission = make_submission_json(name, info.value("description", ""), m, capture_environment(), digest);
  json fields{{"latency_speedup", base_p50 / m.latency_p50_ms},
              {"size_ratio", double(m.baseline_model_bytes) / double(m.model_bytes)},
              {"accuracy_ratio", m.accuracy / base.accuracy},
              {"generation_speedup", base.generation_cpu_seconds / gen_cpu}};
  json checks{{"clock", "the servers' CPU time, read by tt-grade before and after each request"},
              {"latency_wall_p50_ms", percentile(entry_wall_ms, 50)},
              {"baseline_latency_p50_ms", base_p50},
              {"rounds", a.rounds},
              {"round_p50_ms",
               {{"entry", lat.round_p50[kEntry]},
                {"baseline", lat.round_p50[kBaseline]},
                {"reference", lat.round_p50[kReference]}}},
              {"reference", {{"latency_p50_ms", percentile(lat.query_ms[kReference], 50)}}},
              {"latency_vs_reference", interval_json(ratio_interval(vs_reference), vs_reference)},
              {"anti_caching",
               {{"repeated_p50_ms", caching.repeated_p50_ms},
                {"distinct_p50_ms", caching.distinct_p50_ms},
                {"ratio", caching.repeated_p50_ms / caching.distinct_p50_ms},
                {"suspicious", caching.suspicious}}},
              {"baseline_generation_cpu_seconds", base.generation_cpu_seconds},
              {"generation_cpu_seconds", gen_cpu},
              {"model", model_check},
              {"public_split", split_json(0, visible)},
              {"hidden_split", split_json(visible, test.size())},
              {"gate_passed", passes_gate(m.accuracy, base.accuracy)},
              {"trainer", trainer}};
  if (profile.is_object()) {
    profile["generation_scaling_256_vs_64"] = gen_scaling;
    profile["cached_generation"] = gen_scaling > 0 && gen_scaling < 8;
  }
  checks["profile"] = profile;
  entry.quit();
  baseline.quit();
  reference.quit();
  return {{"schema", "tt-capstone-measure/1"}, {"submission", submission}, {"fields", fields}, {"checks", checks}};
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Args a = parse(argc, argv);
    const json result = measure(a);
    const std::string tmp = a.out + ".tmp";
    std::ofstream(tmp) << result.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
    std::rename(tmp.c_str(), a.out.c_str());
    const auto& f = result["fields"];
    std::printf("latency %.3gx, size %.3gx, accuracy %.4f of the baseline's, generation %.3gx\n",
                f["latency_speedup"].get<double>(), f["size_ratio"].get<double>(), f["accuracy_ratio"].get<double>(),
                f["generation_speedup"].get<double>());
    if (const auto& t = result["checks"]["trainer"]; t.is_object())
      std::printf("trainer: %s of %zu runs reached %.3g; median %s s\n", t["reached"].dump().c_str(), t["runs"].size(),
                  t["target_accuracy"].get<double>(), t["median_seconds"].dump().c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "m20_harness: %s\n", e.what());
    return 1;
  }
  return 0;
}
