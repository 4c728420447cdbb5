// Ranking the accepted entries per category, leaderboard.json and the static HTML leaderboard page.
// Not validation (validate.hpp): entries arrive here already checked.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tt/capstone/validate.hpp"

namespace tt::capstone {

// Category ids, in page order.
inline constexpr const char* kFastestClassifier = "fastest_classifier";                 // latency_p50_ms ↑
inline constexpr const char* kMemoryEfficientGenerator = "memory_efficient_generator";  // generation_peak_bytes ↑
inline constexpr const char* kAccuracySizeTradeoff = "accuracy_size_tradeoff";          // tradeoff_score ↓
inline constexpr const char* kMostCreative = "most_creative";                           // instructor-judged

struct Standing {
  std::string name;
  std::optional<std::size_t> rank;  // 1-based; empty: listed, not ranked
  double value = 0;                 // the number the category sorts on
  std::string note;                 // why unranked ("below the accuracy gate: …"), else ""
};

struct Category {
  std::string id, title, metric, unit;
  bool lower_is_better = true;
  std::vector<Standing> standings;  // ranked ones first by rank, then unranked by name
};

struct Leaderboard {
  std::vector<Entry> entries;        // as given
  std::vector<Category> categories;  // the four, in the order of the ids above
  std::vector<std::string> pareto;   // names on the accuracy-vs-latency Pareto front, by latency
};

// 20.4 — indices of the Pareto-optimal points: no other point has latency ≤ and accuracy ≥ with
// at least one strict. points: (latency, accuracy). Returned sorted by latency (then index).
std::vector<std::size_t> pareto_front(const std::vector<std::pair<double, double>>& points);

// 20.4 — ranks the entries: fastest classifier by latency_p50_ms (ties: p90, then name); most
// memory-efficient generator by generation_peak_bytes (ties: higher tokens/s, then name);
// accuracy/size by tradeoff_score (higher first; ties: name). Entries below the accuracy gate are
// listed in every category without a rank, with a note. "most_creative" lists every entry, unranked,
// value 0, note = the description. Equal sort keys share no rank: 1, 2, 3 … in sort order.
Leaderboard build_leaderboard(const std::vector<Entry>& entries);

// 20.4 — {"schema": "tt-leaderboard/1", "categories": [{"id", "title", "metric", "unit",
// "lower_is_better", "standings": [{"name", "rank" (null when unranked), "value", "note"}]}],
// "entries": [{name, description, latency_p50_ms, latency_p90_ms, throughput_ips, accuracy,
// model_bytes, generation_tokens_per_s, generation_peak_bytes, max_rss_bytes, gated}],
// "pareto": [names]}. gated: true when the entry passes the accuracy gate.
nlohmann::json leaderboard_json(const Leaderboard& board);

// 20.5 — one self-contained HTML page (inline CSS and JS, no external URL): per category a
// <table class="lb" id="cat-<id>"> whose <th> headers sort the rows on click (numbers
// numerically, toggling ascending/descending), and an inline <svg id="pareto-plot"> scatter of
// accuracy vs p50 latency with the Pareto front as a <polyline class="front">. With "#selftest"
// in the URL the page clicks the first table's "p50 latency" header itself and writes "pass" or
// "fail: …" into <pre id="selftest">, for the headless browser test. Text is HTML-escaped.
std::string render_html(const Leaderboard& board);

}  // namespace tt::capstone
