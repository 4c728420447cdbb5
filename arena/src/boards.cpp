// Board computation (boards.hpp): rows from the latest measured result of each submission, best
// per student per category, ranks with ties, marked baseline/reference rows.
// Not a validator: only results that tt-grade measured on the declared hardware are read.
#include "tt/arena/boards.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <optional>

#include "tt/arena/people.hpp"
#include "tt/arena/result.hpp"
#include "tt/arena/schema.hpp"

namespace tt::arena {
using nlohmann::json;

namespace {

struct Entry {
  std::int64_t result_id, submission_id, person_id;
  std::string login, name, description;
  json m;  // metrics
  std::optional<bool> verified;
  double created_at;
};

struct Column {
  const char* key;
  const char* label;
  const char* better;  // "lower" | "higher" | "" (not ranked)
  const char* unit;
};

struct Category {
  const char* id;
  const char* title;
  const char* rank_key;
  bool lower_is_better;
  bool gated;  // only entries above the accuracy gate
  bool timed;  // ranked by the interleaved speedup: anti-caching filter, ties by interval, reference rounds needed
  std::vector<Column> columns;
};

const std::vector<Category>& categories() {
  static const std::vector<Category> c{
      // Ranked by the speedup over the reference entry, timed in the same job with interleaved
      // rounds: a p50 in milliseconds also measures how busy the machine was when the job ran.
      {"fastest_classifier",
       "Fastest classifier (speedup over the reference entry)",
       "speedup",
       false,
       true,
       true,
       {{"speedup", "speedup", "higher", "x"},
        {"latency_p50_ms", "p50 latency", "lower", "ms"},
        {"latency_p90_ms", "p90 latency", "lower", "ms"},
        {"accuracy", "accuracy", "higher", "%"}}},
      {"memory_efficient_generator",
       "Most memory-efficient generator",
       "generation_peak_bytes",
       true,
       true,
       false,
       {{"generation_peak_bytes", "peak memory", "lower", "bytes"},
        {"generation_tokens_per_s", "tokens/s", "higher", "1/s"},
        {"accuracy", "accuracy", "higher", "%"}}},
      {"accuracy_size_tradeoff",
       "Best accuracy/size trade-off",
       "tradeoff_score",
       false,
       false,
       false,
       {{"tradeoff_score", "score", "higher", ""},
        {"accuracy", "accuracy", "higher", "%"},
        {"model_bytes", "model size", "lower", "bytes"}}},
      {"fastest_trainer",
       "Fastest trainer (time to target accuracy)",
       "trainer_seconds",
       true,
       false,
       false,
       {{"trainer_seconds", "median time", "lower", "s"},
        {"trainer_reached", "runs reaching the target", "higher", ""},
        {"trainer_target", "target accuracy", "", "%"}}},
  };
  return c;
}

std::optional<double> num(const json& j, const char* a, const char* b = nullptr) {
  const json* p = j.contains(a) ? &j[a] : nullptr;
  if (p && b) p = p->is_object() && p->contains(b) ? &(*p)[b] : nullptr;
  if (p && p->is_number()) return p->get<double>();
  return std::nullopt;
}

json opt(std::optional<double> v) { return v && std::isfinite(*v) ? json(*v) : json(nullptr); }

// The values a row shows, by column key; `accuracy` from the split the board is about.
json values_of(const Entry& e, BoardKind kind) {
  const json& r = e.m.contains("results") ? e.m["results"] : json::object();
  std::optional<double> acc = num(r, "accuracy");
  if (kind == BoardKind::public_board && num(e.m, "accuracy_public")) acc = num(e.m, "accuracy_public");
  json v{{"latency_p50_ms", opt(num(r, "latency_p50_ms"))},
         {"latency_p90_ms", opt(num(r, "latency_p90_ms"))},
         {"accuracy", opt(acc)},
         {"generation_peak_bytes", opt(num(r, "generation_peak_bytes"))},
         {"generation_tokens_per_s", opt(num(r, "generation_tokens_per_s"))},
         {"model_bytes", opt(num(r, "model_bytes"))}};
  if (const auto s = speedup_of(e.m)) {
    v["speedup"] = s->value;
    v["speedup_against"] = s->against;
    v["speedup_ci95"] = s->ci ? json{s->ci->first, s->ci->second} : json(nullptr);
  } else {
    v["speedup"] = nullptr;
  }
  const auto ba = num(r, "baseline_accuracy"), mb = num(r, "model_bytes"), bb = num(r, "baseline_model_bytes");
  v["tradeoff_score"] =
      acc && ba && mb && bb && *ba > 0 && *mb > 0 ? json(tradeoff_score(*acc, *ba, *mb, *bb)) : json(nullptr);
  v["trainer_seconds"] = opt(trainer_seconds(e.m));
  if (e.m.contains("trainer") && e.m["trainer"].is_object()) {
    const json& t = e.m["trainer"];
    int reached = 0, runs = 0;
    for (const auto& x : t.value("runs", json::array())) {
      ++runs;
      reached += x.is_number() ? 1 : 0;
    }
    v["trainer_reached"] = runs ? json(reached) : json(nullptr);
    v["trainer_runs"] = runs;
    v["trainer_target"] = opt(num(t, "target_accuracy"));
  }
  return v;
}

std::vector<Entry> load_entries(Db& db, const std::string& hardware_class) {
  auto lock = db.lock();
  // The latest grade result of each submission that is not disqualified.
  auto st = db.prepare(
      "SELECT r.id, s.id, p.id, p.login, p.name, s.description, r.metrics, r.verified, r.created_at, r.cpu "
      "FROM results r JOIN submissions s ON s.id = r.submission_id JOIN people p ON p.id = s.person_id "
      "WHERE r.kind = 'grade' AND r.measure_status = 'measured' AND s.disqualified IS NULL AND "
      "r.id = (SELECT MAX(id) FROM results WHERE submission_id = s.id AND kind = 'grade')");
  std::vector<Entry> out;
  while (st.step()) {
    if (!hardware_class.empty() && st.col_text(9) != hardware_class) continue;  // another machine class
    Entry e{st.col_int(0),
            st.col_int(1),
            st.col_int(2),
            st.col_text(3),
            st.col_text(4),
            st.col_text(5),
            json::parse(st.col_text(6), nullptr, false),
            std::nullopt,
            st.col_double(8)};
    if (!st.col_null(7)) e.verified = st.col_int(7) != 0;
    if (e.m.is_object()) out.push_back(std::move(e));
  }
  return out;
}

bool suspicious(const Entry& e) {
  return e.m.contains("anti_caching") && e.m["anti_caching"].is_object() &&
         e.m["anti_caching"].value("suspicious", false);
}

json category_json(const Category& c, const std::vector<Entry>& entries, BoardKind kind, const json& marked) {
  json cols = json::array();
  for (const auto& col : c.columns)
    cols.push_back({{"key", col.key}, {"label", col.label}, {"better", col.better}, {"unit", col.unit}});
  // Each student's best entry.
  std::map<std::int64_t, std::pair<double, json>> best;
  std::map<std::int64_t, json> unranked;  // by person: a first entry that cannot be ranked here
  for (const auto& e : entries) {
    if (c.gated && !e.m.value("gate_passed", false)) continue;
    if (c.timed && suspicious(e)) continue;
    json v = values_of(e, kind);
    if (!v.contains(c.rank_key) || !v[c.rank_key].is_number()) continue;
    // A speedup over the baseline only (no interleaved reference rounds: an older report) is another
    // ratio: the entry is listed below the ranked rows, unranked, until staff regrade it.
    json row{{"login", e.login},
             {"name", e.name},
             {"submission_id", e.submission_id},
             {"result_id", e.result_id},
             {"values", v},
             {"marked", nullptr},
             {"verified", e.verified ? json(*e.verified) : json(nullptr)}};
    if (c.timed && v.value("speedup_against", "") != "reference") {
      row["rank"] = nullptr;
      row["tied"] = false;
      row["unranked"] = "not timed against the reference entry (an older report): regrade it";
      unranked.emplace(e.person_id, std::move(row));
      continue;
    }
    const double x = v[c.rank_key].get<double>();
    const double key = c.lower_is_better ? x : -x;
    auto it = best.find(e.person_id);
    if (it != best.end() && it->second.first <= key) continue;
    best[e.person_id] = {key, std::move(row)};
  }
  std::vector<std::pair<double, json>> rows;
  rows.reserve(best.size());
  for (auto& [_, r] : best) rows.push_back(r);
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  json out = json::array();
  int rank = 0;
  json prev_ci = nullptr;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    json& row = rows[i].second;
    const json ci = row["values"].value("speedup_ci95", json(nullptr));
    // Overlapping speedup intervals are a tie (timed categories only).
    const bool tied = c.timed && i > 0 && ci.is_array() && prev_ci.is_array() &&
                      ci[0].get<double>() <= prev_ci[1].get<double>() &&
                      prev_ci[0].get<double>() <= ci[1].get<double>();
    if (!tied) rank = static_cast<int>(i) + 1;
    row["rank"] = rank;
    row["tied"] = tied;
    if (tied) out.back()["tied"] = true;
    prev_ci = ci;
    out.push_back(row);
  }
  for (const auto& [person, row] : unranked)
    if (best.find(person) == best.end()) out.push_back(row);
  for (const auto& m : marked) out.push_back(m);
  return {{"id", c.id}, {"title", c.title}, {"rank_key", c.rank_key}, {"columns", cols}, {"rows", out}};
}

// The baseline and the reference entry, from the newest measured result (same harness for all).
json marked_rows(const std::vector<Entry>& entries) {
  json out = json::array();
  if (entries.empty()) return out;
  const Entry& e = *std::max_element(entries.begin(), entries.end(),
                                     [](const Entry& a, const Entry& b) { return a.result_id < b.result_id; });
  const json& r = e.m.value("results", json::object());
  const json& base = e.m.value("baseline", json::object());
  // The baseline's speedup over the reference entry: both timed in the same job.
  const auto base_p50 = num(base, "latency_p50_ms"), ref_p50 = num(e.m, "reference", "latency_p50_ms");
  json bv{{"latency_p50_ms", base.value("latency_p50_ms", json(nullptr))},
          {"accuracy", opt(num(r, "baseline_accuracy"))},
          {"model_bytes", opt(num(r, "baseline_model_bytes"))},
          {"speedup", base_p50 && ref_p50 && *base_p50 > 0 ? opt(*ref_p50 / *base_p50) : json(nullptr)},
          {"tradeoff_score", 1.0}};
  out.push_back({{"marked", "baseline"}, {"name", "fp32 baseline"}, {"login", ""}, {"values", bv}, {"rank", nullptr}});
  if (e.m.contains("reference") && e.m["reference"].is_object())
    out.push_back(
        {{"marked", "reference"},
         {"name", "course reference entry"},
         {"login", ""},
         {"values", {{"latency_p50_ms", e.m["reference"].value("latency_p50_ms", json(nullptr))}, {"speedup", 1.0}}},
         {"rank", nullptr}});
  return out;
}

}  // namespace

