// InteractionAnalyzer: a 2^k factorial experiment over k optimizations, main effects and interactions.
// Not a regression library: full factorial designs only, one response per configuration.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "tt/profile/comparer.hpp"

namespace tt::profile {

// Most factors in one experiment (2^kMaxFactors configurations).
inline constexpr int kMaxFactors = 8;

// One effect: a main effect (one factor in `mask`) or an interaction (two or more).
struct Effect {
  unsigned mask = 0;  // bit i set: factor i takes part
  std::string name;   // "quantize", "quantize x prune", …
  int order = 0;      // number of factors in it
  double value = 0;   // in the response's units
};

// The experiment and its analysis. Configuration c (0 … 2^k-1) has factor i on when bit i of c is
// set. With x_i(c) = +1 (on) or -1 (off), the effect of a set S of factors is
// (1 / 2^(k-1)) · Σ_c y_c · Π_{i∈S} x_i(c): for a main effect, mean(y | on) - mean(y | off).
struct FactorialResult {
  std::vector<std::string> factors;
  std::vector<double> responses;  // y_c, indexed by configuration
  double mean = 0;                // mean of all responses
  std::vector<Effect> effects;    // all 2^k - 1, by order, then by mask
  // The effect whose mask is `mask` (tt::index_error if none).
  const Effect& effect(unsigned mask) const;
  // A configuration's name: "baseline" or "quantize+prune".
  std::string config_name(unsigned config) const;
};

class InteractionAnalyzer {
 public:
  // 1 … kMaxFactors distinct, non-empty names (else tt::value_error).
  explicit InteractionAnalyzer(std::vector<std::string> factors);
  const std::vector<std::string>& factors() const { return factors_; }
  unsigned configurations() const { return 1U << factors_.size(); }

  // The effects of given responses (responses.size() must be 2^k: else tt::shape_error).
  FactorialResult analyze(std::vector<double> responses) const;
  // Calls response(c) once per configuration, in order, and analyzes the values.
  FactorialResult run(const std::function<double(unsigned config)>& response) const;
  // Times make(c)() for every configuration, interleaved (run_interleaved), and analyzes the
  // natural log of the median seconds, so an effect e means "× exp(e) time" and effects add.
  FactorialResult time(const std::function<std::function<void()>(unsigned config)>& make,
                       const ComparerOptions& opt = {}) const;

  // Text tables: every configuration with its response, then every effect. With `log_time` the
  // effects are also shown as time factors exp(e).
  static std::string table(const FactorialResult& r, bool log_time = false);

 private:
  std::vector<std::string> factors_;
};

}  // namespace tt::profile
