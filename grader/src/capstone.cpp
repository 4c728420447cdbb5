// The capstone step of one grade: build the student's m20_submit, run it in the sandbox against the
// cached baseline, validate its file with the course's reference m20_leaderboard. Not scoring.
#include "tt/grade/capstone.hpp"

#include <cctype>
#include <cmath>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "tt/grade/file_io.hpp"
#include "tt/grade/process.hpp"
#include "tt/grade/run.hpp"
#include "tt/grade/score.hpp"
#include "tt/grade/workspace.hpp"

namespace tt::grade {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr std::size_t kOutputKept = 4 * 1024;

// An exclusive flock on a file for the lifetime of the object (the baseline is made once even
// when several slots grade at the same time).
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

CapstoneRecord missing(CapstoneRecord c, const std::string& code, const std::string& reason) {
  c.status = "missing";
  c.missing = code;
  c.reason = reason;
  c.results = nullptr;
  c.file_text.clear();
  return c;
}

// The standing of `name` in one category of a tt-leaderboard/1 document (null when absent).
json standing(const json& board, const std::string& category, const std::string& name) {
  for (const auto& c : board.value("categories", json::array()))
    if (c.value("id", "") == category)
      for (const auto& s : c.value("standings", json::array()))
        if (s.value("name", "") == name) return s;
  return nullptr;
}

}  // namespace

fs::path capstone_baseline_dir(const fs::path& work_root) { return work_root / "m20-baseline"; }

fs::path build_reference_program(const BuildConfig& cfg, const std::string& module_name, const std::string& program) {
  const auto targets = module_targets(cfg.build_dir, module_name, Kind::solution);
  if (!targets) throw std::runtime_error("the course has no reference build of module " + module_name);
  const TargetFile& t = targets->program(program);
  const auto b = build_targets(cfg, {t.target});
  if (!b.ok) throw std::runtime_error("the course's own " + t.target + " does not build:\n" + b.errors);
  if (!fs::exists(t.file)) throw std::runtime_error("built " + t.target + " but found no " + t.file.string());
  return t.file;
}

void ensure_capstone_baseline(const BuildConfig& setup_cfg, const std::string& module_name, const fs::path& dir) {
  if (fs::exists(dir / "baseline.json")) return;
  fs::create_directories(dir.parent_path());
  FileLock lock(dir.string() + ".lock");
  if (fs::exists(dir / "baseline.json")) return;  // another slot made it while we waited
  const fs::path exe = build_reference_program(setup_cfg, module_name, kCapstoneMakeBaseline);
  Limits l;
  l.wall_seconds = 3600;
  l.output_kill = 0;
  const auto p = run_process({exe.string(), dir.string()}, l);
  if (p.exit_code != 0 || !fs::exists(dir / "baseline.json"))
    throw std::runtime_error("making the capstone baseline in " + dir.string() + " failed (" +
                             process_failure(p, l, false) + "): " + first_lines(p.output, 10));
}

BoardRun run_reference_leaderboard(const fs::path& leaderboard_exe, const fs::path& in_dir, const fs::path& site_dir,
                                   const Sandbox& sandbox, const fs::path& work_dir) {
  BoardRun r;
  const Limits limits = test_limits(120);
  const fs::path exe = stage_program(leaderboard_exe, work_dir / "bin");
  const Jail jail = runtime_jail(exe.parent_path(), work_dir);
  const std::vector<std::string> argv{sandbox.inside(jail, exe), sandbox.inside(jail, in_dir), "--out",
                                      sandbox.inside(jail, site_dir)};
  const auto p = sandbox.run(jail, argv, limits);
  r.seconds = p.seconds;
  // m20_leaderboard: exit 0 = all accepted, 3 = some rejected (one reason per line on stderr).
  if (!p.timed_out && !p.signal && (p.exit_code == 0 || p.exit_code == 3) &&
      fs::exists(site_dir / "leaderboard.json")) {
    r.board = json::parse(read_file(site_dir / "leaderboard.json"), nullptr, false);
    r.ran = !r.board.is_discarded();
    r.problems = p.exit_code == 3 ? first_lines(p.output, 40) : "";
    if (!r.ran) r.problems = "its leaderboard.json does not parse";
    return r;
  }
  const std::string why = process_failure(p, limits, sandbox.bubblewrap);
  r.problems = "the reference leaderboard program failed (" + (why.empty() ? "wrote no leaderboard.json" : why) +
               "): " + first_lines(p.output, 10);
  return r;
}

std::string capstone_entry_name(const std::string& label) {
  std::string n;
  for (char c : label) n += std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-' ? c : '-';
  if (n.empty()) n = "entry";
  return n.substr(0, 64);
}

