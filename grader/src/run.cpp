// One sandboxed process per test case, and the rules that turn its end into a status and a reason.
// Not a Catch2 reporter and not a reader of the test's stdout (that is only kept as output).
#include "tt/grade/run.hpp"

#include <cmath>
#include <csignal>
#include <sstream>

#include "tt/grade/catch_runner.hpp"

namespace tt::grade {
namespace fs = std::filesystem;

std::string to_string(Status s) {
  switch (s) {
    case Status::passed:
      return "passed";
    case Status::failed:
      return "failed";
    case Status::crashed:
      return "crashed";
    case Status::timeout:
      return "timeout";
    case Status::missing:
      return "missing";
  }
  return "missing";
}

Limits test_limits(double timeout_seconds) {
  Limits l;
  l.wall_seconds = timeout_seconds;
  l.cpu_seconds = static_cast<long>(std::ceil(timeout_seconds * 2)) + 1;  // threads may use 2 cores
  l.address_space = std::size_t{2} << 30;                                 // 2 GiB
  l.file_size = std::size_t{64} << 20;
  l.processes = 256;
  return l;
}

namespace {

std::string format_seconds(double s) {
  std::ostringstream ss;
  ss << (s == std::floor(s) ? s : std::round(s * 10) / 10);
  return ss.str();
}

std::string failure_text(const Failure& f) {
  if (f.kind == "assertion" && !f.original.empty()) return f.original + " with expansion " + f.expanded;
  return f.expanded;
}

}  // namespace

std::string process_failure(const ProcessResult& p, const Limits& limits, bool via_bubblewrap) {
  const int sig =
      p.signal ? p.signal : (via_bubblewrap && p.exit_code > 128 && p.exit_code < 128 + 65 ? p.exit_code - 128 : 0);
  if (!p.started) return "could not be started (" + p.error + ")";
  if (p.timed_out) return "timeout after " + format_seconds(limits.wall_seconds) + " s";
  if (p.output_limit)
    return "crashed: killed for writing more than " + std::to_string(limits.output_kill >> 20) + " MiB of output";
  if (sig == SIGXCPU) return "timeout: CPU time limit of " + std::to_string(limits.cpu_seconds) + " s";
  if (sig) return "crashed: " + signal_name(sig);
  if (p.exit_code != 0) return "exited with code " + std::to_string(p.exit_code);
  return {};
}

TestOutcome classify(const std::string& name, const ProcessResult& proc, const CatchRun& xml, bool via_bubblewrap,
                     const Limits& limits) {
  TestOutcome o;
  o.output = proc.output;
  o.seconds = proc.seconds;
  const CaseResult* mine = nullptr;
  int matches = 0;
  for (const auto& c : xml.cases)
    if (c.name == name) {
      mine = &c;
      ++matches;
    }
  // What the test printed to std::cout (Catch2 keeps it in the XML) comes first, then the process's own output.
  if (mine && !mine->captured_stdout.empty())
    o.output = mine->captured_stdout + (proc.output.empty() ? "" : "\n" + proc.output);
  if (mine && !mine->failures.empty()) {
    o.first_failure = mine->failures.front();
    o.not_implemented = mine->failures.front().expanded.find("not implemented") != std::string::npos;
  }
  // bubblewrap reports a child killed by signal N as exit status 128 + N.
  int sig = proc.signal;
  if (!sig && via_bubblewrap && proc.exit_code > 128 && proc.exit_code < 128 + 65) sig = proc.exit_code - 128;

  if (!proc.started) {
    o.status = Status::missing;
    o.reason = "no result: the test could not be started (" + proc.error + ")";
  } else if (proc.timed_out) {
    o.status = Status::timeout;
    o.reason = "timeout after " + format_seconds(limits.wall_seconds) + " s";
  } else if (proc.output_limit) {
    o.status = Status::crashed;
    o.reason = "crashed: killed for writing more than " + std::to_string(limits.output_kill >> 20) + " MiB of output";
  } else if (sig == SIGXCPU) {
    o.status = Status::timeout;
    o.reason = "timeout: CPU time limit of " + std::to_string(limits.cpu_seconds) + " s";
  } else if (sig && mentions_out_of_memory(proc.output)) {
    o.status = Status::crashed;
    o.reason = "crashed: out of memory (the memory limit is " + std::to_string(limits.address_space >> 20) +
               " MiB): " + signal_name(sig);
  } else if (sig) {
    o.status = Status::crashed;
    o.reason = "crashed: " + signal_name(sig);
    if (o.first_failure && o.first_failure->kind == "fatal") o.reason += " (" + o.first_failure->expanded + ")";
  } else if (matches > 1 || (!mine && !xml.cases.empty())) {
    o.status = Status::missing;
    o.reason = "no result: the name filter matched " + std::to_string(xml.cases.size()) + " other test case(s)";
  } else if (!mine || !mine->completed) {
    o.status = Status::missing;
    o.reason = "no result: process exited " + std::to_string(proc.exit_code) + " before the test finished";
  } else if (mine->success && proc.exit_code == 0) {
    o.status = Status::passed;
  } else if (mine->success) {
    o.status = Status::failed;
    o.reason = "the test passed but the process exited " + std::to_string(proc.exit_code);
  } else {
    o.status = Status::failed;
    if (o.first_failure) {
      const auto& f = *o.first_failure;
      o.reason = o.not_implemented ? f.expanded : "failed: " + failure_text(f);
      if (!f.file.empty()) o.reason += " at " + fs::path(f.file).filename().string() + ":" + std::to_string(f.line);
    } else {
      o.reason = "failed";
    }
  }
  return o;
}

TestOutcome run_test_case(const fs::path& binary, const std::string& name, const Sandbox& sandbox, const Limits& limits,
                          const fs::path& work_dir) {
  fs::create_directories(work_dir);
  const fs::path result = work_dir / "result.xml";
  std::error_code ec;
  fs::remove(result, ec);
  const Jail jail = runtime_jail(binary.parent_path(), work_dir);
  const std::vector<std::string> argv{sandbox.inside(jail, binary),
                                      catch_name_filter(name),
                                      "-r",
                                      "xml",
                                      "-o",
                                      sandbox.inside(jail, result),
                                      "-d",
                                      "yes"};
  const auto proc = sandbox.run(jail, argv, limits);
  const auto xml = read_catch_xml(result.string());
  return classify(name, proc, xml, sandbox.bubblewrap, limits);
}

}  // namespace tt::grade
