// Reference for 20.3: strict validation of submission files, every problem listed with the field it concerns.
// Not a JSON schema engine: the checks are written out, one per rule of docs/capstone-submission.md.
#include "tt/capstone/validate.hpp"

#include <cctype>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include "tt/capstone/harness.hpp"
#include "tt/errors.hpp"

namespace tt::capstone {
using nlohmann::json;

namespace {

std::string show(const json& j) {
  std::string s = j.dump();
  return s.size() > 60 ? s.substr(0, 57) + "..." : s;
}

// Collects problems; getters return a neutral value after noting a problem.
struct Checker {
  std::vector<std::string> problems;
  void fail(const std::string& p) { problems.push_back(p); }

  std::string str(const json& obj, const std::string& key, const std::string& where) {
    if (!obj.contains(key)) {
      fail(where + key + ": missing (expected a string)");
      return {};
    }
    if (!obj[key].is_string()) {
      fail(where + key + ": expected a string, found " + show(obj[key]));
      return {};
    }
    return obj[key].get<std::string>();
  }
  double num(const json& obj, const std::string& key) {
    if (!obj.contains(key)) {
      fail("results." + key + ": missing (expected a number)");
      return NAN;
    }
    if (!obj[key].is_number()) {
      fail("results." + key + ": expected a number, found " + show(obj[key]));
      return NAN;
    }
    const double v = obj[key].get<double>();
    if (!std::isfinite(v)) fail("results." + key + ": expected a finite number, found " + show(obj[key]));
    return v;
  }
  std::size_t count(const json& obj, const std::string& key, bool positive) {
    const double v = num(obj, key);
    if (std::isnan(v)) return 0;
    if (v < 0 || std::floor(v) != v) {
      fail("results." + key + ": expected a whole number >= 0, found " + show(obj[key]));
      return 0;
    }
    if (positive && v == 0) fail("results." + key + ": expected > 0, found 0");
    return static_cast<std::size_t>(v);
  }
  double positive(const json& obj, const std::string& key) {
    const double v = num(obj, key);
    if (!std::isnan(v) && !(v > 0)) fail("results." + key + ": expected > 0, found " + show(obj[key]));
    return v;
  }
};

bool valid_name(const std::string& n) {
  if (n.empty() || n.size() > 64) return false;
  for (char c : n)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-')) return false;
  return true;
}

bool is_hex64(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

}  // namespace

Entry parse_submission(const std::string& text, const std::string& source, const ValidationOptions& options) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    throw data_error(source + ": rejected\n- malformed JSON: " + e.what() +
                     " (expected the file m20_submit writes; do not edit it by hand)");
  }
  Checker c;
  Entry e;
  e.source = source;
  if (!j.is_object()) {
    throw data_error(source + ": rejected\n- expected a JSON object at the top level, found " + show(j));
  }
  const std::string schema = c.str(j, "schema", "");
  if (!schema.empty() && schema != kSubmissionSchema)
    c.fail(std::string("schema: expected \"") + kSubmissionSchema + "\", found \"" + schema + "\"");
  e.name = c.str(j, "name", "");
  if (j.contains("name") && j["name"].is_string() && !valid_name(e.name))
    c.fail("name: expected 1-64 characters of [A-Za-z0-9._-], found \"" + e.name + "\"");
  e.description = c.str(j, "description", "");

  std::set<std::string> measured;
  if (!j.contains("harness") || !j["harness"].is_object()) {
    c.fail("harness: missing (expected {\"version\", \"measured\"})");
  } else {
    const json& h = j["harness"];
    const std::string v = c.str(h, "version", "harness.");
    if (!v.empty() && v != kHarnessVersion)
      c.fail(std::string("harness.version: expected \"") + kHarnessVersion + "\", found \"" + v + "\"");
    if (!h.contains("measured") || !h["measured"].is_array()) {
      c.fail("harness.measured: missing (expected the list of result keys the harness measured)");
    } else {
      for (const auto& k : h["measured"]) {
        if (!k.is_string()) {
          c.fail("harness.measured: expected strings, found " + show(k));
          continue;
        }
        measured.insert(k.get<std::string>());
      }
    }
  }
  const auto& keys = result_keys();
  const std::set<std::string> known(keys.begin(), keys.end());
  for (const auto& k : measured)
    if (!known.count(k)) c.fail("harness.measured: \"" + k + "\" is not a measurement of " + kHarnessVersion);

  if (!j.contains("environment") || !j["environment"].is_object()) {
    c.fail("environment: missing (expected an object with cpu, compiler, flags)");
  } else {
    e.environment = j["environment"];
    for (const char* k : {"cpu", "compiler", "flags"}) c.str(j["environment"], k, "environment.");
  }
  if (!j.contains("source_digest") || !j["source_digest"].is_object()) {
    c.fail("source_digest: missing (expected {\"algorithm\": \"sha256\", \"files\", \"combined\"})");
  } else {
    const json& d = j["source_digest"];
    const std::string alg = c.str(d, "algorithm", "source_digest.");
    if (!alg.empty() && alg != "sha256") c.fail("source_digest.algorithm: expected \"sha256\", found \"" + alg + "\"");
    e.digest = c.str(d, "combined", "source_digest.");
    if (!e.digest.empty() && !is_hex64(e.digest))
      c.fail("source_digest.combined: expected 64 lowercase hex characters, found \"" + e.digest + "\"");
    if (!d.contains("files") || !d["files"].is_object() || d["files"].empty()) {
      c.fail("source_digest.files: missing (expected {path: sha256} for each student file)");
    } else {
      for (const auto& [path, hex] : d["files"].items())
        if (!hex.is_string() || !is_hex64(hex.get<std::string>()))
          c.fail("source_digest.files." + path + ": expected 64 lowercase hex characters, found " + show(hex));
    }
  }