double tradeoff_score(double accuracy, double baseline_accuracy, double model_bytes, double baseline_bytes) {
  return std::pow(accuracy / baseline_accuracy, 10.0) * baseline_bytes / model_bytes;
}

json compute_board(Db& db, BoardKind kind) {
  const Competition comp = load_competition(db);
  const auto entries = load_entries(db, comp.hardware_class);
  const json marked = marked_rows(entries);
  json cats = json::array();
  for (const auto& c : categories()) {
    json m = json::array();
    for (const auto& row : marked)
      if (row["values"].contains(c.rank_key)) m.push_back(row);
    cats.push_back(category_json(c, entries, kind, m));
  }
  // Most creative: staff awards, from the methods' descriptions.
  json creative = json::array();
  {
    auto lock = db.lock();
    auto st = db.prepare(
        "SELECT p.login, p.name, s.id, s.description FROM awards a JOIN submissions s ON s.id = a.submission_id "
        "JOIN people p ON p.id = s.person_id WHERE a.category = 'most_creative' ORDER BY a.id");
    while (st.step())
      creative.push_back({{"login", st.col_text(0)},
                          {"name", st.col_text(1)},
                          {"submission_id", st.col_int(2)},
                          {"description", st.col_text(3)}});
  }
  json pareto = json::array();
  for (const auto& e : entries) {
    const json v = values_of(e, kind);
    if (v["accuracy"].is_number() && v["model_bytes"].is_number())
      pareto.push_back({{"login", e.login},
                        {"name", e.name},
                        {"submission_id", e.submission_id},
                        {"accuracy", v["accuracy"]},
                        {"model_bytes", v["model_bytes"]}});
  }
  bool public_split = false;
  for (const auto& e : entries) public_split = public_split || num(e.m, "accuracy_public").has_value();
  double updated = 0;
  for (const auto& e : entries) updated = std::max(updated, e.created_at);
  {
    auto lock = db.lock();
    auto st = db.prepare("SELECT MAX(created_at) FROM results");
    if (st.step() && !st.col_null(0)) updated = std::max(updated, st.col_double(0));
  }
  return {{"schema", "tt-arena-board/1"},
          {"board", kind == BoardKind::public_board ? "public" : "final"},
          {"phase", comp.phase},
          {"title", comp.title},
          {"hardware_class", comp.hardware_class},
          {"accuracy_split", kind == BoardKind::final_board ? "hidden"
                             : public_split                 ? "visible"
                                                            : "hidden (the harness reports no visible split yet)"},
          {"version", board_version(db)},
          {"updated_at", updated},
          {"categories", cats},
          {"most_creative", creative},
          {"pareto", pareto}};
}

std::vector<std::int64_t> top_result_ids(Db& db, int n) {
  const json b = compute_board(db, BoardKind::final_board);
  std::vector<std::int64_t> out;
  for (const auto& c : b["categories"]) {
    int k = 0;
    for (const auto& r : c["rows"]) {
      if (!r["marked"].is_null() || r["rank"].is_null() || k >= n) continue;
      ++k;
      const auto id = r["result_id"].get<std::int64_t>();
      if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
    }
  }
  return out;
}

}  // namespace tt::arena
