// Batch mode's capstone leaderboard, ranked by module 20's own reference program (never re-implemented
// here, so the grader and the module always agree on gates, scores and ties). Not the gradebook.
#include "tt/grade/capstone_board.hpp"

#include <algorithm>

#include "tt/grade/capstone.hpp"
#include "tt/grade/file_io.hpp"
#include "tt/grade/grade.hpp"
#include "tt/grade/manifest.hpp"
#include "tt/grade/temp_dir.hpp"
#include "tt/grade/workspace.hpp"

namespace tt::grade {
namespace fs = std::filesystem;

namespace {

CapstoneBoard skipped(const std::string& why) {
  CapstoneBoard b;
  b.note = "capstone leaderboard skipped: " + why + " (the total-score table is in scores.html)";
  return b;
}

// The reference m20_leaderboard of the course, built in a free grading slot (the batch's slots
// already hold it: then this is a no-op build).
fs::path reference_leaderboard(const GradeOptions& g, const std::vector<Manifest>& all, const Manifest& m20,
                               bool integrated, const Sandbox& sandbox) {
  Slot slot(g.work_root, integrated);
  BuildConfig cfg = prepare_slot_build(g, all, slot, sandbox, integrated);
  cfg.timeout_seconds = 4 * 3600;
  const auto conf = configure_slot(cfg);
  if (!conf.ok) throw std::runtime_error("the course build could not be configured:\n" + conf.errors);
  return build_reference_program(cfg, m20.name, kCapstoneLeaderboard);
}

CapstoneBoard write_board(const GradeOptions& g, const fs::path& out, const std::vector<std::string>& names) {
  if (!g.capstone) return skipped("capstone measurement disabled (--no-capstone)");
  if (!g.modules.empty() && std::find(g.modules.begin(), g.modules.end(), kCapstoneModule) == g.modules.end())
    return skipped("module 20 was not graded");
  const auto all = discover_modules(g.course_root);
  const Manifest* m20 = nullptr;
  bool integrated = g.integrated;
  for (const auto& m : all) {
    if (m.id == kCapstoneModule) m20 = &m;
    integrated |= !has_solution(g.course_root, m);
  }
  if (!m20) return skipped("the course has no module 20");
  if (!has_solution(g.course_root, *m20))
    return skipped("the course was built without solutions (student build): no reference ranking to trust");

  TempDir work("tt-grade-board");
  fs::create_directories(work.path() / "in");
  CapstoneBoard b;
  for (const auto& n : names) {
    const fs::path f = out / n / kCapstoneFile;
    if (!fs::is_regular_file(f)) continue;
    write_file_atomically(work.path() / "in" / (capstone_entry_name(n) + ".json"), read_file(f));
    ++b.files;
  }
  if (b.files == 0) return skipped("no submission has a capstone measurement (see each report's \"capstone\")");
  const Sandbox sandbox = make_sandbox(g.sandbox);
  const fs::path exe = reference_leaderboard(g, all, *m20, integrated, sandbox);
  const auto run = run_reference_leaderboard(exe, work.path() / "in", work.path() / "site", sandbox, work.path());
  if (!run.ran) throw std::runtime_error(run.problems);
  const fs::path site = out / "leaderboard";
  fs::create_directories(site);
  for (const char* f : {"index.html", "leaderboard.json"})
    write_file_atomically(site / f, read_file(work.path() / "site" / f));
  write_file_atomically(out / "leaderboard.json", read_file(work.path() / "site" / "leaderboard.json"));
  b.accepted = run.board.value("entries", nlohmann::json::array()).size();
  b.status = "written";
  b.note = "capstone leaderboard: " + std::to_string(b.accepted) + " of " + std::to_string(names.size()) +
           " submission(s) measured and ranked by module 20's reference program → " +
           (out / "leaderboard.json").string() + ", " + (site / "index.html").string();
  if (!run.problems.empty()) b.note += "\nrejected:\n" + run.problems;
  return b;
}

}  // namespace

CapstoneBoard write_capstone_leaderboard(const GradeOptions& g, const fs::path& out,
                                         const std::vector<std::string>& names) {
  CapstoneBoard b;
  try {
    b = write_board(g, out, names);
  } catch (const std::exception& e) {
    b.status = "failed";
    b.note = std::string("capstone leaderboard not written: ") + e.what();
  }
  if (b.status != "written") {
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
