// The job queue: leases, fencing, requeue, infra-errors that cost no quota, exactly-once results
// under concurrent workers on separate connections.
// Not the executors: these drive the queue directly.
#include <thread>

#include "arena_fixture.hpp"
#include "tt/arena/queue.hpp"

using namespace tt::arena;

namespace {

struct Q {
  std::filesystem::path data = fx::scratch("queue");
  fx::People people = fx::create(data, 3);
  Db db{data / "arena.db"};
  std::int64_t alice = person_by_token(db, people.token["alice"])->id;

  Submitted one(const std::string& salt) {
    return submit(db, alice, sha256_hex(salt), ".tar.gz", 10, "a method " + salt, 1000);
  }
  int count(const std::string& sql) {
    auto lock = db.lock();
    auto st = db.prepare(sql);
    st.step();
    return static_cast<int>(st.col_int(0));
  }
};

ResultRow row() { return {"w", "cpu", "isa", "measured", "{}", "/tmp/x", std::nullopt}; }

}  // namespace

TEST_CASE("a job is claimed once, finished once, and a second finish is refused", "[unit][queue]") {
  Q q;
  const auto s = q.one("a");
  CHECK(queue_position(q.db, s.job_id) == 0);
  const auto c = claim_job(q.db, "w1", 30);
  REQUIRE(c);
  CHECK(c->attempt == 1);
  CHECK_FALSE(claim_job(q.db, "w2", 30));
  CHECK(renew_lease(q.db, *c, "w1", 30));
  CHECK_FALSE(renew_lease(q.db, *c, "w2", 30));
  CHECK(finish_job(q.db, *c, JobEnd::done, "", row(), 3));
  CHECK_FALSE(finish_job(q.db, *c, JobEnd::done, "", row(), 3));
  CHECK(q.count("SELECT COUNT(*) FROM results") == 1);
  CHECK(queue_position(q.db, s.job_id) == -1);
}

TEST_CASE("an expired lease requeues the job and fences out the late finisher", "[unit][queue]") {
  Q q;
  q.one("a");
  const auto first = claim_job(q.db, "w1", -1);  // already expired
  REQUIRE(first);
  CHECK(requeue_expired(q.db, 3) == 1);
  const auto second = claim_job(q.db, "w2", 30);
  REQUIRE(second);
  CHECK(second->attempt == 2);
  CHECK_FALSE(finish_job(q.db, *first, JobEnd::done, "", row(), 3));  // the presumed-dead worker
  CHECK(finish_job(q.db, *second, JobEnd::done, "", row(), 3));
  CHECK(q.count("SELECT COUNT(*) FROM results") == 1);
}

TEST_CASE("infrastructure failures retry, end as infra-error, and cost no quota", "[unit][queue]") {
  Q q;
  const auto day = utc_day(now_seconds());
  q.one("a");
  CHECK(quota_used(q.db, q.alice, day) == 1);
  for (int attempt = 1; attempt <= 2; ++attempt) {
    const auto c = claim_job(q.db, "w", 30);
    REQUIRE(c);
    CHECK(c->attempt == attempt);
    CHECK(finish_job(q.db, *c, JobEnd::infra, "node died", std::nullopt, 2));
  }
  CHECK_FALSE(claim_job(q.db, "w", 30));
  CHECK(q.count("SELECT COUNT(*) FROM jobs WHERE state = 'infra-error'") == 1);
  CHECK(quota_used(q.db, q.alice, day) == 0);
  CHECK(q.count("SELECT COUNT(*) FROM results") == 0);
}

TEST_CASE("the quota counts today's submissions and refuses one more", "[unit][queue]") {
  Q q;
  for (int i = 0; i < 3; ++i) submit(q.db, q.alice, sha256_hex(std::to_string(i)), ".zip", 1, "method number", 3);
  CHECK_THROWS_AS(submit(q.db, q.alice, sha256_hex("x"), ".zip", 1, "method number", 3), QuotaExceeded);
  CHECK(q.count("SELECT COUNT(*) FROM submissions") == 3);  // the refused one left nothing
}

TEST_CASE("verify jobs go first, avoid their original worker, and mark the result", "[unit][queue]") {
  Q q;
  q.one("a");
  const auto c = claim_job(q.db, "w1", 30);
  ResultRow made = row();
  made.worker = "w1";
  finish_job(q.db, *c, JobEnd::done, "", made, 3);
  const auto later = q.one("b");
  register_worker(q.db, "w1", "local", "h", "cpu", "isa");
  register_worker(q.db, "w2", "local", "h", "cpu", "isa");
  const auto v = enqueue_verify(q.db, 1);
  CHECK(v > 0);
  CHECK(enqueue_verify(q.db, 1) == 0);  // once
  CHECK(queue_position(q.db, later.job_id) == 1);
  const auto by_w1 = claim_job(q.db, "w1", 30);  // w1 made the result: it gets the other job
  REQUIRE(by_w1);
  CHECK(by_w1->kind == "grade");
  const auto by_w2 = claim_job(q.db, "w2", 30);
  REQUIRE(by_w2);
  CHECK(by_w2->kind == "verify");
  ResultRow r = row();
  r.verifies = true;
  CHECK(finish_job(q.db, *by_w2, JobEnd::done, "", r, 3));
  CHECK(q.count("SELECT verified FROM results WHERE id = 1") == 1);
}

TEST_CASE("staff cancel a queued job; a re-run is a new job", "[unit][queue]") {
  Q q;
  const auto s = q.one("a");
  CHECK(cancel_job(q.db, s.job_id));
  CHECK_FALSE(cancel_job(q.db, s.job_id));
  CHECK_FALSE(claim_job(q.db, "w", 30));
  const auto again = rerun_submission(q.db, s.submission_id);
  const auto c = claim_job(q.db, "w", 30);
  REQUIRE(c);
  CHECK(c->job_id == again);
}

TEST_CASE("four workers on their own connections grade 40 jobs exactly once", "[unit][queue]") {
  Q q;
  for (int i = 0; i < 40; ++i) q.one(std::to_string(i));
  std::atomic<int> finished{0};
  std::vector<std::thread> ts;
  ts.reserve(4);
  for (int w = 0; w < 4; ++w)
    ts.emplace_back([&, w] {
      Db db(q.data / "arena.db");
      const std::string id = "w" + std::to_string(w);
      while (auto c = claim_job(db, id, 30)) {
        ResultRow r = row();
        r.worker = id;
        if (finish_job(db, *c, JobEnd::done, "", r, 3)) ++finished;
      }
    });
  for (auto& t : ts) t.join();
  CHECK(finished == 40);
  CHECK(q.count("SELECT COUNT(*) FROM results") == 40);
  CHECK(q.count("SELECT COUNT(DISTINCT job_id) FROM results") == 40);
  CHECK(q.count("SELECT COUNT(*) FROM jobs WHERE state != 'done'") == 0);
}
