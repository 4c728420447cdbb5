// The measured step: servers and harness in their own sandboxes, connected by pipes that
// tt-grade makes, and the clock service the harness asks for the servers' CPU time and memory.
// Not the scoring of tests or performance checks (score.cpp, perf.cpp).
#include "tt/grade/measure.hpp"

#include <atomic>
#include <cctype>
#include <chrono>
#include <cmath>
#include <map>
#include <sstream>
#include <thread>
#include <utility>

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <sys/file.h>
#include <unistd.h>

#include "steps.hpp"
#include "tt/grade/file_io.hpp"
#include "tt/grade/grade.hpp"
#include "tt/grade/process.hpp"
#include "tt/grade/run.hpp"
#include "tt/grade/score.hpp"

namespace tt::grade {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// The file numbers of the measure protocol (the course's tt/capstone/protocol.hpp says the same).
constexpr int kServerCommandFd = 5, kServerAnswerFd = 6;
constexpr int kClockRequestFd = 20, kClockAnswerFd = 21;
int harness_answer_fd(int server) { return 7 + 2 * server; }
int harness_command_fd(int server) { return 8 + 2 * server; }
constexpr std::size_t kMaxResultBytes = 1u << 20;
// How long a "cpu" request waits for the server to go back to waiting (serve_clock).
constexpr double kSettleSeconds = 0.005;

struct MeasureError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// An exclusive flock on a file for the lifetime of the object.
class FileLock {
 public:
  explicit FileLock(const fs::path& p) : fd_(open(p.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644)) {
    if (fd_ < 0 || flock(fd_, LOCK_EX) != 0) throw std::runtime_error("cannot lock " + p.string());
  }
  ~FileLock() {
    flock(fd_, LOCK_UN);
    close(fd_);
  }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_;
};

// Both ends of a pipe, closed unless released.
struct Pipe {
  int read = -1, write = -1;
  Pipe() {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) throw MeasureError("cannot create a pipe");
    read = fds[0];
    write = fds[1];
  }
  ~Pipe() {
    if (read >= 0) close(read);
    if (write >= 0) close(write);
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
};

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size())
    s.replace(pos, from.size(), to);
  return s;
}

std::vector<std::string> expand(const std::vector<std::string>& args, const std::map<std::string, std::string>& vars) {
  std::vector<std::string> out;
  for (auto a : args) {
    for (const auto& [k, v] : vars) a = replace_all(a, "{" + k + "}", v);
    out.push_back(a);
  }
  return out;
}

// Answers the harness's questions about the servers until `stop`: "cpu K" → seconds,
// "rss K" → "resident peak" bytes, "reset-peak K" → "ok". A server is pinned to `cpu` when it is
// first asked about (it builds its entry on every core before that).
void serve_clock(int requests, int answers, const std::vector<Child*>& servers, const std::atomic<bool>& stop,
                 int cpu) {
  std::vector<bool> pinned(servers.size(), false);
  std::string pending;
  char buf[256];
  while (!stop) {
    pollfd p{requests, POLLIN, 0};
    if (poll(&p, 1, 20) <= 0) continue;
    const ssize_t n = read(requests, buf, sizeof buf);
    if (n <= 0) return;
    pending.append(buf, static_cast<std::size_t>(n));
    for (std::size_t nl; (nl = pending.find('\n')) != std::string::npos;) {
      std::istringstream in(pending.substr(0, nl));
      pending.erase(0, nl + 1);
      std::string verb;
      int k = -1;
      in >> verb >> k;
      std::string reply;
      if (k >= 0 && k < static_cast<int>(servers.size()) && !pinned[k]) {
        servers[k]->pin_tree(cpu);
        pinned[k] = true;
      }
      if (k < 0 || k >= static_cast<int>(servers.size())) {
        reply = "error no server " + std::to_string(k);
      } else if (verb == "cpu") {
        // Read once the server has gone back to waiting for its next query, so the work it does
        // after answering (freeing the answer, returning to read) always counts for this query
        // instead of counting or not by a race with this thread; a server that never settles is
        // read after kSettleSeconds (its busy threads are on its clock anyway).
        const auto settle_by = std::chrono::steady_clock::now() + std::chrono::duration<double>(kSettleSeconds);
        while (servers[k]->tree_running() && std::chrono::steady_clock::now() < settle_by) sched_yield();
        char num[64];
        std::snprintf(num, sizeof num, "%.9f", servers[k]->tree_cpu_seconds());
        reply = num;
      } else if (verb == "rss") {
        const auto [rss, peak] = servers[k]->tree_memory();
        reply = std::to_string(rss) + " " + std::to_string(peak);
      } else if (verb == "reset-peak") {
        servers[k]->reset_tree_peak();
        reply = "ok";
      } else {
        reply = "error unknown request '" + verb + "'";
      }
      reply += "\n";
      if (write(answers, reply.data(), reply.size()) <= 0) return;
    }
  }
}

