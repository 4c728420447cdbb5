// Batch mode's class leaderboard, ranked by the module's own reference program (never re-implemented
// here, so the grader and the module always agree on gates, scores and ties). Not the gradebook.
#include "tt/grade/board.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "steps.hpp"
#include "tt/grade/file_io.hpp"
#include "tt/grade/process.hpp"
#include "tt/grade/run.hpp"
#include "tt/grade/temp_dir.hpp"
#include "tt/grade/workspace.hpp"

namespace tt::grade {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

ClassBoard skipped(const std::string& why) {
  ClassBoard b;
  b.note = "class leaderboard skipped: " + why + " (the total-score table is in scores.html)";
  return b;
}

// The module's reference board program, built in a free grading slot (the batch's slots already
// hold it: then this is a no-op build).
fs::path reference_board(const GradeOptions& g, const std::vector<Manifest>& all, const Manifest& m,
                         const Sandbox& sandbox) {
  Slot slot(g.work_root, g.integrated);
  BuildConfig cfg = prepare_slot_build(g, all, slot, sandbox, g.integrated);
  cfg.timeout_seconds = 4 * 3600;
  const auto conf = configure_slot(cfg);
  if (!conf.ok) throw std::runtime_error("the course build could not be configured:\n" + conf.errors);
  const ModuleTargets targets = detail::targets_of(cfg.build_dir, m, Kind::solution);
  const TargetFile& t = targets.program(m.measure->board);
  const auto b = build_targets(cfg, {t.target});
  if (!b.ok) throw std::runtime_error("the course's own " + t.target + " does not build:\n" + b.errors);
  return t.file;
}

ClassBoard write_board(const GradeOptions& g, const fs::path& out, const std::vector<std::string>& names) {
  if (!g.capstone) return skipped("measured steps disabled (--no-capstone)");
  const auto all = discover_modules(g.course_root);
  const Manifest* m = nullptr;
  for (const auto& x : all)
    if (x.measure && !x.measure->board.empty() &&
        (g.modules.empty() || std::find(g.modules.begin(), g.modules.end(), x.id) != g.modules.end()))
      m = &x;
  if (!m) return skipped("no graded module has a measured step with a board program");
  if (!has_solution(g.course_root, *m))
    return skipped("the course was built without solutions (student build): no reference ranking to trust");

  TempDir work("tt-grade-board");
  fs::create_directories(work.path() / "in");
  ClassBoard b;
  const std::string file = m->measure->name + ".json";
  for (const auto& n : names) {
    const fs::path f = out / n / file;
    if (!fs::is_regular_file(f)) continue;
    write_file_atomically(work.path() / "in" / (entry_name(n) + ".json"), read_file(f));
    ++b.files;
  }
  if (b.files == 0) return skipped("no submission was measured (see each report's \"measure\")");
  const Sandbox sandbox = make_sandbox(g.sandbox);
  const fs::path exe = stage_program(reference_board(g, all, *m, sandbox), work.path() / "bin");
  const Jail jail = runtime_jail(exe.parent_path(), work.path());
  const Limits limits = test_limits(120);
  const auto p = sandbox.run(jail,
                             {sandbox.inside(jail, exe), sandbox.inside(jail, work.path() / "in"), "--out",
                              sandbox.inside(jail, work.path() / "site")},
                             limits);
  // The board program: exit 0 = all accepted, 3 = some rejected (one reason per line).
  const fs::path site = work.path() / "site";
  if (p.timed_out || (p.exit_code != 0 && p.exit_code != 3) || !fs::exists(site / "leaderboard.json"))
    throw std::runtime_error("the reference board program failed (" + process_failure(p, limits, sandbox.bubblewrap) +
                             "): " + first_lines(p.output, 10));
  const json board = json::parse(read_file(site / "leaderboard.json"), nullptr, false);
  const fs::path page = out / "leaderboard";
  fs::create_directories(page);
  for (const char* f : {"index.html", "leaderboard.json"}) write_file_atomically(page / f, read_file(site / f));
  write_file_atomically(out / "leaderboard.json", read_file(site / "leaderboard.json"));
  b.accepted = board.is_object() ? board.value("entries", json::array()).size() : 0;
  b.status = BoardStatus::written;
  b.note = "class leaderboard: " + std::to_string(b.accepted) + " of " + std::to_string(names.size()) +
           " submission(s) measured and ranked by module " + m->id + "'s reference " + m->measure->board + " → " +
           (out / "leaderboard.json").string() + ", " + (page / "index.html").string();
  if (p.exit_code == 3) b.note += "\nrejected:\n" + first_lines(p.output, 40);
  return b;
}

}  // namespace

std::string to_string(BoardStatus s) {
  return s == BoardStatus::written ? "written" : s == BoardStatus::skipped ? "skipped" : "failed";
}

ClassBoard write_class_leaderboard(const GradeOptions& g, const fs::path& out, const std::vector<std::string>& names) {
  ClassBoard b;
  try {
    b = write_board(g, out, names);
  } catch (const std::exception& e) {
    b.status = BoardStatus::failed;
    b.note = std::string("class leaderboard not written: ") + e.what();
  }
  if (b.status != BoardStatus::written) {
    // A leaderboard left by an earlier batch in the same folder would look like this batch's.
    std::error_code ec;
    bool stale = fs::remove(out / "leaderboard.json", ec);
    const auto removed = fs::remove_all(out / "leaderboard", ec);
    stale = stale || (!ec && removed > 0);
    if (stale) b.note += "\n(removed the previous batch's leaderboard)";
  }
  return b;
}

}  // namespace tt::grade
