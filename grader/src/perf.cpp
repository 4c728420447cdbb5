// tt-perf/1, the grader's side: two perf programs in their sandboxes, one run at a time,
// interleaved, timed on the child's CPU clock (read from here) or the wall clock.
// Not the child's side (common/bench/perf_server.cpp), which never sees a clock that counts.
#include "tt/grade/perf.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <random>
#include <sstream>

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "tt/grade/process.hpp"
#include "tt/grade/run.hpp"

namespace tt::grade {
namespace fs = std::filesystem;

namespace {

constexpr int kCommandFd = 5, kAnswerFd = 6;  // as the perf programs expect them

struct PerfError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

// One perf program in its sandbox, spoken to over two pipes.
class Server {
 public:
  Server(const char* who, const fs::path& exe, const PerfCheck& check, const PerfRun& how, const Sandbox& sandbox)
      : who_(who) {
    int to_child[2], from_child[2];
    if (pipe2(to_child, O_CLOEXEC) != 0 || pipe2(from_child, O_CLOEXEC) != 0)
      throw PerfError("cannot create the pipes to the program");
    commands_ = to_child[1];
    answers_ = from_child[0];
    const Jail jail = runtime_jail(exe.parent_path(), how.work_dir);
    std::vector<std::string> argv{sandbox.inside(jail, exe)};
    argv.insert(argv.end(), check.args.begin(), check.args.end());
    Limits l = test_limits(how.setup_seconds + how.run_seconds * (2.0 * how.runs + 4));
    SpawnOptions extra;
    extra.fds = {{to_child[0], kCommandFd}, {from_child[1], kAnswerFd}};
    extra.cpu = how.cpu;
    child_ = sandbox.start(jail, argv, l, extra);
    close(to_child[0]);
    close(from_child[1]);
    if (!child_->started()) throw PerfError(std::string(who) + " program could not be started");
    limits_ = l;
    bubblewrap_ = sandbox.bubblewrap;
  }
  ~Server() {
    if (commands_ >= 0) close(commands_);
    if (answers_ >= 0) close(answers_);
  }
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The "ready" line's code path.
  std::string wait_ready(double timeout) {
    const std::string line = receive(timeout, "to get ready");
    if (line.rfind("ready ", 0) != 0) throw PerfError(who_ + " program: expected \"ready\", got \"" + line + "\"");
    const auto j = nlohmann::json::parse(line.substr(6), nullptr, false);
    if (!j.is_object()) throw PerfError(who_ + " program: its \"ready\" line is not JSON");
    return j.value("path", "");
  }

  // One run: {cpu seconds of the program's whole process tree, wall seconds}.
  std::pair<double, double> run(unsigned long long seed, double timeout) {
    const double c0 = child_->tree_cpu_seconds(), w0 = now();
    send("run " + std::to_string(seed));
    const std::string line = receive(timeout, "to finish a run");
    const double w1 = now(), c1 = child_->tree_cpu_seconds();
    if (line != "done") throw PerfError(who_ + " program: expected \"done\", got \"" + line + "\"");
    return {c1 - c0, w1 - w0};
  }

  std::pair<double, double> checksum(unsigned long long seed, double timeout) {
    send("check " + std::to_string(seed));
    const std::string line = receive(timeout, "to checksum its output");
    std::istringstream in(line);
    std::string word;
    double s = 0, a = 0;
    if (!(in >> word >> s >> a) || word != "checksum" || !std::isfinite(s) || !std::isfinite(a))
      throw PerfError(who_ + " program: expected \"checksum S A\", got \"" + line + "\"");
    return {s, a};
  }

  double cpu_now() const { return child_->tree_cpu_seconds(); }

  std::string finish() {
    send("quit");
    auto r = child_->wait_from_now(5);
    return r.output;
  }

 private:
  void send(const std::string& line) {
    const std::string out = line + "\n";
    if (write(commands_, out.data(), out.size()) != static_cast<ssize_t>(out.size()))
      throw PerfError(who_ + " program: " + ended());
  }

