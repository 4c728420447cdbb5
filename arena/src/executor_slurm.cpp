// The Slurm executor: claims jobs under the lease of worker "slurm", submits each as an sbatch
// job that runs the grading command on an exclusive node and writes its run folder on the shared
// filesystem, renews the leases while Slurm runs them, and collects each folder once its exit
// file appears (or its job vanished without one: infrastructure, retried).
// Not the grading: the node runs tt-grade exactly as a local worker would.
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "tt/arena/executor.hpp"
#include "tt/arena/queue.hpp"
#include "tt/arena/result.hpp"
#include "tt/grade/slurm.hpp"

namespace tt::arena {
namespace fs = std::filesystem;

namespace {

constexpr const char* kWorker = "slurm";

struct InFlight {
  Claim claim;
  std::string slurm_id;
  fs::path dir;
  double gone_since = 0;  // when squeue first stopped listing it without an exit file
};

class SlurmExecutor final : public Executor {
 public:
  SlurmExecutor(Db& db, const WorkerConfig& cfg, const SlurmSettings& s) : db_(db), cfg_(cfg), s_(s) {
    spec_.partition = s.partition;
    spec_.time_limit_minutes = s.time_limit_minutes;
    spec_.exclusive = s.exclusive;
    spec_.extra_args = s.extra_args;
    spec_.sbatch = s.sbatch;
    spec_.squeue = s.squeue;
    spec_.scancel = s.scancel;
  }
  ~SlurmExecutor() override { SlurmExecutor::stop(); }

  void start() override {
    // Jobs a previous server left with Slurm: cancel them and grade again (their late results
    // would be fenced out by the attempt number anyway).
    {
      auto lock = db_.lock();
      auto st = db_.prepare(
          "SELECT external_id FROM jobs WHERE state = 'running' AND worker = ? AND external_id IS NOT NULL");
      st.args(std::string(kWorker));
      while (st.step()) grade::slurm_cancel(spec_, st.col_text(0));
    }
    requeue_worker_jobs(db_, kWorker, cfg_.max_attempts);
    const Hardware hw = this_hardware();
    register_worker(db_, kWorker, "slurm", "partition " + s_.partition, "(per node, in each result)", hw.isa);
    thread_ = std::thread([this] { loop(); });
  }

  void stop() override {
    if (stop_.exchange(true)) return;
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::string body(const Claim& c, const fs::path& dir) {
    const fs::path submission = cfg_.data / "uploads" / c.sha.substr(0, 2) / (c.sha + c.ext);
    const auto argv = expand_command(cfg_.command, {{"grader", cfg_.grader.string()},
                                                    {"submission", submission.string()},
                                                    {"out", dir.string()},
                                                    {"course", cfg_.course.string()},
                                                    {"work", cfg_.work.string()},
                                                    {"job", std::to_string(c.job_id)},
                                                    {"attempt", std::to_string(c.attempt)}});
    std::string cmd;
    for (const auto& a : argv) {
      if (!cmd.empty()) cmd += ' ';  // append, not " " + string: GCC 12's false -Wrestrict (bug 105651)
      cmd += grade::shell_quote(a);
    }
    const std::string d = grade::shell_quote(dir.string());
    // The node records its own CPU (the hardware class is checked per result), then grades.
    return "cd " + d + "\n" + "grep -m2 -E '^(model name|flags)' /proc/cpuinfo > " + d + "/node-cpuinfo.txt\n" +
           "hostname > " + d + "/node.txt\nt0=$(date +%s.%N)\n" + cmd + " > " + d + "/worker.log 2>&1\n" +
           "rc=$?\nawk -v a=\"$t0\" -v b=\"$(date +%s.%N)\" 'BEGIN { printf \"{\\\"command_seconds\\\": %.3f}\\n\", b "
           "- a }' > " +
           d + "/timing.json\n" + "echo $rc > " + d + "/exit_code.tmp && mv " + d + "/exit_code.tmp " + d +
           "/exit_code\n";
  }

  void submit_more() {
    while (static_cast<int>(flight_.size()) < s_.max_in_flight) {
      auto c = claim_job(db_, kWorker, cfg_.lease_seconds);
      if (!c) return;
      const fs::path dir = run_dir(cfg_.data, c->job_id, c->attempt);
      fs::remove_all(dir);
      fs::create_directories(dir);
      grade::SlurmJobSpec spec = spec_;
      spec.name = "tt-arena-" + std::to_string(c->job_id);
      spec.log = dir / "slurm.log";
      try {
        const std::string id = grade::slurm_submit(spec, dir / "job.sbatch", body(*c, dir));
        set_external_id(db_, *c, id);
        flight_[c->job_id] = {*c, id, dir, 0};
      } catch (const std::exception& e) {
        std::cerr << "tt-arena slurm: " << e.what() << "\n";
        finish_job(db_, *c, JobEnd::infra, e.what(), std::nullopt, cfg_.max_attempts);
        return;
      }
    }
  }

  void poll() {
    for (auto it = flight_.begin(); it != flight_.end();) {
      InFlight& f = it->second;
      if (!renew_lease(db_, f.claim, kWorker, cfg_.lease_seconds)) {  // cancelled by staff
        grade::slurm_cancel(spec_, f.slurm_id);
        it = flight_.erase(it);
        continue;
      }
      std::string why;
      int code = 0;
      if (fs::exists(f.dir / "exit_code")) {
        std::ifstream(f.dir / "exit_code") >> code;
        why = "exit " + std::to_string(code);
      } else if (grade::slurm_state(spec_, f.slurm_id).empty()) {
        if (f.gone_since == 0) f.gone_since = now_seconds();
        if (now_seconds() - f.gone_since < 10) {  // the shared filesystem may lag behind Slurm
          ++it;
          continue;
        }
        code = -1;
        why = "Slurm job " + f.slurm_id + " ended without a result (time limit, node failure or cancelled)";
      } else {
        ++it;
        continue;
      }
      const Hardware hw = this_hardware(f.dir / "node-cpuinfo.txt");
      std::string node = "node";
      if (std::ifstream in(f.dir / "node.txt"); in) std::getline(in, node);
      const Collected r = collect_run(db_, f.claim, f.dir, code, why, "slurm:" + node, hw.cpu, hw.isa);
      finish_job(db_, f.claim, r.end, r.error, r.result, cfg_.max_attempts);
      it = flight_.erase(it);
    }
  }

  void loop() {
    while (!stop_) {
      try {
        worker_heartbeat(db_, kWorker, flight_.empty() ? "idle" : std::to_string(flight_.size()) + " in Slurm",
                         std::nullopt);
        submit_more();
        poll();
      } catch (const std::exception& e) {
        std::cerr << "tt-arena slurm: " << e.what() << "\n";
      }
      for (int i = 0; i < 10 && !stop_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }

  Db& db_;
  WorkerConfig cfg_;
  SlurmSettings s_;
  grade::SlurmJobSpec spec_;
  std::map<std::int64_t, InFlight> flight_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace

std::unique_ptr<Executor> make_slurm_executor(Db& db, const WorkerConfig& cfg, const SlurmSettings& s) {
  return std::make_unique<SlurmExecutor>(db, cfg, s);
}

}  // namespace tt::arena
