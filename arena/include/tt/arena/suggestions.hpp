// The analysis of one graded entry: its numbers against the baseline and the course's targets,
// module 19's profile of its forward pass, and rule-based optimization suggestions derived from
// them (each naming the module that teaches the fix).
// Not a profiler: the profile comes from the harness's result (checks.profile), read defensively.
#pragma once

#include <nlohmann/json.hpp>

namespace tt::arena {

// Suggestions for an entry's metrics (metrics_from_report): [{rule, module, message}], most useful first.
nlohmann::json suggestions_for(const nlohmann::json& metrics);

// {comparisons: [{key, label, entry, baseline, target, better, met}], profile: {…} | "not measured",
//  suggestions: […]}. `targets` is module 20's measure.fields from module.json ({name, full, zero, what}).
nlohmann::json analysis_of(const nlohmann::json& metrics, const nlohmann::json& targets);

}  // namespace tt::arena
