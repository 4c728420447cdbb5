// The job queue's transactions (queue.hpp). Every state change is one UPDATE guarded by the state
// and attempt it expects, so two actors racing for a job cannot both win.
// Not scheduling policy beyond "verify first, then oldest".
#include "tt/arena/queue.hpp"

#include "tt/arena/people.hpp"
#include "tt/arena/schema.hpp"

namespace tt::arena {

namespace {
constexpr double kWorkerAliveSeconds = 30;
}

int quota_used(Db& db, std::int64_t person_id, const std::string& day) {
  auto lock = db.lock();
  auto st = db.prepare(
      "SELECT COUNT(*) FROM submissions s WHERE s.person_id = ? AND s.day = ? AND NOT EXISTS "
      "(SELECT 1 FROM jobs j WHERE j.submission_id = s.id AND j.kind = 'grade' AND j.state IN ('infra-error', "
      "'cancelled') AND j.id = (SELECT MAX(id) FROM jobs WHERE submission_id = s.id AND kind = 'grade'))");
  st.args(person_id, day);
  st.step();
  return static_cast<int>(st.col_int(0));
}

Submitted submit(Db& db, std::int64_t person_id, const std::string& sha, const std::string& ext, std::int64_t bytes,
                 const std::string& description, int daily_quota) {
  Tx tx(db);
  const double now = now_seconds();
  const std::string day = utc_day(now);
  const int used = quota_used(db, person_id, day);
  if (used >= daily_quota)
    throw QuotaExceeded("daily quota reached (" + std::to_string(used) + " of " + std::to_string(daily_quota) +
                        " today, UTC); try again tomorrow");
  db.prepare("INSERT OR IGNORE INTO uploads (sha256, ext, bytes, created_at) VALUES (?, ?, ?, ?)")
      .args(sha, ext, bytes, now)
      .run();
  db.prepare("INSERT INTO submissions (person_id, sha256, description, day, created_at) VALUES (?, ?, ?, ?, ?)")
      .args(person_id, sha, description, day, now)
      .run();
  Submitted s;
  s.submission_id = db.last_insert_id();
  db.prepare("INSERT INTO jobs (submission_id, kind, state, created_at) VALUES (?, 'grade', 'queued', ?)")
      .args(s.submission_id, now)
      .run();
  s.job_id = db.last_insert_id();
  tx.commit();
  return s;
}

std::optional<Claim> claim_job(Db& db, const std::string& worker, double lease_seconds) {
  Tx tx(db);
  const double now = now_seconds();
  auto alive = db.prepare("SELECT COUNT(*) FROM workers WHERE heartbeat_at > ?");
  alive.args(now - kWorkerAliveSeconds);
  alive.step();
  const bool others = alive.col_int(0) > 1;
  auto pick = db.prepare(
      "SELECT j.id, j.submission_id, j.attempt, j.kind, s.sha256, u.ext, j.verify_of FROM jobs j "
      "JOIN submissions s ON s.id = j.submission_id JOIN uploads u ON u.sha256 = s.sha256 "
      "WHERE j.state = 'queued' AND (j.avoid_worker IS NULL OR j.avoid_worker != ? OR ? = 0) "
      "ORDER BY j.priority DESC, j.id LIMIT 1");
  pick.args(worker, others ? 1 : 0);
  if (!pick.step()) return std::nullopt;
  Claim c{pick.col_int(0),  pick.col_int(1), static_cast<int>(pick.col_int(2)) + 1, pick.col_text(3), pick.col_text(4),
          pick.col_text(5), std::nullopt};
  if (!pick.col_null(6)) c.verify_of = pick.col_int(6);
  db.prepare(
        "UPDATE jobs SET state = 'running', attempt = ?, worker = ?, lease_until = ?, started_at = ?, "
        "external_id = NULL WHERE id = ? AND state = 'queued'")
      .args(c.attempt, worker, now + lease_seconds, now, c.job_id)
      .run();
  if (db.changes() != 1) return std::nullopt;
  tx.commit();
  return c;
}

bool renew_lease(Db& db, const Claim& c, const std::string& worker, double lease_seconds) {
  auto lock = db.lock();
  db.prepare("UPDATE jobs SET lease_until = ? WHERE id = ? AND attempt = ? AND worker = ? AND state = 'running'")
      .args(now_seconds() + lease_seconds, c.job_id, c.attempt, worker)
      .run();
  return db.changes() == 1;
}

void set_external_id(Db& db, const Claim& c, const std::string& id) {
  auto lock = db.lock();
  db.prepare("UPDATE jobs SET external_id = ? WHERE id = ? AND attempt = ?").args(id, c.job_id, c.attempt).run();
}

bool finish_job(Db& db, const Claim& c, JobEnd end, const std::string& error, const std::optional<ResultRow>& result,
                int max_attempts) {
  Tx tx(db);
  const double now = now_seconds();
  if (end == JobEnd::infra) {
    db.prepare(
          "UPDATE jobs SET state = CASE WHEN attempt >= ? THEN 'infra-error' ELSE 'queued' END, worker = NULL, "
          "lease_until = NULL, error = ?, finished_at = CASE WHEN attempt >= ? THEN ? ELSE NULL END "
          "WHERE id = ? AND attempt = ? AND state = 'running'")
        .args(max_attempts, error, max_attempts, now, c.job_id, c.attempt)
        .run();
  } else {
    db.prepare(
          "UPDATE jobs SET state = ?, lease_until = NULL, error = ?, finished_at = ? "
          "WHERE id = ? AND attempt = ? AND state = 'running'")
        .args(std::string(end == JobEnd::done ? "done" : "failed"), error, now, c.job_id, c.attempt)
        .run();
  }
  if (db.changes() != 1) return false;
  if (end != JobEnd::infra && result) {
    db.prepare(
          "INSERT INTO results (job_id, submission_id, kind, worker, cpu, isa, measure_status, metrics, run_dir, "
          "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .args(c.job_id, c.submission_id, c.kind, result->worker, result->cpu, result->isa, result->measure_status,
              result->metrics_json, result->run_dir, now)
        .run();
    if (c.verify_of && result->verifies)
      db.prepare("UPDATE results SET verified = ? WHERE id = ?").args(*result->verifies ? 1 : 0, *c.verify_of).run();
  }
  bump_board_version(db);
  tx.commit();
  return true;
}

int requeue_expired(Db& db, int max_attempts) {
  Tx tx(db);
  const double now = now_seconds();
  db.prepare(
        "UPDATE jobs SET state = CASE WHEN attempt >= ? THEN 'infra-error' ELSE 'queued' END, worker = NULL, "
        "lease_until = NULL, error = 'the worker stopped answering (lease expired)', "
        "finished_at = CASE WHEN attempt >= ? THEN ? ELSE NULL END WHERE state = 'running' AND lease_until < ?")
      .args(max_attempts, max_attempts, now, now)
      .run();
  const int n = db.changes();
  if (n > 0) bump_board_version(db);
  tx.commit();
  return n;
}

int requeue_worker_jobs(Db& db, const std::string& prefix, int max_attempts) {
  Tx tx(db);
  db.prepare(
        "UPDATE jobs SET state = CASE WHEN attempt >= ? THEN 'infra-error' ELSE 'queued' END, worker = NULL, "
        "lease_until = NULL, error = 'the server restarted while it ran', "
        "finished_at = CASE WHEN attempt >= ? THEN ? ELSE NULL END WHERE state = 'running' AND substr(worker, 1, ?) = "
        "?")
      .args(max_attempts, max_attempts, now_seconds(), static_cast<int>(prefix.size()), prefix)
      .run();
  const int n = db.changes();
  if (n > 0) bump_board_version(db);
  tx.commit();
  return n;
}

bool cancel_job(Db& db, std::int64_t job_id) {
  Tx tx(db);
  db.prepare(
        "UPDATE jobs SET state = 'cancelled', worker = NULL, lease_until = NULL, finished_at = ?, "
        "error = 'cancelled by staff' WHERE id = ? AND state IN ('queued', 'running')")
      .args(now_seconds(), job_id)
      .run();
  const bool ok = db.changes() == 1;
  if (ok) bump_board_version(db);
  tx.commit();
  return ok;
}

std::int64_t rerun_submission(Db& db, std::int64_t submission_id) {
  Tx tx(db);
  db.prepare("INSERT INTO jobs (submission_id, kind, state, priority, created_at) VALUES (?, 'grade', 'queued', 1, ?)")
      .args(submission_id, now_seconds())
      .run();
  const auto id = db.last_insert_id();
  bump_board_version(db);
  tx.commit();
  return id;
}

std::int64_t enqueue_verify(Db& db, std::int64_t result_id) {
  Tx tx(db);
  auto st = db.prepare(
      "SELECT r.submission_id, r.worker FROM results r WHERE r.id = ? AND NOT EXISTS (SELECT 1 FROM jobs j WHERE "
      "j.verify_of = r.id AND j.state IN ('queued', 'running', 'done'))");
  st.args(result_id);
  if (!st.step()) return 0;
  db.prepare(
        "INSERT INTO jobs (submission_id, kind, state, priority, verify_of, avoid_worker, created_at) "
        "VALUES (?, 'verify', 'queued', 10, ?, ?, ?)")
      .args(st.col_int(0), result_id, st.col_text(1), now_seconds())
      .run();
  const auto id = db.last_insert_id();
  tx.commit();
  return id;
}

int queue_position(Db& db, std::int64_t job_id) {
  auto lock = db.lock();
  auto st = db.prepare(
      "SELECT COUNT(*) FROM jobs a, jobs b WHERE b.id = ? AND b.state = 'queued' AND a.state = 'queued' AND "
      "(a.priority > b.priority OR (a.priority = b.priority AND a.id < b.id))");
  st.args(job_id);
  st.step();
  auto queued = db.prepare("SELECT 1 FROM jobs WHERE id = ? AND state = 'queued'");
  queued.args(job_id);
  return queued.step() ? static_cast<int>(st.col_int(0)) : -1;
}

void register_worker(Db& db, const std::string& id, const std::string& executor, const std::string& host,
                     const std::string& cpu, const std::string& isa) {
  auto lock = db.lock();
  db.prepare(
        "INSERT INTO workers (id, executor, host, cpu, isa, state, heartbeat_at) VALUES (?, ?, ?, ?, ?, 'idle', ?) "
        "ON CONFLICT(id) DO UPDATE SET executor = excluded.executor, host = excluded.host, cpu = excluded.cpu, "
        "isa = excluded.isa, state = 'idle', job_id = NULL, heartbeat_at = excluded.heartbeat_at")
      .args(id, executor, host, cpu, isa, now_seconds())
      .run();
}

void worker_heartbeat(Db& db, const std::string& id, const std::string& state, std::optional<std::int64_t> job) {
  auto lock = db.lock();
  db.prepare("UPDATE workers SET state = ?, job_id = ?, heartbeat_at = ? WHERE id = ?")
      .args(state, job, now_seconds(), id)
      .run();
}

}  // namespace tt::arena
