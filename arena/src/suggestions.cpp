// Rule-based optimization suggestions from an entry's measured numbers and profile.
// Not advice that needs the source: every rule reads a number the harness measured.
#include "tt/arena/suggestions.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace tt::arena {
using nlohmann::json;

namespace {

std::string pct(double x) {
  char b[32];
  std::snprintf(b, sizeof b, "%.0f %%", 100 * x);
  return b;
}
std::string times(double x) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f×", x);
  return b;
}
const json& obj(const json& j, const char* k) {
  static const json empty = json::object();
  return j.is_object() && j.contains(k) && j[k].is_object() ? j[k] : empty;
}
double number(const json& j, const char* k, double fallback = NAN) {
  return j.is_object() && j.contains(k) && j[k].is_number() ? j[k].get<double>() : fallback;
}

}  // namespace

json suggestions_for(const json& m) {
  json out = json::array();
  const auto add = [&](const char* rule, const char* module, const std::string& msg) {
    out.push_back({{"rule", rule}, {"module", module}, {"message", msg}});
  };
  const json& prof = obj(m, "profile");
  const json& res = obj(m, "results");
  const json& fields = obj(m, "fields");
  // Profile rules (module 19's breakdown of the forward pass).
  if (!prof.empty()) {
    double attention = 0;
    for (const auto& op : prof.value("breakdown", json::array()))
      if (op.is_object() && op.value("op", "").find("attention") != std::string::npos)
        attention += number(op, "share", 0);
    const bool cached = prof.value("cached_generation", true);
    if (attention >= 0.3 && !cached)
      add("attention-uncached", "16",
          "attention is " + pct(attention) + " of the time and generation is not cached: module 16 (KV cache)");
    else if (attention >= 0.3)
      add("attention-heavy", "16",
          "attention is " + pct(attention) + " of the time: module 16 (incremental attention)");
    if (prof.value("weights_dtype", "") == "fp32")
      add("fp32-weights", "17", "weights are fp32: module 17 (INT8 quantization) makes them 4× smaller and faster");
    const double peak = number(prof, "gemm_fraction_of_peak");
    if (std::isfinite(peak) && peak < 0.5)
      add("gemm-below-peak", "15", "GEMM runs at " + pct(peak) + " of this machine's peak: module 15's backend");
  }
  // Rules on the measured numbers alone.
  const double size_ratio = number(fields, "size_ratio");
  if (std::isfinite(size_ratio) && size_ratio < 2)
    add("large-model", "18",
        "the model is only " + times(size_ratio) + " smaller than the baseline: module 18 (structured pruning)");
  const double gen = number(fields, "generation_speedup");
  if (std::isfinite(gen) && gen < 10 && prof.empty())
    add("slow-generation", "16", "generation is " + times(gen) + " the baseline: module 16 (KV cache)");
  if (!m.value("gate_passed", true))
    add("below-gate", "17",
        "accuracy is below the gate (99 % of the baseline): calibrate the quantizer (module 17) or distill (module "
        "18)");
  const double p50 = number(res, "latency_p50_ms"), p90 = number(res, "latency_p90_ms");
  if (std::isfinite(p50) && std::isfinite(p90) && p50 > 0 && p90 / p50 > 1.5)
    add("jittery-latency", "19",
        "p90 latency is " + times(p90 / p50) + " p50: look for allocations per query with module 19's profiler");
  if (obj(m, "anti_caching").value("suspicious", false))
    add("caching", "20", "repeated inputs ran > 10 % faster than distinct ones: caching answers is not allowed");
  for (const auto& [id, what] : obj(m, "links").items())
    if (what.is_string() && what.get<std::string>().find("reference") != std::string::npos)
      add("reference-fallback", id.c_str(),
          "your module " + id + " did not build, so the reference was linked: fix it to compete with your own code");
  return out;
}

json analysis_of(const json& m, const json& targets) {
  json comps = json::array();
  const json& fields = obj(m, "fields");
  for (const auto& t : targets.is_array() ? targets : json::array()) {
    const std::string name = t.value("name", "");
    const double v = number(fields, name.c_str());
    const double full = number(t, "full"), zero = number(t, "zero");
    const bool higher = !(std::isfinite(full) && std::isfinite(zero)) || full >= zero;
    comps.push_back({{"key", name},
                     {"label", t.value("what", name)},
                     {"entry", std::isfinite(v) ? json(v) : json(nullptr)},
                     {"baseline", 1.0},
                     {"target", std::isfinite(full) ? json(full) : json(nullptr)},
                     {"better", higher ? "higher" : "lower"},
                     {"met", std::isfinite(v) && std::isfinite(full) && (higher ? v >= full : v <= full)}});
  }
  const json& prof = obj(m, "profile");
  return {{"comparisons", comps},
          {"profile", prof.empty() ? json("not measured") : prof},
          {"suggestions", suggestions_for(m)}};
}

}  // namespace tt::arena
