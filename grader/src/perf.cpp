// Interleaved timing of a submission program against the reference program, and its points.
// Not where the "tests passed first" rule is decided: grade.cpp only calls this when they did.
#include "tt/grade/perf.hpp"

#include <algorithm>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tt/grade/process.hpp"
#include "tt/grade/run.hpp"

namespace tt::grade {
namespace fs = std::filesystem;

double perf_score(double ratio, int points) {
  if (ratio <= 0) return 0;
  if (ratio <= kPerfFullRatio) return points;
  if (ratio >= kPerfZeroRatio) return 0;
  return points * (kPerfZeroRatio - ratio) / (kPerfZeroRatio - kPerfFullRatio);
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

std::optional<double> parse_seconds(const std::string& output) {
  std::istringstream in(output);
  std::string line;
  std::optional<double> found;
  while (std::getline(in, line)) {
    const auto b = line.find('{');
    if (b == std::string::npos) continue;
    const auto j = nlohmann::json::parse(line.substr(b), nullptr, false);
    if (j.is_object() && j.contains("seconds") && j["seconds"].is_number()) found = j["seconds"].get<double>();
  }
  return found;
}

PerfResult run_perf(const PerfCheck& check, const fs::path& submission_exe, const fs::path& reference_exe,
                    const Sandbox& sandbox, int runs, double timeout_seconds, const fs::path& work_dir) {
  PerfResult r;
  r.check = check;
  fs::create_directories(work_dir);
  Limits limits = test_limits(timeout_seconds);
  auto once = [&](const fs::path& exe, const char* who) -> std::optional<double> {
    const Jail jail = runtime_jail(exe.parent_path(), work_dir);
    std::vector<std::string> argv{sandbox.inside(jail, exe)};
    argv.insert(argv.end(), check.args.begin(), check.args.end());
    const auto p = sandbox.run(jail, argv, limits);
    std::string why = !p.timed_out && p.exit_code == 2 ? "the kernel's result is wrong (exit code 2)"
                                                       : process_failure(p, limits, sandbox.bubblewrap);
    const auto s = why.empty() ? parse_seconds(p.output) : std::nullopt;
    if (why.empty() && !s) why = "printed no {\"seconds\": …} line";
    if (!why.empty()) {
      r.status = "failed";
      r.reason = std::string(who) + " program: " + why + (p.output.empty() ? "" : ": " + first_lines(p.output, 5));
      return std::nullopt;
    }
    return s;
  };
  for (int i = 0; i < runs; ++i) {
    const auto s = once(submission_exe, "submission");
    if (!s) return r;
    const auto ref = once(reference_exe, "reference");
    if (!ref) return r;
    r.submission_seconds.push_back(*s);
    r.reference_seconds.push_back(*ref);
  }
  r.submission_median = median(r.submission_seconds);
  r.reference_median = median(r.reference_seconds);
  r.ratio = r.reference_median > 0 ? r.submission_median / r.reference_median : 0;
  r.score = perf_score(r.ratio, check.points);
  r.status = "scored";
  std::ostringstream ss;
  ss.precision(3);
  ss << "median " << r.submission_median << " s vs reference " << r.reference_median << " s (" << r.ratio << "×)";
  r.reason = ss.str();
  return r;
}

}  // namespace tt::grade