  if (!j.contains("results") || !j["results"].is_object()) {
    c.fail("results: missing (expected the harness's measurements)");
  } else {
    const json& r = j["results"];
    for (const auto& [k, v] : r.items()) {
      if (!known.count(k))
        c.fail("results." + k + ": a claim the harness does not measure (known: queries, latency_p50_ms, ...)");
      else if (!measured.empty() && !measured.count(k))
        c.fail("results." + k + ": not listed in harness.measured, so the harness did not measure it");
    }
    e.queries = c.count(r, "queries", true);
    e.latency_p50_ms = c.positive(r, "latency_p50_ms");
    e.latency_p90_ms = c.positive(r, "latency_p90_ms");
    e.throughput_batch = c.count(r, "throughput_batch", true);
    e.throughput_ips = c.positive(r, "throughput_ips");
    e.test_images = c.count(r, "test_images", true);
    e.accuracy = c.num(r, "accuracy");
    e.baseline_accuracy = c.num(r, "baseline_accuracy");
    e.model_bytes = c.count(r, "model_bytes", true);
    e.baseline_model_bytes = c.count(r, "baseline_model_bytes", true);
    e.tracked_peak_bytes = c.count(r, "tracked_peak_bytes", false);
    e.max_rss_bytes = c.count(r, "max_rss_bytes", true);
    e.generation_tokens = c.count(r, "generation_tokens", true);
    e.generation_tokens_per_s = c.positive(r, "generation_tokens_per_s");
    e.generation_peak_bytes = c.count(r, "generation_peak_bytes", false);

    if (e.queries > 0 && e.queries < options.min_queries)
      c.fail("results.queries: expected at least " + std::to_string(options.min_queries) +
             " single-stream queries, found " + std::to_string(e.queries));
    if (e.latency_p50_ms > 0 && e.latency_p90_ms > 0 && e.latency_p90_ms < e.latency_p50_ms)
      c.fail("results.latency_p90_ms: impossible: p90 (" + std::to_string(e.latency_p90_ms) + " ms) below p50 (" +
             std::to_string(e.latency_p50_ms) + " ms)");
    for (const auto& [key, v] :
         {std::pair<const char*, double>{"accuracy", e.accuracy}, {"baseline_accuracy", e.baseline_accuracy}})
      if (!std::isnan(v) && !(v >= 0 && v <= 1))
        c.fail(std::string("results.") + key + ": expected a share in [0, 1], found " + std::to_string(v));
    if (e.baseline_accuracy == 0) c.fail("results.baseline_accuracy: expected > 0, found 0");
    if (e.test_images > 0 && e.test_images != options.required_test_images)
      c.fail("results.test_images: accuracy must come from the full test set of " +
             std::to_string(options.required_test_images) + " images, found " + std::to_string(e.test_images));
    if (e.test_images > 0 && e.accuracy >= 0 && e.accuracy <= 1) {
      const double correct = e.accuracy * double(e.test_images);
      if (std::fabs(correct - std::round(correct)) > 1e-6 * double(e.test_images))
        c.fail("results.accuracy: impossible: " + std::to_string(e.accuracy) +
               " is not a whole number of correct images out of " + std::to_string(e.test_images));
    }
    if (e.throughput_ips > 0 && e.latency_p50_ms > 0 && e.throughput_batch > 0) {
      const double bound = double(e.throughput_batch) * 1e3 / e.latency_p50_ms;
      if (e.throughput_ips > bound)
        c.fail("results.throughput_ips: inconsistent with the latency: " + std::to_string(e.throughput_ips) +
               " images/s means a batch of " + std::to_string(e.throughput_batch) +
               " took less time than one single-stream query (p50 " + std::to_string(e.latency_p50_ms) +
               " ms; at most " + std::to_string(bound) + " images/s)");
    }
  }
  if (!c.problems.empty()) {
    std::ostringstream msg;
    msg << source << ": rejected (" << c.problems.size() << " problem" << (c.problems.size() == 1 ? "" : "s") << ")";
    for (const auto& p : c.problems) msg << "\n- " << p;
    throw data_error(msg.str());
  }
  return e;
}

Validated validate_submissions(const std::vector<std::pair<std::string, std::string>>& files,
                               const ValidationOptions& options) {
  Validated out;
  std::map<std::string, std::string> seen;  // name → source
  for (const auto& [source, text] : files) {
    try {
      Entry e = parse_submission(text, source, options);
      if (auto it = seen.find(e.name); it != seen.end()) {
        out.rejected.push_back({source, source + ": rejected\n- name: duplicate name \"" + e.name +
                                            "\" (already used by " + it->second + "); pick another name"});
        continue;
      }
      seen[e.name] = source;
      out.accepted.push_back(std::move(e));
    } catch (const data_error& err) {
      out.rejected.push_back({source, err.what()});
    }
  }
  return out;
}

}  // namespace tt::capstone
