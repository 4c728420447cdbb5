// A worker: takes one job at a time from the queue under a lease, runs the grading command (by
// default the sandboxed `tt-grade run … --module 20`) in a fresh run folder, and records the
// outcome exactly once. Local workers are `tt-arena worker` processes the server starts; the
// Slurm executor runs the same command on a cluster node and collects it with collect_run().
// Not the sandbox: tt-grade is the measuring instrument; the worker only starts it and reads its report.
#pragma once

#include <atomic>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tt/arena/db.hpp"
#include "tt/arena/queue.hpp"

namespace tt::arena {

// Everything a worker needs, written by the server as JSON and read by `tt-arena worker --config`.
struct WorkerConfig {
  std::filesystem::path db, data;  // the database and the data folder (uploads/, runs/)
  std::filesystem::path course, grader, work;
  // The grading command, one word per element; {grader} {submission} {out} {course} {work} {job}
  // {attempt} are replaced.
  std::vector<std::string> command;
  double lease_seconds = 20;
  double job_timeout_seconds = 1800;
  int max_attempts = 3;
  double idle_poll_seconds = 0.2;
};
nlohmann::json worker_config_json(const WorkerConfig& c);
WorkerConfig worker_config_from_json(const nlohmann::json& j);

// The default grading command (tt-grade run on module 20, JSON and Markdown reports).
std::vector<std::string> default_grade_command();
std::vector<std::string> expand_command(const std::vector<std::string>& tmpl,
                                        const std::map<std::string, std::string>& vars);

// Where an attempt's files go: <data>/runs/<job>-<attempt>/ (report.json, summary.md, worker.log).
std::filesystem::path run_dir(const std::filesystem::path& data, std::int64_t job, int attempt);

// The outcome of a finished command in a run folder: done (measured), failed (graded, entry not
// measured: the student's), infra (no report, crash, timeout, sandbox missing: not the student's).
struct Collected {
  JobEnd end = JobEnd::infra;
  std::string error;
  std::optional<ResultRow> result;
};
// exit_code < 0: killed by a signal or timed out (`why` says which).
Collected collect_run(Db& db, const Claim& c, const std::filesystem::path& dir, int exit_code, const std::string& why,
                      const std::string& worker, const std::string& cpu, const std::string& isa);

// Runs jobs until `stop` (the `tt-arena worker` process). Returns 0.
int run_worker(const WorkerConfig& cfg, const std::string& id, const std::string& cpus, std::atomic<bool>& stop);

// Parses "0-3,6" into CPU numbers (empty: none).
std::vector<int> parse_cpu_list(const std::string& s);

}  // namespace tt::arena
