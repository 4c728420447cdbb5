// InteractionAnalyzer (student file): the 2^k factorial design, its effects by ±1 contrasts, the tables.
// Not the timing: configurations are timed with run_interleaved from comparer.hpp.
#include "tt/profile/interaction.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "tt/errors.hpp"

namespace tt::profile {

namespace {
// The names of the factors in `mask`, joined by `sep`: "quantize x prune".
// Given: text for reports and messages, not part of a task.
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
  // tt::shape_error unless there are configurations() responses. Fill factors, responses, mean.
  // For every mask 1 … 2^k-1: contrast = Σ_c sign(c) · y_c, where sign is the product over the
  // factors in mask of +1 (on in c) or -1 (off): -1 to the number of mask's factors that are off
  // in c (std::popcount(mask & ~c)). effect = contrast / 2^(k-1). Name "a x b" (join_factors
  // with " x "), order = number of factors. Sort by order, then mask.
  // TODO(19.12): the contrasts.
  TT_UNIMPLEMENTED("19.12 InteractionAnalyzer::analyze");
}

// ---- 19.13: running the experiment ----------------------------------------------------------

FactorialResult InteractionAnalyzer::run(const std::function<double(unsigned)>& response) const {
  // response(c) once for each configuration c = 0 … 2^k-1, in order; then analyze().
  // TODO(19.13): evaluate and analyze.
  TT_UNIMPLEMENTED("19.13 InteractionAnalyzer::run");
}

FactorialResult InteractionAnalyzer::time(const std::function<std::function<void()>(unsigned)>& make,
                                          const ComparerOptions& opt) const {
  // make(c) for every configuration, all timed together with run_interleaved(…, opt); analyze
  // std::log(median seconds) of each.
  // TODO(19.13): time and analyze.
  TT_UNIMPLEMENTED("19.13 InteractionAnalyzer::time");
}

std::string InteractionAnalyzer::table(const FactorialResult& r, bool log_time) {
  // Every configuration (config_name) with its response (with log_time: exp(y) in ms), then every
  // effect by name with its value (with log_time also the time factor exp(value)).
  // TODO(19.13): format the tables.
  TT_UNIMPLEMENTED("19.13 InteractionAnalyzer::table");
}

}  // namespace tt::profile
