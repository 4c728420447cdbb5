// sim's command line, its sandboxed run with limits, and the parser of its `-n` run list.
// Not a reimplementation of sim: the comparison itself is the Debian tool's.
#include "tt/grade/sim_tool.hpp"

#include <unistd.h>
#include <charconv>
#include <sstream>

namespace tt::grade {
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxOutputBytes = 256u << 20;  // a list of runs longer than this is not read
constexpr std::size_t kAddressSpace = 4ul << 30;     // sim needs ~6 bytes per token and 80 per run
constexpr std::size_t kFileSize = 1u << 20;          // sim writes nothing: its output is read from stdout

// "a.cpp: line 3-9   " → name, first, last.
bool parse_side(std::string_view s, std::string& name, int& first, int& last) {
  const auto colon = s.find(": line ");
  if (colon == std::string_view::npos) return false;
  name = std::string(s.substr(0, colon));
  std::string_view rest = s.substr(colon + 7);
  const auto dash = rest.find('-');
  if (dash == std::string_view::npos) return false;
  const auto end = rest.find_first_of(" \t", dash);
  const std::string_view second = rest.substr(dash + 1, end == std::string_view::npos ? rest.npos : end - dash - 1);
  return std::from_chars(rest.data(), rest.data() + dash, first).ec == std::errc{} &&
         std::from_chars(second.data(), second.data() + second.size(), last).ec == std::errc{} && first >= 1 &&
         last >= first;
}

}  // namespace

std::vector<SimRun> parse_sim_runs(const std::string& text) {
  std::vector<SimRun> runs;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    const auto bar = line.find('|');
    const auto open = line.rfind('[');
    const auto close = line.rfind(']');
    if (bar == std::string::npos || open == std::string::npos || close == std::string::npos || open < bar ||
        close < open)
      continue;
    SimRun r;
    if (!parse_side(std::string_view(line).substr(0, bar), r.file_a, r.first_a, r.last_a)) continue;
    if (!parse_side(std::string_view(line).substr(bar + 1, open - bar - 1), r.file_b, r.first_b, r.last_b)) continue;
    if (std::from_chars(line.data() + open + 1, line.data() + close, r.tokens).ec != std::errc{}) continue;
    runs.push_back(std::move(r));
  }
  return runs;
}

std::string sim_tool_problem(const std::string& tool) {
  std::string path;
  for (const auto& [k, v] : fixed_environment())
    if (k == "PATH") path = v;
  std::istringstream dirs(path);
  for (std::string d; std::getline(dirs, d, ':');)
    if (access((fs::path(d) / tool).c_str(), X_OK) == 0) return {};
  return tool + " is not installed (Debian package " + kSimPackage +
         "; ./scripts/setup installs it, or: apt-get install " + kSimPackage + ")";
}

std::vector<SimRun> run_sim(const Sandbox& sandbox, const SimCall& call) {
  if (const std::string problem = sim_tool_problem(call.tool); !problem.empty()) throw SimToolError(problem);
  Jail jail;
  jail.ro(call.dir, "/tt/in");
  jail.cwd = "/tt/in";
  std::vector<std::string> argv{call.tool, "-e", "-s", "-n", "-r", std::to_string(call.min_run), "-w", "200"};
  argv.insert(argv.end(), call.new_files.begin(), call.new_files.end());
  if (!call.old_files.empty()) {
    argv.push_back("/");
    argv.insert(argv.end(), call.old_files.begin(), call.old_files.end());
  }
  Limits limits;
  limits.wall_seconds = call.timeout_seconds;
  limits.cpu_seconds = static_cast<long>(call.timeout_seconds) + 1;
  limits.address_space = kAddressSpace;
  limits.file_size = kFileSize;
  limits.output_keep = kMaxOutputBytes;
  limits.output_kill = kMaxOutputBytes;
  const ProcessResult r = sandbox.run(jail, argv, limits);
  const std::string what =
      call.tool + " over " + std::to_string(call.new_files.size() + call.old_files.size()) + " files";
  if (!r.started) throw SimToolError(what + " could not be started: " + r.error);
  if (r.timed_out)
    throw SimToolError(what + " ran out of its " + std::to_string(static_cast<int>(call.timeout_seconds)) +
                       " s (raise --similarity-timeout)");
  if (r.output_limit)
    throw SimToolError(what + " listed more than " + std::to_string(kMaxOutputBytes >> 20) +
                       " MiB of runs (raise --similarity-min-run to list fewer, longer runs)");
  if (r.signal || r.exit_code != 0)
    throw SimToolError(what + " failed (" + (r.signal ? signal_name(r.signal) : "exit " + std::to_string(r.exit_code)) +
                       "): " + first_lines(r.output, 5));
  return parse_sim_runs(r.output);
}

}  // namespace tt::grade