// The data-set folder the servers' hidden files are in.
fs::path data_dir(const Measure& m) {
  if (!m.data_env.empty())
    if (const char* d = std::getenv(m.data_env.c_str()); d && *d) return d;
  return m.data_default;
}

MeasureRecord skipped(MeasureRecord r, const std::string& why) {
  r.status = MeasureStatus::skipped;
  r.reason = why;
  return r;
}

MeasureRecord measure(const ModuleRecord& rec, const BuildConfig& cfg, const BuildConfig& setup_cfg,
                      const Sandbox& sandbox, const GradeOptions& o, const fs::path& module_dir, const fs::path& work,
                      int cpu) {
  MeasureRecord r;
  r.spec = *rec.manifest.measure;
  const Measure& spec = r.spec;
  r.name = entry_name(o.label);
  std::string failed_task;
  if (!o.capstone) return skipped(r, "not measured: disabled (--no-capstone)");
  if (!has_solution(o.course_root, rec.manifest))
    return skipped(r, "not measured: the course has no reference build of module " + rec.manifest.id +
                          " (student build), so no harness to trust");
  if (rec.build_status != BuildStatus::ok) return skipped(r, "not measured: the module did not build");
  if (!detail::tasks_passed(rec, spec.tasks, failed_task))
    return skipped(r, "not measured: the tests of task " + failed_task + " did not all pass");

  const fs::path setup = measure_setup_dir(o.work_root, rec.manifest);
  if (!spec.setup.empty()) ensure_measure_setup(setup_cfg, rec.manifest, setup);
  const ModuleTargets ref = detail::targets_of(cfg.build_dir, rec.manifest, Kind::solution);
  const ModuleTargets sub = detail::targets_of(cfg.build_dir, rec.manifest, Kind::submission);
  auto built = [&](const std::string& kind, const std::string& program) {
    const TargetFile& t = (kind == "submission" ? sub : ref).program(program);
    const auto b = build_targets(kind == "submission" ? cfg : setup_cfg, {t.target});
    if (!b.ok) throw MeasureError(t.target + " did not build:\n" + b.errors);
    return t.file;
  };
  const fs::path harness_exe = stage_program(built("solution", spec.harness), work / "bin-harness");

  // The servers, each in its own sandbox: the setup data read-only, the hidden data covered.
  std::vector<std::unique_ptr<Pipe>> commands, answers;
  std::vector<std::unique_ptr<Child>> servers;
  const double timeout = o.measure_timeout > 0 ? o.measure_timeout : spec.timeout_seconds;
  const Limits limits = test_limits(timeout);
  for (std::size_t i = 0; i < spec.servers.size(); ++i) {
    const auto& s = spec.servers[i];
    const fs::path exe = stage_program(built(s.kind, s.program), work / ("bin-" + s.role));
    const fs::path out = work / ("out-" + s.role);
    fs::remove_all(out);
    fs::create_directories(out);
    Jail jail = runtime_jail(exe.parent_path(), out);
    jail.ro(setup, "/tt/setup");
    for (const auto& h : s.hidden_data)
      if (fs::exists(data_dir(spec) / h)) jail.hide(data_dir(spec) / h);
    const auto args = expand(s.args, {{"setup", sandbox.inside(jail, setup)}, {"name", r.name}});
    std::vector<std::string> argv{sandbox.inside(jail, exe)};
    argv.insert(argv.end(), args.begin(), args.end());
    commands.push_back(std::make_unique<Pipe>());
    answers.push_back(std::make_unique<Pipe>());
    SpawnOptions extra;
    extra.fds = {{commands.back()->read, kServerCommandFd}, {answers.back()->write, kServerAnswerFd}};
    servers.push_back(sandbox.start(jail, argv, limits, extra));
    close(commands.back()->read);
    commands.back()->read = -1;
    close(answers.back()->write);
    answers.back()->write = -1;
  }

  // The harness: the setup data, the student's files (for the source digest), its own output.
  const fs::path out = work / "out-harness";
  fs::remove_all(out);
  fs::create_directories(out);
  Jail jail = runtime_jail(harness_exe.parent_path(), out);
  jail.ro(setup, "/tt/setup").ro(module_dir, "/tt/sources");
  const auto args = expand(spec.harness_args, {{"setup", sandbox.inside(jail, setup)},
                                               {"out", sandbox.inside(jail, out)},
                                               {"name", r.name},
                                               {"sources", sandbox.inside(jail, module_dir)}});
  std::vector<std::string> argv{sandbox.inside(jail, harness_exe)};
  argv.insert(argv.end(), args.begin(), args.end());
  Pipe clock_requests, clock_answers;
  SpawnOptions extra;
  const long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  if (cpu >= 0 && cpus > 1) extra.cpu = static_cast<int>((cpu + 1) % cpus);
  for (std::size_t i = 0; i < servers.size(); ++i) {
    extra.fds.emplace_back(answers[i]->read, harness_answer_fd(static_cast<int>(i)));
    extra.fds.emplace_back(commands[i]->write, harness_command_fd(static_cast<int>(i)));
  }
  extra.fds.emplace_back(clock_requests.write, kClockRequestFd);
  extra.fds.emplace_back(clock_answers.read, kClockAnswerFd);
  detail::progress(o, "m" + rec.manifest.id + ": measuring the " + spec.name + " (harness and " +
                          std::to_string(servers.size()) + " servers, at most " + format_points(timeout) + " s)");
  auto harness = sandbox.start(jail, argv, limits, extra);
  // The harness and the servers hold their own ends now.
  for (auto& p : answers) close(std::exchange(p->read, -1));
  for (auto& p : commands) close(std::exchange(p->write, -1));
  close(std::exchange(clock_requests.write, -1));
  close(std::exchange(clock_answers.read, -1));
  std::vector<Child*> server_ptrs;
  server_ptrs.reserve(servers.size());
  for (auto& s : servers) server_ptrs.push_back(s.get());
  std::atomic<bool> stop{false};
  std::thread clock(serve_clock, clock_requests.read, clock_answers.write, server_ptrs, std::cref(stop), cpu);
  const ProcessResult h = harness->wait(timeout);
  stop = true;
  clock.join();
  for (auto& s : servers) {
    const auto sr = s->wait_from_now(2);  // they were told to quit, or their harness is gone
    r.server_output += sr.output.substr(0, 4096);
  }
  r.harness_output = h.output.substr(0, 4096);
  r.seconds = h.seconds;
  const std::string why = process_failure(h, limits, sandbox.bubblewrap);
  if (!why.empty())
    throw MeasureError("the harness " + why + ": " + first_lines(h.output, 8) +
                       (r.server_output.empty() ? "" : "\nservers: " + first_lines(r.server_output, 8)));
  const fs::path result_file = out / "result.json";
  if (!fs::is_regular_file(result_file) || fs::is_symlink(result_file) || fs::file_size(result_file) > kMaxResultBytes)
    throw MeasureError("the harness exited 0 without a result.json");
  r.result = json::parse(read_file(result_file), nullptr, false);
  if (!r.result.is_object() || !r.result.contains("fields") || !r.result["fields"].is_object())
    throw MeasureError("the harness's result.json has no \"fields\" object");
  r.status = MeasureStatus::measured;
  r.reason = "measured by the course's " + spec.harness + " with " + std::to_string(servers.size()) + " servers in " +
             format_points(r.seconds) + " s";
  score_measure(r);
  return r;
}

}  // namespace

