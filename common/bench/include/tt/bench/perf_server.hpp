// The perf program side of tt-perf/1: a module's perf program sets up one workload, then runs it
// only when tt-grade (the parent, which owns the clock) says so, and checksums what it produced.
// Not a timer: the grader times each run from outside the program (the child's CPU clock or the
// wall clock), so nothing this process prints or measures can change its score.
//
// Protocol, one line each way; commands arrive on fd 5, answers leave on fd 6 (stdout and stderr
// stay free for the program's own messages, which the grader only keeps for the report):
//   child  → "ready {json}"        set up; json: {"case", "path"} (path: the code path being timed)
//   parent → "run SEED"            child → "done" after one repetition of the workload on inputs
//                                  drawn from SEED (so no run can be answered from an earlier one)
//   parent → "check SEED"          child → "checksum S A": S = Σ w_i·x_i, A = Σ w_i·|x_i| over the
//                                  last output x, weights w_i in [0.5, 1.5) drawn from SEED
//   parent → "quit" (or EOF)       child exits 0
//   child  → "error MESSAGE"       the workload failed (setup or a run); the child exits 2
// Run by hand (no fd 5), a perf program times a few repetitions itself and says so.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace tt::perf {

inline constexpr const char* kProtocol = "tt-perf/1";
inline constexpr int kCommandFd = 5;
inline constexpr int kAnswerFd = 6;

// One workload, set up and ready to run.
struct Workload {
  std::string path;                                  // the code path run() takes ("avx512-vnni", …; "" when only one)
  std::function<void(unsigned long long seed)> run;  // one repetition on inputs drawn from seed (timed)
  std::function<std::vector<double>()> output;       // what the last run produced (checksummed)
};

// The options of one case: "--key value" pairs after --case NAME.
class Args {
 public:
  Args(int argc, char** argv);  // throws std::invalid_argument on a malformed command line
  const std::string& name() const { return name_; }
  long integer(const std::string& key, long fallback) const;
  double number(const std::string& key, double fallback) const;

 private:
  std::string name_;
  std::map<std::string, std::string> values_;
};

using Factory = std::function<Workload(const Args&)>;

// Overwrites `count` positions of data[0..n) with values in [lo, hi), both drawn from `seed`: each
// run's inputs differ a little, so no run can be answered with an earlier run's result.
template <class T>
void perturb(T* data, std::size_t n, unsigned long long seed, double lo, double hi, std::size_t count = 16) {
  unsigned long long z = seed;
  for (std::size_t k = 0; k < count && n > 0; ++k) {
    z = z * 6364136223846793005ULL + 1442695040888963407ULL;
    const std::size_t i = static_cast<std::size_t>(z >> 33) % n;
    z = z * 6364136223846793005ULL + 1442695040888963407ULL;
    data[i] = static_cast<T>(lo + (hi - lo) * static_cast<double>(z >> 11) * (1.0 / 9007199254740992.0));
  }
}

// The weighted checksum of tt-perf/1 (weights from `seed`); {S, A}.
std::pair<double, double> checksum(const std::vector<double>& x, unsigned long long seed);

// main() of a perf program: picks the case (--case NAME), sets it up, then serves tt-perf/1 on
// fds 5/6, or times it by hand when fd 5 is not open. `--reps R` makes one run R repetitions (on
// seeds SEED, SEED+1, …) for a workload too short to time alone. Returns the process exit code.
int serve(int argc, char** argv, const std::map<std::string, Factory>& cases);

}  // namespace tt::perf