  // One answer line within `timeout` seconds.
  std::string receive(double timeout, const char* doing) {
    const double deadline = now() + timeout;
    while (true) {
      const auto nl = pending_.find('\n');
      if (nl != std::string::npos) {
        std::string line = pending_.substr(0, nl);
        pending_.erase(0, nl + 1);
        if (line.rfind("error ", 0) == 0) throw PerfError(who_ + " program: " + line.substr(6));
        return line;
      }
      if (pending_.size() > 4096) throw PerfError(who_ + " program: an answer line longer than 4096 bytes");
      const double left = deadline - now();
      if (left <= 0)
        throw PerfError(who_ + " program: took longer than " + std::to_string(static_cast<int>(timeout)) + " s " +
                        doing);
      pollfd p{answers_, POLLIN, 0};
      const int n = poll(&p, 1, static_cast<int>(left * 1000) + 1);
      if (n <= 0) continue;
      char buf[512];
      const ssize_t got = read(answers_, buf, sizeof buf);
      if (got <= 0) throw PerfError(who_ + " program: " + ended());
      pending_.append(buf, static_cast<std::size_t>(got));
    }
  }

  // Why the program stopped answering.
  std::string ended() {
    const auto r = child_->wait_from_now(2);
    std::string why = process_failure(r, limits_, bubblewrap_);
    if (why.empty()) why = "exited before answering";
    return why + (r.output.empty() ? "" : ": " + first_lines(r.output, 5));
  }

