// The durable job queue: submissions and their jobs (queued → running → done | failed |
// infra-error | cancelled), leases with a fencing attempt number so that a job ends exactly once,
// the daily quota, and the workers' registry.
// Not the executors (worker.hpp, executor_*.hpp) and not what a result means (result.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tt/arena/db.hpp"

namespace tt::arena {

struct QuotaExceeded : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Submitted {
  std::int64_t submission_id = 0, job_id = 0;
};

// Uploads already stored by SHA-256 `sha`: records the upload, the submission and its grade job in
// one transaction, after checking the quota (submissions today whose jobs did not end in
// infra-error or cancelled). Throws QuotaExceeded.
Submitted submit(Db& db, std::int64_t person_id, const std::string& sha, const std::string& ext, std::int64_t bytes,
                 const std::string& description, int daily_quota);
int quota_used(Db& db, std::int64_t person_id, const std::string& day);

// A job a worker holds. `attempt` fences it: only the holder of the current attempt may finish it.
struct Claim {
  std::int64_t job_id = 0, submission_id = 0;
  int attempt = 0;
  std::string kind;  // grade | verify
  std::string sha, ext;
  std::optional<std::int64_t> verify_of;  // the result a verify job re-measures
};

// Takes the next queued job (verify jobs first) for `worker`, leased until now + lease_seconds.
// A verify job is not given to the worker that made the result it checks while another worker is alive.
std::optional<Claim> claim_job(Db& db, const std::string& worker, double lease_seconds);
// Extends the lease; false when the job is no longer this attempt's (requeued or cancelled).
bool renew_lease(Db& db, const Claim& c, const std::string& worker, double lease_seconds);
// Records an external id for the attempt (a Slurm job id).
void set_external_id(Db& db, const Claim& c, const std::string& id);

enum class JobEnd { done, failed, infra };

struct ResultRow {
  std::string worker, cpu, isa, measure_status, metrics_json, run_dir;
  std::optional<bool> verifies;  // a verify job: whether it reproduced the result it re-measured
};

// Ends the attempt: done / failed insert the result and bump the board in the same transaction;
// infra requeues the job (attempt < max_attempts) or ends it as infra-error. Returns false, and
// changes nothing, when the attempt is no longer current (a late finisher is fenced out).
bool finish_job(Db& db, const Claim& c, JobEnd end, const std::string& error, const std::optional<ResultRow>& result,
                int max_attempts);

// Requeues running jobs whose lease expired (or ends them as infra-error after max_attempts);
// returns how many it touched.
int requeue_expired(Db& db, int max_attempts);
// Requeues every running job leased by a worker whose id starts with prefix (at start-up: the local
// workers died with the previous server).
int requeue_worker_jobs(Db& db, const std::string& prefix, int max_attempts);

// Staff actions.
bool cancel_job(Db& db, std::int64_t job_id);
std::int64_t rerun_submission(Db& db, std::int64_t submission_id);
std::int64_t enqueue_verify(Db& db, std::int64_t result_id);

// Jobs ahead of this one (0 = next); -1 when it is not queued.
int queue_position(Db& db, std::int64_t job_id);

// The workers' registry (shown to staff).
void register_worker(Db& db, const std::string& id, const std::string& executor, const std::string& host,
                     const std::string& cpu, const std::string& isa);
void worker_heartbeat(Db& db, const std::string& id, const std::string& state, std::optional<std::int64_t> job);

}  // namespace tt::arena
