// sbatch scripts, submission and state for the Slurm path (slurm.hpp).
// Not batch's or the arena's bookkeeping: they decide what a job runs and read its run folder.
#include "tt/grade/slurm.hpp"

#include <fstream>
#include <stdexcept>

#include "tt/grade/process.hpp"

namespace tt::grade {
namespace fs = std::filesystem;

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string slurm_script(const SlurmJobSpec& spec, const std::string& body) {
  std::string s = "#!/bin/bash\n";
  s += "#SBATCH --job-name=" + spec.name + "\n";
  if (!spec.partition.empty()) s += "#SBATCH --partition=" + spec.partition + "\n";
  s += "#SBATCH --nodes=1\n#SBATCH --ntasks=1\n";
  s += "#SBATCH --time=" + std::to_string(std::max(1, spec.time_limit_minutes)) + "\n";
  if (spec.exclusive) s += "#SBATCH --exclusive\n";
  if (spec.array_size > 0) s += "#SBATCH --array=0-" + std::to_string(spec.array_size - 1) + "\n";
  if (!spec.log.empty()) s += "#SBATCH --output=" + spec.log.string() + "\n";
  for (const auto& a : spec.extra_args) s += "#SBATCH " + a + "\n";
  return s + "set -u\n" + body + "\n";
}

std::string slurm_submit(const SlurmJobSpec& spec, const fs::path& script_path, const std::string& body) {
  fs::create_directories(script_path.parent_path());
  {
    std::ofstream out(script_path);
    out << slurm_script(spec, body);
    if (!out) throw std::runtime_error("cannot write " + script_path.string());
  }
  Limits limits;
  limits.wall_seconds = 60;
  const auto p = run_process({spec.sbatch, "--parsable", script_path.string()}, limits);
  if (!p.started || p.exit_code != 0)
    throw std::runtime_error("sbatch refused the job: " + first_lines(p.started ? p.output : p.error, 5));
  std::string id = p.output.substr(0, p.output.find_first_of(";\n"));
  if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos)
    throw std::runtime_error("sbatch answered no job id: " + first_lines(p.output, 5));
  return id;
}

std::string slurm_state(const SlurmJobSpec& spec, const std::string& job_id) {
  Limits limits;
  limits.wall_seconds = 30;
  const auto p = run_process({spec.squeue, "-h", "-j", job_id, "-o", "%T"}, limits);
  if (!p.started || p.exit_code != 0) return "";  // squeue forgets ended jobs (and says so with an error)
  std::string s = p.output;
  // A job array lists one line per task: any that is not done keeps the job alive.
  const auto nl = s.find('\n');
  s = s.substr(0, nl);
  return s;
}

void slurm_cancel(const SlurmJobSpec& spec, const std::string& job_id) {
  Limits limits;
  limits.wall_seconds = 30;
  run_process({spec.scancel, job_id}, limits);
}

}  // namespace tt::grade