  std::string who_;
  std::unique_ptr<Child> child_;
  int commands_ = -1, answers_ = -1;
  std::string pending_;
  Limits limits_;
  bool bubblewrap_ = false;
};

void summarize(PerfSide& side) {
  side.time = trimmed_mean(side.seconds);
  const auto [lo, hi] = std::minmax_element(side.seconds.begin(), side.seconds.end());
  const double med = median(side.seconds);
  side.spread = med > 0 ? (*hi - *lo) / med : 0;
}

std::string fmt(double x) {
  std::ostringstream ss;
  ss.precision(3);
  ss << x;
  return ss.str();
}

}  // namespace

std::string to_string(PerfStatus s) {
  switch (s) {
    case PerfStatus::scored:
      return "scored";
    case PerfStatus::skipped:
      return "skipped";
    case PerfStatus::failed:
      return "failed";
    case PerfStatus::withheld:
      return "withheld";
  }
  return "skipped";
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double trimmed_mean(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t drop = v.size() >= 5 ? 1 : 0;
  double sum = 0;
  for (std::size_t i = drop; i + drop < v.size(); ++i) sum += v[i];
  return sum / static_cast<double>(v.size() - 2 * drop);
}

bool checksums_agree(double s_sub, double a_sub, double s_ref, double a_ref, double tolerance) {
  return std::fabs(s_sub - s_ref) <= tolerance * std::max(a_sub, a_ref) + 1e-9;
}

PerfResult run_perf(const PerfCheck& check, const PerfRun& how, const Sandbox& sandbox) {
  PerfResult r;
  r.check = check;
  fs::create_directories(how.work_dir);
  std::unique_ptr<Server> sub, ref;
  try {
    sub = std::make_unique<Server>("submission", how.submission_exe, check, how, sandbox);
    ref = std::make_unique<Server>("reference", how.reference_exe, check, how, sandbox);
    r.submission.path = sub->wait_ready(how.setup_seconds);
    r.reference.path = ref->wait_ready(how.setup_seconds);
    std::random_device rd;
    std::mt19937_64 seeds(rd());
    // One untimed run each (caches, page faults, thread pools), then the timed runs, alternating
    // which program goes first; both get the same inputs in a round (the same seed).
    const auto warm = seeds();
    sub->run(warm, how.run_seconds);
    ref->run(warm, how.run_seconds);
    const double sub_cpu0 = sub->cpu_now();
    const bool cpu = check.clock == PerfClock::cpu;
    for (int i = 0; i < how.runs; ++i) {
      const auto seed = seeds();
      const bool sub_first = i % 2 == 0;
      for (int k = 0; k < 2; ++k) {
        const bool is_sub = (k == 0) == sub_first;
        const auto [c, w] = (is_sub ? *sub : *ref).run(seed, how.run_seconds);
        (is_sub ? r.submission : r.reference).seconds.push_back(cpu ? c : w);
        if (is_sub) r.submission.outside_seconds += c;  // subtracted below
      }
    }
    // Work a program does between its runs (a "done" sent early, a thread left computing) does
    // not escape: its CPU clock keeps counting while it is not being timed.
    r.submission.outside_seconds = std::max(0.0, sub->cpu_now() - sub_cpu0 - r.submission.outside_seconds);
    // The last timed run's output must be the reference's. A discrete output (generated tokens)
    // can differ at a near tie of two logits; then two more rounds on fresh inputs must agree.
    auto agree = [&](unsigned long long seed, std::string& why) {
      const auto [ss, sa] = sub->checksum(seed, how.run_seconds);
      const auto [rs, ra] = ref->checksum(seed, how.run_seconds);
      why = "checksum " + fmt(ss) + " vs " + fmt(rs);
      return checksums_agree(ss, sa, rs, ra, check.tolerance);
    };
    std::string why;
    bool same = agree(seeds(), why);
    if (!same) {
      same = true;
      for (int k = 0; k < 2 && same; ++k) {
        const auto seed = seeds();
        sub->run(seed, how.run_seconds);
        ref->run(seed, how.run_seconds);
        same = agree(seeds(), why);
      }
    }
    r.submission.output = sub->finish();
    r.reference.output = ref->finish();
    summarize(r.submission);
    summarize(r.reference);
    if (!same) {
      r.status = PerfStatus::failed;
      r.reason = "the submission's output differs from the reference's on the same inputs (" + why +
                 "): a fast wrong answer earns nothing";
      return r;
    }
    const double inside = r.submission.time * static_cast<double>(how.runs);
    if (cpu && r.submission.outside_seconds > std::max(0.005, 0.05 * inside)) {
      r.status = PerfStatus::failed;
      r.reason = "the submission's program used " + fmt(r.submission.outside_seconds) +
                 " s of CPU between its timed runs (work done outside a run is not allowed)";
      return r;
    }
    if (!(r.reference.time > 0)) throw PerfError("the reference program's runs took no measurable time");
    // The ratio is the median of the interleaved pairs' ratios: a pair ran back to back, so a slow
    // phase of the machine (another process's cache traffic, a frequency change) slows both.
    std::vector<double> pairs;
    for (std::size_t i = 0; i < r.submission.seconds.size() && i < r.reference.seconds.size(); ++i)
      if (r.reference.seconds[i] > 0) pairs.push_back(r.submission.seconds[i] / r.reference.seconds[i]);
    r.ratio = pairs.empty() ? r.submission.time / r.reference.time : median(pairs);
    r.score = check.curve.score(r.ratio, check.points);
    r.status = PerfStatus::scored;
    r.reason = fmt(r.submission.time * 1e3) + " ms vs reference " + fmt(r.reference.time * 1e3) + " ms per run (" +
               fmt(r.ratio) + "× the reference's time: median of " + std::to_string(how.runs) + " interleaved pairs, " +
               to_string(check.clock) + " clock; spread " + fmt(r.submission.spread) + " / " + fmt(r.reference.spread) +
               ")" + (r.submission.path.empty() ? "" : "; path " + r.submission.path + " vs " + r.reference.path);
  } catch (const std::exception& e) {
    r.status = PerfStatus::failed;
    r.reason = e.what();
  }
  return r;
}

}  // namespace tt::grade
