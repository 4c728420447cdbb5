// The boards: each student's best entry, ranks with ties from overlapping intervals, marked
// baseline/reference rows, the gate, the hardware class, disqualification and the final board.
// Not the HTTP caching (api_test.cpp).
#include "tt/arena/boards.hpp"
#include "arena_fixture.hpp"
#include "tt/arena/queue.hpp"

using namespace tt::arena;
using nlohmann::json;

namespace {

json metrics(double p50, double speed, double lo, double hi, bool gate = true, double acc = 0.88) {
  return {{"measure_status", "measured"},
          {"gate_passed", gate},
          {"results",
           {{"latency_p50_ms", p50},
            {"latency_p90_ms", p50 * 1.1},
            {"accuracy", acc},
            {"baseline_accuracy", 0.8668},
            {"model_bytes", 300000},
            {"baseline_model_bytes", 1100000},
            {"generation_peak_bytes", 4e6},
            {"generation_tokens_per_s", 5000}}},
          {"vs_reference", {{"speedup", speed}, {"speedup_ci95", {lo, hi}}}},
          {"reference", {{"latency_p50_ms", 0.2}}},
          {"baseline", {{"latency_p50_ms", 6.0}}}};
}

struct B {
  std::filesystem::path data = fx::scratch("boards");
  fx::People people = fx::create(data);
  Db db{data / "arena.db"};

  void add(const std::string& login, const json& m, const std::string& cpu = "cpu") {
    const auto p = person_by_token(db, people.token[login]);
    submit(db, p->id, sha256_hex(m.dump() + login), ".zip", 1, "my method", 100);
    const auto c = claim_job(db, "w", 30);
    finish_job(db, *c, JobEnd::done, "", ResultRow{"w", cpu, "isa", "measured", m.dump(), "/tmp", std::nullopt}, 3);
  }
  json category(const json& board, const std::string& id) {
    for (const auto& c : board["categories"])
      if (c["id"] == id) return c;
    FAIL("no category " << id);
    return {};
  }
};

}  // namespace

TEST_CASE("the fastest-classifier board keeps each student's best entry and marks ties and reference rows", "[unit]") {
  B b;
  b.add("alice", metrics(0.10, 2.0, 1.9, 2.1));
  b.add("alice", metrics(0.05, 4.0, 3.9, 4.1));      // alice's better entry
  b.add("mallory", metrics(0.051, 3.95, 3.8, 4.0));  // overlaps alice: tied
  b.add("prof", metrics(0.01, 20, 19, 21, false));   // below the gate: not ranked here
  const json board = compute_board(b.db, BoardKind::public_board);
  const json c = b.category(board, "fastest_classifier");
  const json& rows = c["rows"];
  REQUIRE(rows.size() == 4);  // alice, mallory, baseline, reference
  CHECK(rows[0]["login"] == "alice");
  CHECK(rows[0]["values"]["latency_p50_ms"] == 0.05);
  CHECK(rows[0]["rank"] == 1);
  CHECK(rows[1]["rank"] == 1);
  CHECK(rows[1]["tied"] == true);
  CHECK(rows[2]["marked"] == "baseline");
  CHECK(rows[3]["marked"] == "reference");
  CHECK(c["rank_key"] == "speedup");
  CHECK(c["columns"][0]["better"] == "higher");
  CHECK(b.category(board, "accuracy_size_tradeoff")["rows"].size() >= 3);  // not gated: prof is there
  CHECK(board["pareto"].size() == 4);
}

TEST_CASE("the fastest classifier is the best speedup over the reference, not the lowest p50 of a quiet moment",
          "[unit]") {
  B b;
  b.add("alice", metrics(0.04, 3.0, 2.9, 3.1));    // measured while the machine was quiet
  b.add("mallory", metrics(0.06, 5.0, 4.8, 5.2));  // measured on a busy machine, 5x the reference beside it
  json only_baseline = metrics(0.01, 9.0, 8.9, 9.1);
  only_baseline["vs_reference"] = nullptr;  // no interleaved reference rounds: another ratio
  only_baseline["fields"] = {{"latency_speedup", 600.0}};
  b.add("prof", only_baseline);
  const json rows = b.category(compute_board(b.db, BoardKind::public_board), "fastest_classifier")["rows"];
  REQUIRE(rows.size() == 5);  // mallory, alice, prof unranked (another ratio), baseline, reference
  CHECK(rows[0]["login"] == "mallory");
  CHECK(rows[0]["rank"] == 1);
  CHECK(rows[1]["login"] == "alice");
  CHECK(rows[1]["rank"] == 2);
  CHECK(rows[1]["tied"] == false);
  CHECK(rows[2]["login"] == "prof");
  CHECK(rows[2]["rank"].is_null());
  CHECK_THAT(rows[2]["unranked"].get<std::string>(), Catch::Matchers::Contains("regrade"));
  CHECK(rows[3]["marked"] == "baseline");
  // The baseline's speedup over the reference: both p50s from the same job (0.2 ms / 6.0 ms).
  CHECK(rows[3]["values"]["speedup"].get<double>() == Approx(0.2 / 6.0));
}

TEST_CASE("results from another hardware class and disqualified entries stay off the board", "[unit]") {
  B b;
  {
    Tx tx(b.db);
    b.db.exec("UPDATE competition SET hardware_class = 'cpu'");
    tx.commit();
  }
  b.add("alice", metrics(0.05, 4.0, 3.9, 4.1), "other cpu");
  b.add("mallory", metrics(0.06, 3.0, 2.9, 3.1));
  json rows = b.category(compute_board(b.db, BoardKind::public_board), "fastest_classifier")["rows"];
  CHECK(rows[0]["login"] == "mallory");
  CHECK(rows[1]["marked"] == "baseline");
  b.db.exec("UPDATE submissions SET disqualified = 'copied'");
  rows = b.category(compute_board(b.db, BoardKind::public_board), "fastest_classifier")["rows"];
  CHECK(rows.size() == 0);
  CHECK(top_result_ids(b.db, 5).empty());
}

TEST_CASE("tradeoff_score is module 20's: (accuracy ratio)^10 times the size ratio", "[unit]") {
  CHECK(tradeoff_score(0.8668, 0.8668, 275000, 1100000) == Approx(4.0));
  CHECK(tradeoff_score(0.8668 * 0.9, 0.8668, 1100000, 1100000) == Approx(std::pow(0.9, 10)));
}
