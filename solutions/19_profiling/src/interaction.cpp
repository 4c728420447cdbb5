// Reference InteractionAnalyzer: the 2^k factorial design, its effects by ±1 contrasts, and the tables.
// Not the timing: configurations are timed with run_interleaved from comparer.hpp.
#include "tt/profile/interaction.hpp"
#include "tt/profile/text.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "tt/errors.hpp"

namespace tt::profile {

namespace {
std::string join_factors(const std::vector<std::string>& factors, unsigned mask, const char* sep) {
  std::string s;
  for (std::size_t i = 0; i < factors.size(); ++i)
    if (mask & (1U << i)) s += (s.empty() ? "" : sep) + factors[i];
  return s;
}
}  // namespace

// ---- scaffolding (given) -------------------------------------------------------------------

InteractionAnalyzer::InteractionAnalyzer(std::vector<std::string> factors) : factors_(std::move(factors)) {
  if (factors_.empty() || factors_.size() > static_cast<std::size_t>(kMaxFactors))
    throw value_error("InteractionAnalyzer: expected 1 to " + std::to_string(kMaxFactors) + " factors, got " +
                      std::to_string(factors_.size()));
  for (std::size_t i = 0; i < factors_.size(); ++i) {
    if (factors_[i].empty()) throw value_error("InteractionAnalyzer: factor " + std::to_string(i) + " has no name");
    for (std::size_t j = 0; j < i; ++j)
      if (factors_[i] == factors_[j])
        throw value_error("InteractionAnalyzer: factor '" + factors_[i] + "' appears twice");
  }
}

const Effect& FactorialResult::effect(unsigned mask) const {
  for (const auto& e : effects)
    if (e.mask == mask) return e;
  throw index_error("FactorialResult::effect: no effect with mask " + std::to_string(mask) + " among " +
                    std::to_string(effects.size()) + " effects (masks 1 … 2^k-1)");
}

std::string FactorialResult::config_name(unsigned config) const {
  return config == 0 ? "baseline" : join_factors(factors, config, "+");
}

// ---- 19.12: effects ------------------------------------------------------------------------

FactorialResult InteractionAnalyzer::analyze(std::vector<double> responses) const {
  const unsigned n = configurations();
  if (responses.size() != n)
    throw shape_error("InteractionAnalyzer::analyze: expected " + std::to_string(n) + " responses (2^" +
                      std::to_string(factors_.size()) + " configurations), got " + std::to_string(responses.size()));
  FactorialResult r;
  r.factors = factors_;
  r.responses = std::move(responses);
  double sum = 0;
  for (double y : r.responses) sum += y;
  r.mean = sum / n;
  const double scale = 2.0 / n;  // 1 / 2^(k-1)
  for (unsigned mask = 1; mask < n; ++mask) {
    double contrast = 0;
    for (unsigned c = 0; c < n; ++c) {
      // Π x_i over the factors in mask: -1 for each factor of the effect that is off in c.
      const int off = std::popcount(mask & ~c);
      contrast += (off % 2 == 0 ? 1.0 : -1.0) * r.responses[c];
    }
    r.effects.push_back(Effect{mask, join_factors(factors_, mask, " x "), std::popcount(mask), scale * contrast});
  }
  std::stable_sort(r.effects.begin(), r.effects.end(), [](const Effect& a, const Effect& b) {
    return a.order != b.order ? a.order < b.order : a.mask < b.mask;
  });
  return r;
}

// ---- 19.13: running the experiment ----------------------------------------------------------

FactorialResult InteractionAnalyzer::run(const std::function<double(unsigned)>& response) const {
  std::vector<double> y;
  for (unsigned c = 0; c < configurations(); ++c) y.push_back(response(c));
  return analyze(std::move(y));
}

FactorialResult InteractionAnalyzer::time(const std::function<std::function<void()>(unsigned)>& make,
                                          const ComparerOptions& opt) const {
  std::vector<std::function<void()>> fns;
  for (unsigned c = 0; c < configurations(); ++c) fns.push_back(make(c));
  const auto stats = run_interleaved(fns, opt);
  std::vector<double> y;
  y.reserve(stats.size());
  for (const auto& s : stats) y.push_back(std::log(s.median));
  return analyze(std::move(y));
}

std::string InteractionAnalyzer::table(const FactorialResult& r, bool log_time) {
  std::ostringstream o;
  o << pad("configuration", 36) << pad(log_time ? "median ms" : "response", 12, false) << "\n";
  for (unsigned c = 0; c < r.responses.size(); ++c)
    o << pad(r.config_name(c), 36)
      << pad(log_time ? fixed(std::exp(r.responses[c]) * 1e3, 3) : fixed(r.responses[c], 4), 12, false) << "\n";
  o << "\n" << pad("effect", 36) << pad("value", 10, false) << (log_time ? pad("time x", 10, false) : "") << "\n";
  for (const auto& e : r.effects)
    o << pad(std::string(e.order > 1 ? "  " : "") + e.name, 36) << pad(fixed(e.value, 4), 10, false)
      << (log_time ? pad(fixed(std::exp(e.value), 3), 10, false) : "") << "\n";
  return o.str();
}

}  // namespace tt::profile
