// Provided course code: the capstone's measurement harness, environment capture, source digest and submission file.
// Not a student file: every entry is measured by this same code (module.json "provided_files").
#include "tt/capstone/harness.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <map>

#include "tt/capstone/scoring.hpp"
#include "tt/capstone/sha256.hpp"
#include "tt/errors.hpp"
#include "tt/loss.hpp"
#include "tt/timer.hpp"
#include "tt/tracking.hpp"

namespace tt::capstone {
using nlohmann::json;

namespace {

void report(const MeasureOptions& o, const std::string& phase, std::size_t done, std::size_t total) {
  if (o.progress) o.progress(phase, done, total);
}

// Rows [begin, begin + count) of the images, wrapping around the end of the set.
Tensor rows_of(const Dataset& d, std::size_t begin, std::size_t count) {
  const std::size_t n = d.size();
  const std::size_t per = d.images.size() / n;
  Tensor out = Tensor::from_shape({count, 1, 28, 28});
  for (std::size_t r = 0; r < count; ++r)
    std::copy_n(d.images.data() + ((begin + r) % n) * per, per, out.data() + r * per);
  return out;
}

void check_logits(const Tensor& logits, std::size_t n) {
  if (logits.dimension() != 2 || logits.shape()[0] != n || logits.shape()[1] != kFashionMnistClasses)
    throw shape_error("capstone harness: classify() of " + std::to_string(n) + " images must return (" +
                      std::to_string(n) + ", 10) logits; found " + std::to_string(logits.dimension()) +
                      "-d output with " + std::to_string(logits.size()) + " values");
}

std::size_t max_rss_bytes() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<std::size_t>(ru.ru_maxrss) * 1024;  // Linux reports KiB
}

std::string first_line_of_command(const std::string& cmd) {
  std::string out;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    std::array<char, 512> buf{};
    if (fgets(buf.data(), buf.size(), p)) out = buf.data();
    pclose(p);
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

}  // namespace

const std::vector<std::string>& result_keys() {
  static const std::vector<std::string> keys{"queries",
                                             "latency_p50_ms",
                                             "latency_p90_ms",
                                             "throughput_batch",
                                             "throughput_ips",
                                             "test_images",
                                             "accuracy",
                                             "baseline_accuracy",
                                             "model_bytes",
                                             "baseline_model_bytes",
                                             "tracked_peak_bytes",
                                             "max_rss_bytes",
                                             "generation_tokens",
                                             "generation_tokens_per_s",
                                             "generation_peak_bytes"};
  return keys;
}

Measurement measure(Submission& s, const Dataset& test, const MeasureOptions& o) {
  if (test.size() == 0) throw value_error("capstone harness: the test set is empty; load it with load_fashion_mnist");
  if (o.queries == 0 || o.throughput_batch == 0 || o.generation_tokens == 0 || o.prompt_tokens == 0)
    throw value_error("capstone harness: queries, throughput_batch, prompt_tokens and generation_tokens must be > 0");
  Measurement m;
  tracking::Scope whole;

  // 1. Single-stream: one image per query, as a deployed model answering one request at a time.
  for (std::size_t i = 0; i < o.warmup_queries; ++i) check_logits(s.classify(rows_of(test, i, 1)), 1);
  m.latency_samples_ms.reserve(o.queries);
  for (std::size_t q = 0; q < o.queries; ++q) {
    Tensor x = rows_of(test, q, 1);
    const double t0 = timing::now_seconds();
    Tensor y = s.classify(x);
    const double t1 = timing::now_seconds();
    check_logits(y, 1);
    m.latency_samples_ms.push_back((t1 - t0) * 1e3);
    if ((q + 1) % 50 == 0 || q + 1 == o.queries) report(o, "latency", q + 1, o.queries);
  }
  m.queries = o.queries;
  m.latency_p50_ms = percentile(m.latency_samples_ms, 50);
  m.latency_p90_ms = percentile(m.latency_samples_ms, 90);

  // 2. Offline: batches of throughput_batch images, the time of all calls together.
  m.throughput_batch = o.throughput_batch;
  {
    std::vector<Tensor> batches;
    for (std::size_t b = 0; b < o.throughput_batches; ++b)
      batches.push_back(rows_of(test, b * o.throughput_batch, o.throughput_batch));
    check_logits(s.classify(batches.front()), o.throughput_batch);  // warm-up
    const double t0 = timing::now_seconds();
    for (std::size_t b = 0; b < batches.size(); ++b) {
      Tensor y = s.classify(batches[b]);
      check_logits(y, o.throughput_batch);
      report(o, "throughput", b + 1, batches.size());
    }
    const double secs = timing::now_seconds() - t0;
    m.throughput_ips = secs > 0 ? double(o.throughput_batch * batches.size()) / secs : 0;
  }

  // 3. Accuracy on every test image.
  std::size_t correct = 0;
  constexpr std::size_t kEvalBatch = 256;
  for (std::size_t b = 0; b < test.size(); b += kEvalBatch) {
    const std::size_t n = std::min(kEvalBatch, test.size() - b);
    Tensor y = s.classify(rows_of(test, b, n));
    check_logits(y, n);
    const auto pred = argmax_rows(y);
    for (std::size_t i = 0; i < n; ++i) correct += pred[i] == test.labels[b + i] ? 1 : 0;
    report(o, "accuracy", b + n, test.size());
  }
  m.test_images = test.size();
  m.accuracy = double(correct) / double(test.size());
  m.baseline_accuracy = o.baseline_accuracy;
  m.model_bytes = s.model_bytes();
  m.baseline_model_bytes = o.baseline_bytes;

  // 4. Generation: batch 1, prompt 1, 2, …, P, n new tokens.
  TokenBatch prompt(1);
  for (std::size_t i = 0; i < o.prompt_tokens; ++i) prompt[0].push_back(std::int32_t(1 + i));
  {
    tracking::Scope gen;
    const double t0 = timing::now_seconds();
    TokenBatch out = s.generate(prompt, o.generation_tokens);
    const double secs = timing::now_seconds() - t0;
    if (out.size() != 1 || out[0].size() != o.prompt_tokens + o.generation_tokens ||
        !std::equal(prompt[0].begin(), prompt[0].end(), out[0].begin()))
      throw shape_error("capstone harness: generate(prompt of " + std::to_string(o.prompt_tokens) + ", " +
                        std::to_string(o.generation_tokens) + ") must return 1 sequence of " +
                        std::to_string(o.prompt_tokens + o.generation_tokens) +
                        " ids starting with the prompt; found " + std::to_string(out.size()) + " sequence(s) of " +
                        std::to_string(out.empty() ? 0 : out[0].size()));
    m.generation_tokens = o.generation_tokens;
    m.generation_tokens_per_s = secs > 0 ? double(o.generation_tokens) / secs : 0;
    m.generation_peak_bytes = gen.peak_bytes();
    report(o, "generation", 1, 1);
  }
  m.tracked_peak_bytes = whole.peak_bytes();
  m.max_rss_bytes = max_rss_bytes();
  return m;
}

json capture_environment() {
  json env;
  std::string cpu;
  std::ifstream info("/proc/cpuinfo");
  for (std::string line; std::getline(info, line);)
    if (line.rfind("model name", 0) == 0) {
      cpu = line.substr(line.find(':') + 2);
      break;
    }
  env["cpu"] = cpu.empty() ? "unknown" : cpu;
  env["cores"] = sysconf(_SC_NPROCESSORS_ONLN);
#if defined(__clang__)
  env["compiler"] = "clang " __clang_version__;
#elif defined(__GNUC__)
  env["compiler"] = "g++ " __VERSION__;
#else
  env["compiler"] = "unknown";
#endif
#ifdef TT_M20_FLAGS
  env["flags"] = TT_M20_FLAGS;
#else
  env["flags"] = "unknown";
#endif
  std::array<char, 256> host{};
  gethostname(host.data(), host.size() - 1);
  env["host"] = host.data();
  std::time_t now = std::time(nullptr);
  std::array<char, 32> date{};
  std::strftime(date.data(), date.size(), "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  env["date"] = date.data();
  env["git"] = first_line_of_command("git rev-parse --short HEAD 2>/dev/null");
  return env;
}

const std::vector<std::string>& digested_files() {
  static const std::vector<std::string> files{"src/entry.cpp",       "src/scoring.cpp",          "src/validate.cpp",
                                              "src/leaderboard.cpp", "src/leaderboard_html.cpp", "src/trainer.cpp"};
  return files;
}

json source_digest(const std::string& root, const std::vector<std::string>& files) {
  std::vector<std::string> sorted = files;
  std::sort(sorted.begin(), sorted.end());
  json per = json::object();
  std::string list;
  for (const auto& f : sorted) {
    const std::string d = sha256_file(root + "/" + f);
    per[f] = d;
    list += f + '\0' + d + '\n';
  }
  return {{"algorithm", "sha256"}, {"files", per}, {"combined", sha256_hex(list)}};
}

json make_submission_json(const std::string& name, const std::string& description, const Measurement& m,
                          const json& environment, const json& digest) {
  json r;
  r["queries"] = m.queries;
  r["latency_p50_ms"] = m.latency_p50_ms;
  r["latency_p90_ms"] = m.latency_p90_ms;
  r["throughput_batch"] = m.throughput_batch;
  r["throughput_ips"] = m.throughput_ips;
  r["test_images"] = m.test_images;
  r["accuracy"] = m.accuracy;
  r["baseline_accuracy"] = m.baseline_accuracy;
  r["model_bytes"] = m.model_bytes;
  r["baseline_model_bytes"] = m.baseline_model_bytes;
  r["tracked_peak_bytes"] = m.tracked_peak_bytes;
  r["max_rss_bytes"] = m.max_rss_bytes;
  r["generation_tokens"] = m.generation_tokens;
  r["generation_tokens_per_s"] = m.generation_tokens_per_s;
  r["generation_peak_bytes"] = m.generation_peak_bytes;
  return {{"schema", kSubmissionSchema},
          {"name", name},
          {"description", description},
          {"harness", {{"version", kHarnessVersion}, {"measured", result_keys()}}},
          {"environment", environment},
          {"source_digest", digest},
          {"results", r}};
}

}  // namespace tt::capstone