std::string to_string(MeasureStatus s) {
  switch (s) {
    case MeasureStatus::measured:
      return "measured";
    case MeasureStatus::skipped:
      return "skipped";
    case MeasureStatus::failed:
      return "failed";
  }
  return "skipped";
}

fs::path measure_setup_dir(const fs::path& work_root, const Manifest& m) {
  return work_root / ("m" + m.id + "-" + m.measure->name + "-setup");
}

bool measure_setup_complete(const fs::path& dir) { return fs::exists(dir / ".complete"); }

void ensure_measure_setup(const BuildConfig& setup_cfg, const Manifest& m, const fs::path& dir) {
  const fs::path done = dir / ".complete";
  if (measure_setup_complete(dir)) return;
  fs::create_directories(dir.parent_path());
  FileLock lock(dir.string() + ".lock");
  if (fs::exists(done)) return;  // another slot made it while we waited
  const ModuleTargets ref = detail::targets_of(setup_cfg.build_dir, m, Kind::solution);
  const TargetFile& t = ref.program(m.measure->setup);
  const auto b = build_targets(setup_cfg, {t.target});
  if (!b.ok) throw std::runtime_error("the course's own " + t.target + " does not build:\n" + b.errors);
  fs::remove_all(dir);
  fs::create_directories(dir);
  Limits l;
  l.wall_seconds = 3600;
  l.output_kill = 0;
  std::vector<std::string> argv{t.file.string()};
  const auto args = expand(m.measure->setup_args, {{"setup", dir.string()}});
  argv.insert(argv.end(), args.begin(), args.end());
  const auto p = run_process(argv, l);
  if (p.exit_code != 0)
    throw std::runtime_error("making the shared data of " + m.measure->name + " in " + dir.string() + " failed (" +
                             process_failure(p, l, false) + "): " + first_lines(p.output, 10));
  write_file_atomically(done, m.measure->setup + "\n");
}

