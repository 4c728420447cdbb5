// Reading module 20's numbers out of tt-grade's report.json, and the round statistics.
// Not a validator of the harness: tt-grade and the course's reference validator did that.
#include "tt/arena/result.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <numeric>
#include <sstream>

#include "tt/grade/portfolio_section.hpp"

namespace tt::arena {
using nlohmann::json;

namespace {

// t_{0.975} for 1..30 degrees of freedom (then ~1.96).
double t975(std::size_t df) {
  static const double t[] = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                             2.201,  2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                             2.080,  2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
  return df == 0 ? 0 : df <= 30 ? t[df - 1] : 1.96;
}

std::vector<double> trimmed(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  if (v.size() >= 3) v = std::vector<double>(v.begin() + 1, v.end() - 1);
  return v;
}

const json* at(const json& j, std::initializer_list<const char*> path) {
  const json* p = &j;
  for (const char* k : path) {
    if (!p->is_object() || !p->contains(k)) return nullptr;
    p = &(*p)[k];
  }
  return p;
}

json number_or_null(const json* p) { return p && p->is_number() ? *p : json(nullptr); }

std::vector<double> numbers(const json* p) {
  std::vector<double> out;
  if (p && p->is_array())
    for (const auto& x : *p)
      if (x.is_number()) out.push_back(x.get<double>());
  return out;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// A report's text field; `fallback` when absent or not text (tt-grade writes "error": null after a
// grade without one, which json::value() would throw on).
std::string text_of(const json& j, const char* key, const std::string& fallback = "") {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : fallback;
}

// What the showcase needs of a report's portfolio section: the opt-in, the pseudonym, whether the
// grade rendered a site; never the write-ups' text.
json portfolio_of(const json& report) {
  const json* p = at(report, {"portfolio"});
  if (!p || !p->is_object()) return nullptr;
  constexpr std::size_t kMaxPseudonym = 80;
  return {{"status", text_of(*p, "status", "none")},
          {"public", text_of(*p, "consent") == "public"},
          {"pseudonym", text_of(*p, "pseudonym").substr(0, kMaxPseudonym)},
          {"site", text_of(*p, "site") == std::string(tt::grade::kPortfolioSiteDir) + "/index.html"},
          {"verified_citations", number_or_null(at(*p, {"citations", "verified"}))}};
}

}  // namespace

std::optional<double> olympic_mean(std::vector<double> v) {
  if (v.empty()) return std::nullopt;
  v = trimmed(std::move(v));
  return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

std::optional<std::pair<double, double>> ci95(std::vector<double> v) {
  v = trimmed(std::move(v));
  if (v.size() < 2) return std::nullopt;
  const double n = static_cast<double>(v.size());
  const double m = std::accumulate(v.begin(), v.end(), 0.0) / n;
  double ss = 0;
  for (double x : v) ss += (x - m) * (x - m);
  const double half = t975(v.size() - 1) * std::sqrt(ss / (n - 1)) / std::sqrt(n);
  return std::make_pair(m - half, m + half);
}

json metrics_from_report(const json& report) {
  if (!report.is_object() || !report.contains("modules") || !report["modules"].is_array())
    throw std::runtime_error("not a tt-grade report (no modules)");
  json m{{"grade_status", text_of(report, "status")},
         {"grade_score", report.value("score", 0.0)},
         {"grade_max_score", report.value("max_score", 0.0)},
         {"grade_error", text_of(report, "error")},
         {"measure_status", "skipped"},
         {"reason", "module 20 was not graded"},
         {"portfolio", portfolio_of(report)}};
  const json* mod = nullptr;
  for (const auto& x : report["modules"])
    if (x.is_object() && text_of(x, "id") == "20") mod = &x;
  if (!mod) return m;
  m["links"] = mod->contains("links") ? (*mod)["links"] : json::object();
  m["tests_score"] = mod->value("score", 0.0);
  m["build_status"] = text_of(*mod, "build_status");
  const json* meas = at(*mod, {"measure"});
  if (!meas || !meas->is_object()) {
    m["reason"] = "module 20 has no measured step";
    return m;
  }
  m["measure_status"] = text_of(*meas, "status", "skipped");
  m["reason"] = text_of(*meas, "reason");
  m["gate_passed"] = meas->value("gate_passed", false);
  m["score"] = meas->value("score", 0.0);
  const json empty = json::object();
  const json& result = meas->contains("result") && (*meas)["result"].is_object() ? (*meas)["result"] : empty;
  const json* res = at(result, {"submission", "results"});
  m["results"] = res && res->is_object() ? *res : json::object();
  m["environment"] = at(result, {"submission", "environment"}) ? *at(result, {"submission", "environment"}) : json();
  m["fields"] = result.contains("fields") && result["fields"].is_object() ? result["fields"] : json::object();
  const json& checks = result.contains("checks") && result["checks"].is_object() ? result["checks"] : empty;
  m["rounds"] = number_or_null(at(checks, {"rounds"}));
  // The student/reference ratio per round, timed in the same job, interleaved.
  json vs = nullptr;
  if (const json* lv = at(checks, {"latency_vs_reference"}); lv && lv->is_object()) {
    const auto per = numbers(at(*lv, {"per_round"}));
    std::optional<double> mean = olympic_mean(per);
    if (const json* om = at(*lv, {"olympic_mean"}); om && om->is_number()) mean = om->get<double>();
    std::optional<std::pair<double, double>> ci = ci95(per);
    if (const auto c = numbers(at(*lv, {"ci95"})); c.size() == 2) ci = std::make_pair(c[0], c[1]);
    if (mean && *mean > 0) {
      vs = {{"ratio", *mean}, {"rounds", per.size()}, {"speedup", 1.0 / *mean}};
      if (ci && ci->first > 0) {
        vs["ci95"] = {ci->first, ci->second};
        vs["speedup_ci95"] = {1.0 / ci->second, 1.0 / ci->first};
      }
    }
  }
  m["vs_reference"] = vs;
  m["anti_caching"] =
      checks.contains("anti_caching") && checks["anti_caching"].is_object() ? checks["anti_caching"] : json(nullptr);
  m["trainer"] = checks.contains("trainer") && checks["trainer"].is_object() ? checks["trainer"] : json(nullptr);
  m["profile"] = checks.contains("profile") && checks["profile"].is_object() ? checks["profile"] : json(nullptr);
  m["accuracy_public"] = number_or_null(at(checks, {"public_split", "accuracy"}));
  m["verified_model"] = checks.contains("model.verified") ? checks["model.verified"] : json(nullptr);
  json ref = nullptr;
  if (const auto r = numbers(at(checks, {"reference", "latency_p50_ms"})); !r.empty())
    ref = {{"latency_p50_ms", median(r)}, {"rounds", r}};
  m["reference"] = ref;
  const json& r = m["results"];
  m["baseline"] = {{"latency_p50_ms", number_or_null(at(checks, {"baseline_latency_p50_ms"}))},
                   {"accuracy", number_or_null(at(r, {"baseline_accuracy"}))},
                   {"model_bytes", number_or_null(at(r, {"baseline_model_bytes"}))}};
  return m;
}

std::optional<Speedup> speedup_of(const json& m) {
  if (const json* vs = at(m, {"vs_reference"}); vs && vs->is_object() && vs->contains("speedup")) {
    Speedup s{(*vs)["speedup"].get<double>(), std::nullopt, "reference"};
    if (const auto c = numbers(at(*vs, {"speedup_ci95"})); c.size() == 2) s.ci = std::make_pair(c[0], c[1]);
    return s;
  }
  if (const json* f = at(m, {"fields", "latency_speedup"}); f && f->is_number())
    return Speedup{f->get<double>(), std::nullopt, "baseline"};
  return std::nullopt;
}

std::optional<double> trainer_seconds(const json& m) {
  const json* t = at(m, {"trainer"});
  if (!t || !t->is_object()) return std::nullopt;
  const json* runs = at(*t, {"runs"});
  if (runs && runs->is_array() && !runs->empty()) {
    std::vector<double> v;
    for (const auto& x : *runs) v.push_back(x.is_number() ? x.get<double>() : std::numeric_limits<double>::infinity());
    return median(v);
  }
  if (const json* med = at(*t, {"median_seconds"}); med && med->is_number()) return med->get<double>();
  return std::nullopt;
}

bool reproduces(const json& original, const json& again) {
  const auto a = speedup_of(original), b = speedup_of(again);
  if (!a || !b || a->against != b->against) return false;  // two different ratios
  bool speed_ok;
  if (a->ci && b->ci)
    speed_ok = a->ci->first <= b->ci->second && b->ci->first <= a->ci->second;
  else
    speed_ok = std::abs(a->value - b->value) <= 0.10 * std::max(a->value, b->value);
  const json* acc_a = at(original, {"results", "accuracy"});
  const json* acc_b = at(again, {"results", "accuracy"});
  const bool acc_ok = !acc_a || !acc_b || !acc_a->is_number() || !acc_b->is_number() ||
                      std::abs(acc_a->get<double>() - acc_b->get<double>()) <= 0.005;
  return speed_ok && acc_ok;
}

Hardware this_hardware(const std::filesystem::path& cpuinfo) {
  std::ifstream in(cpuinfo);
  std::string line, cpu = "unknown", flags;
  while (std::getline(in, line)) {
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string key = line.substr(0, colon);
    while (!key.empty() && (key.back() == ' ' || key.back() == '\t')) key.pop_back();
    const std::string value = colon + 2 <= line.size() ? line.substr(colon + 2) : "";
    if (key == "model name" && cpu == "unknown") cpu = value;
    if (key == "flags" && flags.empty()) flags = " " + value + " ";
  }
  std::string isa;
  for (const char* f :
       {"sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512_vnni", "avx512_bf16", "amx_tile"})
    if (flags.find(std::string(" ").append(f).append(" ")) != std::string::npos) {
      if (!isa.empty()) isa += ' ';  // append, not operator+: GCC 12's false -Wrestrict (bug 105651)
      isa += f;
    }
  return {cpu, isa.empty() ? "baseline" : isa};
}

}  // namespace tt::arena