namespace {

CapstoneRecord measure(const ModuleRecord& rec, const BuildConfig& cfg, const BuildConfig& setup_cfg,
                       const Sandbox& sandbox, const GradeOptions& o, const fs::path& module_dir,
                       const fs::path& work) {
  CapstoneRecord c;
  c.timeout_seconds = o.capstone_timeout;
  c.name = capstone_entry_name(o.label);
  if (!o.capstone) return missing(c, "disabled", "not measured: capstone measurement disabled (--no-capstone)");
  if (!has_solution(o.course_root, rec.manifest))
    return missing(c, "no_reference",
                   "not measured: the course has no reference module 20 (student build), so no trusted validator");
  if (rec.build_status != BuildStatus::ok) return missing(c, "not_built", "not measured: module 20 did not build");
  if (!task_passed(rec, kCapstoneEntryTask))
    return missing(c, "entry_failed",
                   std::string("not measured: the entry's tests (task ") + kCapstoneEntryTask + ") did not all pass");
  try {
    c.baseline_dir = capstone_baseline_dir(o.work_root).string();
    ensure_capstone_baseline(setup_cfg, rec.manifest.name, c.baseline_dir);
    c.validator = build_reference_program(setup_cfg, rec.manifest.name, kCapstoneLeaderboard).string();
  } catch (const std::exception& e) {
    return missing(c, "error", std::string("not measured: ") + e.what());
  }
  const auto targets = module_targets(cfg.build_dir, rec.manifest.name, Kind::submission);
  if (!targets) return missing(c, "not_built", "not measured: the grading build has no submission of module 20");
  const TargetFile& submit = targets->program(kCapstoneSubmit);
  const std::string target = submit.target;
  const auto b = build_targets(cfg, {target});
  if (!b.ok) return missing(c, "not_built", "not measured: " + target + " did not build:\n" + b.errors);

  // The program writes its file into a fresh grader-owned directory; its stdout is only kept for
  // the report. It sees the baseline and the student's own files read-only, nothing else.
  const fs::path run_dir = work / "capstone-run", out = run_dir / "submission.json";
  fs::remove_all(run_dir);
  fs::create_directories(run_dir);
  const fs::path exe = stage_program(submit.file, work / "capstone-bin");
  Jail jail = runtime_jail(exe.parent_path(), run_dir);
  jail.ro(c.baseline_dir, "/tt/baseline").ro(module_dir, "/tt/sources");
  const Limits limits = test_limits(o.capstone_timeout);
  const std::vector<std::string> argv{sandbox.inside(jail, exe),
                                      "--name",
                                      c.name,
                                      "--out",
                                      sandbox.inside(jail, out),
                                      "--baseline",
                                      sandbox.inside(jail, c.baseline_dir),
                                      "--sources",
                                      sandbox.inside(jail, module_dir)};
  const auto p = sandbox.run(jail, argv, limits);
  const Sandbox& box = sandbox;
  c.seconds = p.seconds;
  c.output = p.output.size() > kOutputKept ? p.output.substr(p.output.size() - kOutputKept) : p.output;
  const std::string why = process_failure(p, limits, box.bubblewrap);
  if (!why.empty()) {
    const std::string code = p.timed_out || why.rfind("timeout", 0) == 0 ? "timeout"
                             : why.rfind("crashed", 0) == 0              ? "crashed"
                                                                         : "failed";
    return missing(c, code, target + ": " + why + (p.output.empty() ? "" : ": " + first_lines(p.output, 5)));
  }
  if (!fs::is_regular_file(out) || fs::is_symlink(out))
    return missing(c, "no_file",
                   target + " exited 0 without writing its submission file (what it printed is never read)");
  if (fs::file_size(out) > (1u << 20)) return missing(c, "invalid", "the submission file is larger than 1 MiB");
  const std::string text = read_file(out);

  // Validation by the reference program (the student's validate.cpp is never trusted), on a copy.
  const fs::path check = work / "capstone-check";
  fs::remove_all(check);
  fs::create_directories(check / "in");
  write_file_atomically(check / "in" / (c.name + ".json"), text);
  const auto v = run_reference_leaderboard(c.validator, check / "in", check / "site", sandbox, check);
  if (!v.ran) return missing(c, "error", "not validated: " + v.problems);
  const json entries = v.board.value("entries", json::array());
  if (entries.size() != 1) return missing(c, "invalid", "rejected by module 20's reference validator:\n" + v.problems);
  const json& e = entries.at(0);
  if (e.value("name", "") != c.name)
    return missing(c, "invalid",
                   "the file names the entry '" + e.value("name", "") + "', not '" + c.name +
                       "' as the grader asked: it was not written by the harness");
  const json file = json::parse(text, nullptr, false);
  if (file.is_discarded() || !file.contains("results") || !file["results"].is_object())
    return missing(c, "invalid", "the reference validator accepted a file the grader cannot read");
  c.status = "measured";
  c.missing.clear();
  c.reason = "measured by " + target + " and accepted by module 20's reference validator";
  c.results = file["results"];
  c.gate_passed = e.value("gated", false);
  const json s = standing(v.board, "accuracy_size_tradeoff", c.name);
  c.accuracy_size_score = s.is_object() ? s.value("value", 0.0) : 0.0;
  c.file_text = text;
  return c;
}

}  // namespace

CapstoneRecord measure_capstone(const ModuleRecord& rec, const BuildConfig& cfg, const BuildConfig& setup_cfg,
                                const Sandbox& sandbox, const GradeOptions& o, const fs::path& module_dir,
                                const fs::path& work) {
  try {
    return measure(rec, cfg, setup_cfg, sandbox, o, module_dir, work);
  } catch (const std::exception& e) {
    CapstoneRecord c;
    c.timeout_seconds = o.capstone_timeout;
    return missing(c, "error", std::string("not measured: ") + e.what());
  }
}

json capstone_json(const CapstoneRecord& c) {
  json j{{"status", c.status},
         {"missing", c.missing.empty() ? json(nullptr) : json(c.missing)},
         {"reason", c.reason},
         {"name", c.name},
         {"gate_passed", c.gate_passed},
         {"results", c.results},
         {"accuracy_size_score", c.status == "measured" ? json(c.accuracy_size_score) : json(nullptr)},
         {"file", c.status == "measured" ? json(kCapstoneFile) : json(nullptr)},
         {"seconds", std::round(c.seconds * 100) / 100},
         {"timeout_seconds", c.timeout_seconds},
         {"validator", c.validator},
         {"baseline_dir", c.baseline_dir},
         {"output", c.output}};
  return j;
}

}  // namespace tt::grade