MeasureRecord run_measure(const ModuleRecord& rec, const BuildConfig& cfg, const BuildConfig& setup_cfg,
                          const Sandbox& sandbox, const GradeOptions& o, const fs::path& module_dir,
                          const fs::path& work, int cpu) {
  try {
    fs::create_directories(work);
    return measure(rec, cfg, setup_cfg, sandbox, o, module_dir, work, cpu);
  } catch (const std::exception& e) {
    MeasureRecord r;
    r.spec = *rec.manifest.measure;
    r.name = entry_name(o.label);
    r.status = MeasureStatus::failed;
    r.reason = std::string("not measured: ") + e.what();
    score_measure(r);
    return r;
  }
}

const json* result_at(const json& result, const std::string& path) {
  const json* cur = &result;
  std::size_t start = 0;
  while (start <= path.size()) {
    const auto dot = path.find('.', start);
    const std::string key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!cur->is_object() || !cur->contains(key)) return nullptr;
    cur = &(*cur)[key];
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return cur;
}

void score_measure(MeasureRecord& r) {
  r.scores.clear();
  r.score = 0;
  const bool measured = r.status == MeasureStatus::measured;
  const json* gate =
      measured && !r.spec.gate_field.empty() ? result_at(r.result["fields"], r.spec.gate_field) : nullptr;
  r.gate_passed =
      measured && (r.spec.gate_field.empty() || (gate && gate->is_number() && gate->get<double>() >= r.spec.gate_min));
  for (const auto& f : r.spec.fields) {
    FieldScore s{f, 0, 0, ""};
    const json* v = measured ? result_at(r.result["fields"], f.name) : nullptr;
    if (!measured) {
      s.note = "not measured";
    } else if (!v || !v->is_number() || !std::isfinite(v->get<double>())) {
      s.note = "the harness reported no number";
    } else {
      s.value = v->get<double>();
      s.score = f.score(s.value);
      if (!r.gate_passed && f.name != r.spec.gate_field) {
        s.score = 0;
        s.note = "below the gate (" + r.spec.gate_field + " < " + format_points(r.spec.gate_min) + ")";
      }
    }
    r.score += s.score;
    r.scores.push_back(s);
  }
}

std::string entry_name(const std::string& label) {
  std::string n;
  for (char c : label) n += std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-' ? c : '-';
  if (n.empty()) n = "entry";
  return n.substr(0, 64);
}

json measure_json(const MeasureRecord& r) {
  json fields = json::array();
  for (const auto& s : r.scores)
    fields.push_back({{"name", s.field.name},
                      {"what", s.field.what},
                      {"value", s.value},
                      {"full", s.field.full},
                      {"zero", s.field.zero},
                      {"score", std::round(s.score * 100) / 100},
                      {"max_score", s.field.points},
                      {"note", s.note}});
  return {{"name", r.spec.name},
          {"status", to_string(r.status)},
          {"reason", r.reason},
          {"entry", r.name},
          {"gate_passed", r.gate_passed},
          {"score", std::round(r.score * 100) / 100},
          {"max_score", r.max_score()},
          {"fields", fields},
          {"result", r.result},
          {"seconds", std::round(r.seconds * 100) / 100},
          {"harness_output", r.harness_output},
          {"server_output", r.server_output}};
}

}  // namespace tt::grade
