// Your ranking (20.4): the Pareto front, the standings of each category and leaderboard.json.
// Not the page (leaderboard_html.cpp) and not validation (validate.cpp).
#include "tt/capstone/leaderboard.hpp"

#include "tt/errors.hpp"

namespace tt::capstone {

std::vector<std::size_t> pareto_front(const std::vector<std::pair<double, double>>& points) {
  // A point is on the front when no other point is at least as fast and at least as accurate, and
  // strictly better in one of the two. O(n²) is fine for a class. Return the indices by latency.
  // TODO(20.4): the Pareto front.
  (void)points;
  TT_UNIMPLEMENTED("20.4 pareto_front");
}

Leaderboard build_leaderboard(const std::vector<Entry>& entries) {
  // For each of the three ranked categories: split the entries by passes_gate (scoring.hpp), sort
  // the gated ones by the category's key and tie-breaks (see the header), number them 1, 2, …, then
  // list the others by name with rank empty and a note. "most_creative": every entry, by name, note =
  // description. Finally the Pareto front of (latency_p50_ms, accuracy), as names.
  // TODO(20.4): the four categories and the front.
  (void)entries;
  TT_UNIMPLEMENTED("20.4 build_leaderboard");
}

nlohmann::json leaderboard_json(const Leaderboard& board) {
  // The "tt-leaderboard/1" document described in the header (rank: null when unranked).
  // TODO(20.4): leaderboard.json.
  (void)board;
  TT_UNIMPLEMENTED("20.4 leaderboard_json");
}

}  // namespace tt::capstone
