// Reference for 20.4: the Pareto front, the ranking per category and leaderboard.json.
// Not the page (leaderboard_html.cpp) and not validation (validate.cpp).
#include "tt/capstone/leaderboard.hpp"

#include <algorithm>
#include <numeric>
#include <tuple>

#include "tt/capstone/scoring.hpp"

namespace tt::capstone {
using nlohmann::json;

std::vector<std::size_t> pareto_front(const std::vector<std::pair<double, double>>& points) {
  std::vector<std::size_t> front;
  for (std::size_t i = 0; i < points.size(); ++i) {
    bool dominated = false;
    for (std::size_t j = 0; j < points.size() && !dominated; ++j) {
      if (j == i) continue;
      const auto& a = points[j];
      const auto& b = points[i];
      dominated = a.first <= b.first && a.second >= b.second && (a.first < b.first || a.second > b.second);
    }
    if (!dominated) front.push_back(i);
  }
  std::stable_sort(front.begin(), front.end(),
                   [&](std::size_t a, std::size_t b) { return points[a].first < points[b].first; });
  return front;
}

namespace {

bool gated(const Entry& e) { return passes_gate(e.accuracy, e.baseline_accuracy); }

std::string gate_note(const Entry& e) {
  return "below the accuracy gate: " + std::to_string(e.accuracy) + " < 0.99 x " + std::to_string(e.baseline_accuracy);
}

// Ranks the gated entries by `less` (a strict order), lists the others after them by name.
template <class Value, class Less>
Category rank(Category cat, const std::vector<Entry>& entries, Value value, Less less) {
  std::vector<std::size_t> in, out;
  for (std::size_t i = 0; i < entries.size(); ++i) (gated(entries[i]) ? in : out).push_back(i);
  std::sort(in.begin(), in.end(), [&](std::size_t a, std::size_t b) { return less(entries[a], entries[b]); });
  std::sort(out.begin(), out.end(), [&](std::size_t a, std::size_t b) { return entries[a].name < entries[b].name; });
  std::size_t r = 1;
  for (std::size_t i : in) cat.standings.push_back({entries[i].name, r++, value(entries[i]), ""});
  for (std::size_t i : out)
    cat.standings.push_back({entries[i].name, std::nullopt, value(entries[i]), gate_note(entries[i])});
  return cat;
}

double score_of(const Entry& e) {
  return tradeoff_score(e.accuracy, e.baseline_accuracy, e.model_bytes, e.baseline_model_bytes);
}

}  // namespace

Leaderboard build_leaderboard(const std::vector<Entry>& entries) {
  Leaderboard b;
  b.entries = entries;
  b.categories.push_back(rank(
      {kFastestClassifier, "Fastest classifier", "latency_p50_ms", "ms", true, {}}, entries,
      [](const Entry& e) { return e.latency_p50_ms; },
      [](const Entry& a, const Entry& c) {
        return std::tie(a.latency_p50_ms, a.latency_p90_ms, a.name) <
               std::tie(c.latency_p50_ms, c.latency_p90_ms, c.name);
      }));
  b.categories.push_back(rank(
      {kMemoryEfficientGenerator, "Most memory-efficient generator", "generation_peak_bytes", "bytes", true, {}},
      entries, [](const Entry& e) { return double(e.generation_peak_bytes); },
      [](const Entry& a, const Entry& c) {
        if (a.generation_peak_bytes != c.generation_peak_bytes)
          return a.generation_peak_bytes < c.generation_peak_bytes;
        if (a.generation_tokens_per_s != c.generation_tokens_per_s)
          return a.generation_tokens_per_s > c.generation_tokens_per_s;
        return a.name < c.name;
      }));
  b.categories.push_back(
      rank({kAccuracySizeTradeoff, "Best accuracy/size trade-off", "tradeoff_score", "score", false, {}}, entries,
           score_of, [](const Entry& a, const Entry& c) {
             const double sa = score_of(a), sc = score_of(c);
             return sa != sc ? sa > sc : a.name < c.name;
           }));
  Category creative{kMostCreative, "Most creative optimization (instructor-judged)", "description", "", false, {}};
  std::vector<std::size_t> order(entries.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t c) { return entries[a].name < entries[c].name; });
  for (std::size_t i : order) creative.standings.push_back({entries[i].name, std::nullopt, 0, entries[i].description});
  b.categories.push_back(creative);

  std::vector<std::pair<double, double>> pts;
  pts.reserve(entries.size());
  for (const auto& e : entries) pts.emplace_back(e.latency_p50_ms, e.accuracy);
  for (std::size_t i : pareto_front(pts)) b.pareto.push_back(entries[i].name);
  return b;
}

json leaderboard_json(const Leaderboard& board) {
  json cats = json::array();
  for (const auto& c : board.categories) {
    json st = json::array();
    for (const auto& s : c.standings)
      st.push_back(
          {{"name", s.name}, {"rank", s.rank ? json(*s.rank) : json(nullptr)}, {"value", s.value}, {"note", s.note}});
    cats.push_back({{"id", c.id},
                    {"title", c.title},
                    {"metric", c.metric},
                    {"unit", c.unit},
                    {"lower_is_better", c.lower_is_better},
                    {"standings", st}});
  }
  json entries = json::array();
  for (const auto& e : board.entries)
    entries.push_back({{"name", e.name},
                       {"description", e.description},
                       {"latency_p50_ms", e.latency_p50_ms},
                       {"latency_p90_ms", e.latency_p90_ms},
                       {"throughput_ips", e.throughput_ips},
                       {"accuracy", e.accuracy},
                       {"model_bytes", e.model_bytes},
                       {"generation_tokens_per_s", e.generation_tokens_per_s},
                       {"generation_peak_bytes", e.generation_peak_bytes},
                       {"max_rss_bytes", e.max_rss_bytes},
                       {"gated", gated(e)}});
  return {{"schema", "tt-leaderboard/1"}, {"categories", cats}, {"entries", entries}, {"pareto", board.pareto}};
}

}  // namespace tt::capstone
