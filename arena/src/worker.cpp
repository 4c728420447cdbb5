// The local worker loop (worker.hpp): claim, run the grading command, renew the lease while it
// runs, collect its report, finish the job once.
// Not the process supervision (executor_local.cpp starts and restarts these processes).
#include "tt/arena/worker.hpp"

#include <sched.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "tt/arena/result.hpp"
#include "tt/arena/schema.hpp"
#include "tt/grade/process.hpp"

namespace tt::arena {
namespace fs = std::filesystem;
using nlohmann::json;

json worker_config_json(const WorkerConfig& c) {
  return {{"db", c.db},
          {"data", c.data},
          {"course", c.course},
          {"grader", c.grader},
          {"work", c.work},
          {"command", c.command},
          {"lease_seconds", c.lease_seconds},
          {"job_timeout_seconds", c.job_timeout_seconds},
          {"max_attempts", c.max_attempts},
          {"idle_poll_seconds", c.idle_poll_seconds}};
}

WorkerConfig worker_config_from_json(const json& j) {
  WorkerConfig c;
  c.db = j.at("db").get<std::string>();
  c.data = j.at("data").get<std::string>();
  c.course = j.at("course").get<std::string>();
  c.grader = j.at("grader").get<std::string>();
  c.work = j.at("work").get<std::string>();
  c.command = j.at("command").get<std::vector<std::string>>();
  c.lease_seconds = j.value("lease_seconds", c.lease_seconds);
  c.job_timeout_seconds = j.value("job_timeout_seconds", c.job_timeout_seconds);
  c.max_attempts = j.value("max_attempts", c.max_attempts);
  c.idle_poll_seconds = j.value("idle_poll_seconds", c.idle_poll_seconds);
  return c;
}

std::vector<std::string> default_grade_command() {
  return {"{grader}", "run",      "{submission}", "--out",  "{out}",    "--module", "20",
          "--course", "{course}", "--work",       "{work}", "--format", "json,md",  "--quiet"};
}

std::vector<std::string> expand_command(const std::vector<std::string>& tmpl,
                                        const std::map<std::string, std::string>& vars) {
  std::vector<std::string> out;
  for (auto a : tmpl) {
    for (const auto& [k, v] : vars)
      for (std::size_t pos = 0; (pos = a.find("{" + k + "}", pos)) != std::string::npos; pos += v.size())
        a.replace(pos, k.size() + 2, v);
    out.push_back(a);
  }
  return out;
}

fs::path run_dir(const fs::path& data, std::int64_t job, int attempt) {
  return data / "runs" / (std::to_string(job) + "-" + std::to_string(attempt));
}

Collected collect_run(Db& db, const Claim& c, const fs::path& dir, int exit_code, const std::string& why,
                      const std::string& worker, const std::string& cpu, const std::string& isa) {
  Collected out;
  const fs::path report = dir / "report.json";
  if (exit_code == 3) {
    out.error = "the grader's sandbox is not available on " + worker + " (infrastructure, not your entry)";
    return out;
  }
  if (exit_code < 0 || !fs::exists(report)) {
    out.error = "the grading process ended without a report (" + why + ")";
    return out;
  }
  json metrics;
  try {
    std::ifstream in(report);
    metrics = metrics_from_report(json::parse(in));
  } catch (const std::exception& e) {
    out.error = std::string("the report could not be read: ") + e.what();
    return out;
  }
  const std::string status = metrics.value("measure_status", "skipped");
  out.end = status == "measured" ? JobEnd::done : JobEnd::failed;
  if (out.end == JobEnd::failed)
    out.error = metrics.value("grade_status", "") == "error"
                    ? metrics.value("grade_error", "the grade failed")
                    : "your entry was not measured: " + metrics.value("reason", "");
  ResultRow row{worker, cpu, isa, status, metrics.dump(), dir.string(), std::nullopt};
  if (c.verify_of) {
    auto lock = db.lock();
    auto st = db.prepare("SELECT metrics FROM results WHERE id = ?");
    st.args(*c.verify_of);
    row.verifies = st.step() && reproduces(json::parse(st.col_text(0)), metrics);
  }
  out.result = row;
  return out;
}

std::vector<int> parse_cpu_list(const std::string& s) {
  std::vector<int> out;
  std::stringstream in(s);
  for (std::string part; std::getline(in, part, ',');) {
    if (part.empty()) continue;
    const auto dash = part.find('-');
    const int a = std::stoi(part.substr(0, dash));
    const int b = dash == std::string::npos ? a : std::stoi(part.substr(dash + 1));
    for (int i = a; i <= b; ++i) out.push_back(i);
  }
  return out;
}

namespace {

void pin_to(const std::string& cpus) {
  const auto list = parse_cpu_list(cpus);
  if (list.empty()) return;
  cpu_set_t set;
  CPU_ZERO(&set);
  for (int c : list) CPU_SET(c, &set);
  if (sched_setaffinity(0, sizeof set, &set) != 0) std::cerr << "tt-arena worker: cannot pin to CPUs " << cpus << "\n";
}

// One job: the command in a fresh run folder, the lease renewed while it runs.
void run_job(Db& db, const WorkerConfig& cfg, const Claim& c, const std::string& id, const Hardware& hw) {
  const fs::path dir = run_dir(cfg.data, c.job_id, c.attempt);
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path submission = cfg.data / "uploads" / c.sha.substr(0, 2) / (c.sha + c.ext);
  const auto argv = expand_command(cfg.command, {{"grader", cfg.grader.string()},
                                                 {"submission", submission.string()},
                                                 {"out", dir.string()},
                                                 {"course", cfg.course.string()},
                                                 {"work", cfg.work.string()},
                                                 {"job", std::to_string(c.job_id)},
                                                 {"attempt", std::to_string(c.attempt)}});
  tt::grade::Limits limits;
  limits.wall_seconds = cfg.job_timeout_seconds;
  limits.output_kill = 0;
  limits.output_keep = std::size_t{256} * 1024;
  tt::grade::Child child(argv, limits);
  std::atomic<bool> lost{false}, done{false};
  std::thread lease([&] {
    const auto period = std::chrono::duration<double>(cfg.lease_seconds / 4);
    while (!done) {
      for (auto t0 = std::chrono::steady_clock::now(); !done && std::chrono::steady_clock::now() - t0 < period;)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      if (done) break;
      try {
        worker_heartbeat(db, id, "busy", c.job_id);
        if (!renew_lease(db, c, id, cfg.lease_seconds)) {
          lost = true;  // requeued or cancelled: stop the grade, its result would be fenced out anyway
          child.kill();
          break;
        }
      } catch (const std::exception& e) {
        std::cerr << "tt-arena worker " << id << ": lease renewal failed: " << e.what() << "\n";
      }
    }
  });
  const auto p = child.wait(cfg.job_timeout_seconds);
  done = true;
  lease.join();
  std::ofstream(dir / "worker.log") << p.output;
  std::ofstream(dir / "timing.json") << json{{"command_seconds", p.seconds}}.dump() << "\n";
  if (lost) return;
  const std::string why = !p.started    ? "could not start: " + p.error
                          : p.timed_out ? "timed out after " + std::to_string(static_cast<int>(p.seconds)) + " s"
                          : p.signal    ? "killed by " + tt::grade::signal_name(p.signal)
                                        : "exit " + std::to_string(p.exit_code);
  const int code = (!p.started || p.timed_out || p.signal) ? -1 : p.exit_code;
  const Collected r = collect_run(db, c, dir, code, why, id, hw.cpu, hw.isa);
  finish_job(db, c, r.end, r.error, r.result, cfg.max_attempts);
}

}  // namespace

int run_worker(const WorkerConfig& cfg, const std::string& id, const std::string& cpus, std::atomic<bool>& stop) {
  pin_to(cpus);
  Db db(cfg.db);
  const Hardware hw = this_hardware();
  char host[256] = "localhost";
  gethostname(host, sizeof host - 1);
  register_worker(db, id, "local", host, hw.cpu, hw.isa);
  while (!stop) {
    std::optional<Claim> c;
    try {
      c = claim_job(db, id, cfg.lease_seconds);
      if (!c) {
        worker_heartbeat(db, id, "idle", std::nullopt);
        std::this_thread::sleep_for(std::chrono::duration<double>(cfg.idle_poll_seconds));
        continue;
      }
      worker_heartbeat(db, id, "busy", c->job_id);
      run_job(db, cfg, *c, id, hw);
    } catch (const std::exception& e) {
      std::cerr << "tt-arena worker " << id << ": " << e.what() << "\n";
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  }
  worker_heartbeat(db, id, "stopped", std::nullopt);
  return 0;
}

}  // namespace tt::arena
