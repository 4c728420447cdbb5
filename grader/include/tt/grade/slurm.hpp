// Slurm, the scale-out path shared by `tt-grade batch --slurm` and tt-arena's Slurm executor: a
// batch script that runs grading commands on an exclusive node of a declared partition within a
// time limit, its submission with sbatch, and the job's state from squeue.
// Not a scheduler: Slurm is; results come back through the shared filesystem, never through Slurm.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace tt::grade {

struct SlurmJobSpec {
  std::string name = "tt-grade";
  std::string partition;                // empty: Slurm's default partition
  int time_limit_minutes = 30;          // the job is killed past this
  bool exclusive = true;                // a whole node: nothing else runs beside a timing
  int array_size = 0;                   // > 0: a job array of that many tasks (SLURM_ARRAY_TASK_ID 0..n-1)
  std::filesystem::path log;            // Slurm's stdout+stderr file (%a is the array index)
  std::vector<std::string> extra_args;  // more #SBATCH options
  std::string sbatch = "sbatch", squeue = "squeue", scancel = "scancel";
};

// The script: #SBATCH lines, `set -u`, then `body` (bash).
std::string slurm_script(const SlurmJobSpec& spec, const std::string& body);

// Writes the script beside `script_path` and submits it; returns Slurm's job id. Throws
// std::runtime_error with sbatch's message when it refuses.
std::string slurm_submit(const SlurmJobSpec& spec, const std::filesystem::path& script_path, const std::string& body);

// The job's state ("PENDING", "RUNNING", …), or "" when squeue no longer lists it (ended).
std::string slurm_state(const SlurmJobSpec& spec, const std::string& job_id);

// Cancels the job (errors ignored: it may have ended).
void slurm_cancel(const SlurmJobSpec& spec, const std::string& job_id);

// A word quoted for bash.
std::string shell_quote(const std::string& s);

}  // namespace tt::grade
