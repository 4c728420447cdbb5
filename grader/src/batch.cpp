// Batch mode: worker threads each drive child `tt-grade run` processes in their own slot.
// Not the gradebook formats' only reader: report.json stays the source of truth.
#include "tt/grade/batch.hpp"
#include "tt/grade/portfolio_section.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <iostream>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "tt/grade/board.hpp"
#include "tt/grade/file_io.hpp"
#include "tt/grade/html.hpp"
#include "tt/grade/intake.hpp"
#include "tt/grade/process.hpp"
#include "tt/grade/report.hpp"
#include "tt/grade/score.hpp"

namespace tt::grade {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string strip_archive_suffix(std::string name) {
  for (const char* suf : {".tar.gz", ".tar.xz", ".tar.bz2", ".tgz", ".zip", ".tar"}) {
    const std::string s = suf;
    if (name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0)
      return name.substr(0, name.size() - s.size());
  }
  return name;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// The child's command line: every grading option goes through a JSON file, not re-spelled flags.
std::vector<std::string> child_args(const BatchOptions& b, const BatchEntry& e, int slot, const fs::path& options_dir) {
  GradeOptions g = b.grade;
  g.submission = e.path;
  g.label = e.name;
  g.slot = slot;
  g.progress = false;
  const fs::path file = options_dir / (e.name + ".options.json");
  write_file_atomically(file, grade_options_json(g).dump(2) + "\n");
  std::string formats;
  for (const auto& f : b.formats) formats += (formats.empty() ? "" : ",") + f;
  return {b.grade.grader_exe.string(), "run",      "--options-json", file.string(), "--out",
          (b.out / e.name).string(),   "--format", formats,          "--quiet"};
}

// A report for a submission whose grader process died or ran out of time.
void write_failure_report(const BatchOptions& b, const BatchEntry& e, const std::string& why) {
  GradeRecord rec;
  rec.options = b.grade;
  rec.options.submission = e.path;
  rec.options.label = e.name;
  rec.status = GradeStatus::error;
  rec.error = why;
  try {
    for (const auto& m : discover_modules(b.grade.course_root)) {
      if (!b.grade.modules.empty() &&
          std::find(b.grade.modules.begin(), b.grade.modules.end(), m.id) == b.grade.modules.end())
        continue;
      ModuleRecord mr;
      mr.manifest = m;
      mr.max_score = m.points + m.perf_points();
      rec.max_score += mr.max_score;
      rec.modules.push_back(mr);
    }
  } catch (const std::exception&) {
  }
  write_reports(rec, b.out / e.name, b.formats);
}

}  // namespace

std::vector<BatchEntry> list_submissions(const fs::path& dir) {
  std::vector<BatchEntry> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    if (e.is_directory() || (e.is_regular_file() && is_archive(e.path())))
      out.push_back({e.is_directory() ? name : strip_archive_suffix(name), fs::absolute(e.path())});
  }
  std::sort(out.begin(), out.end(), [](const BatchEntry& a, const BatchEntry& b) { return a.name < b.name; });
  return out;
}

int run_batch(const BatchOptions& b) {
  const auto entries = list_submissions(b.dir);
  fs::create_directories(b.out);
  std::vector<BatchEntry> todo;
  for (const auto& e : entries)
    if (b.force || !fs::exists(b.out / e.name / "report.json")) todo.push_back(e);
  std::cerr << "tt-grade batch: " << entries.size() << " submission(s), " << (entries.size() - todo.size())
            << " already graded, " << todo.size() << " to grade with " << b.jobs << " job(s)\n";
  std::atomic<std::size_t> next{0}, done{0};
  std::mutex io;
  // Never fall back silently: a batch without its sandbox stops here with the reason.
  const Sandbox sandbox = make_sandbox(b.grade.sandbox);
  const fs::path options_dir = b.out / ".options";
  fs::create_directories(options_dir);
  const auto t0 = std::chrono::steady_clock::now();
  auto worker = [&](int slot) {
    for (std::size_t i; (i = next++) < todo.size();) {
      const auto& e = todo[i];
      Limits limits;
      limits.wall_seconds = b.budget_seconds;
      limits.output_kill = 0;
      const auto p = run_process(sandbox.contained(child_args(b, e, slot, options_dir)), limits);
      std::string status;
      if (p.timed_out) {
        write_failure_report(b, e,
                             "time budget of " + std::to_string(static_cast<int>(b.budget_seconds)) + " s exceeded");
        status = "budget exceeded";
      } else if (!fs::exists(b.out / e.name / "report.json")) {
        write_failure_report(b, e,
                             "the grader process ended without a report (" +
                                 (p.signal ? signal_name(p.signal) : "exit " + std::to_string(p.exit_code)) +
                                 "): " + first_lines(p.output, 20));
        status = "grader failed";
      } else {
        try {
          const auto j = json::parse(read_file(b.out / e.name / "report.json"));
          status = format_points(j.value("score", 0.0)) + " / " + format_points(j.value("max_score", 0.0));
          status = j.value("status", "") == to_string(GradeStatus::graded) ? status : "error";
        } catch (const std::exception&) {
          status = "unreadable report";
        }
      }
      const std::size_t n = ++done;
      const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      std::lock_guard<std::mutex> lock(io);
      std::cerr << "[" << n << "/" << todo.size() << "] " << e.name << ": " << status << " ("
                << static_cast<int>(p.seconds) << " s; " << static_cast<int>(elapsed) << " s elapsed)\n";
    }
  };
  std::vector<std::thread> threads;
  for (int k = 1; k < std::max(1, b.jobs); ++k) threads.emplace_back(worker, k);
  worker(0);
  for (auto& t : threads) t.join();
  write_class_outputs(b, entries, "tt-grade batch");
  for (const auto& e : entries)
    if (!fs::exists(b.out / e.name / "report.json")) return 1;
  return 0;
}

void write_batch_similarity(const BatchOptions& b) {
  if (!b.similarity) return;
  try {
    run_similarity({b.grade.course_root, b.dir, b.out, b.grade.modules, b.grade.sandbox, *b.similarity});
  } catch (const std::exception& e) {
    std::cerr << "tt-grade batch: the similarity report could not be written (the grades are unaffected): " << e.what()
              << "\n";
  }
}

void write_class_outputs(const BatchOptions& b, const std::vector<BatchEntry>& entries, const std::string& who) {
  write_batch_similarity(b);
  write_gradebook(b.out, entries, grading_isa(b.grade));
  std::vector<std::pair<std::string, fs::path>> showcase;
  std::vector<std::string> names;
  showcase.reserve(entries.size());
  names.reserve(entries.size());
  for (const auto& e : entries) {
    showcase.emplace_back(e.name, e.path);
    names.push_back(e.name);
  }
  std::cerr << who << ": " << write_batch_showcase(b.out, b.grade.course_root, showcase) << "\n";
  std::cerr << who << ": wrote " << (b.out / "gradebook.csv").string() << " and " << (b.out / "scores.html").string()
            << " (total scores)\n";
  std::cerr << who << ": " << write_class_leaderboard(b.grade, b.out, names).note << "\n";
}

void write_gradebook(const fs::path& out, const std::vector<BatchEntry>& entries, const std::string& isa) {
  std::vector<json> reports;
  std::vector<std::string> module_ids;
  for (const auto& e : entries) {
    json j;
    try {
      j = json::parse(read_file(out / e.name / "report.json"));
    } catch (const std::exception&) {
      j = {{"status", "missing"}, {"score", 0}, {"max_score", 0}, {"modules", json::array()}};
    }
    j["_name"] = e.name;
    for (const auto& m : j["modules"])
      if (std::find(module_ids.begin(), module_ids.end(), m["id"].get<std::string>()) == module_ids.end())
        module_ids.push_back(m["id"].get<std::string>());
    reports.push_back(j);
  }
  std::string csv = "submission,status,score,max_score";
  for (const auto& id : module_ids) csv += ",m" + id;
  csv += ",duration_seconds\n";
  for (const auto& j : reports) {
    csv += csv_field(j["_name"].get<std::string>()) + "," + j.value("status", "") + "," +
           format_points(j.value("score", 0.0)) + "," + format_points(j.value("max_score", 0.0));
    for (const auto& id : module_ids) {
      std::string cell;
      for (const auto& m : j["modules"])
        if (m["id"] == id) cell = format_points(m.value("score", 0.0));
      csv += "," + cell;
    }
    csv += "," + format_points(j.value("duration_seconds", 0.0)) + "\n";
  }
  write_file_atomically(out / "gradebook.csv", csv);

  // The total-score table (the class leaderboard itself comes from module 20: board.hpp).
  json rows = json::array();
  for (const auto& j : reports) {
    json perf = json::object();
    for (const auto& m : j["modules"])
      for (const auto& p : m.value("perf", json::array()))
        if (p.value("status", "") == "scored" && p.value("ratio", 0.0) > 0)
          perf[p["case"].get<std::string>()] = 1.0 / p["ratio"].get<double>();
    rows.push_back({{"submission", j["_name"]},
                    {"score", j.value("score", 0.0)},
                    {"max_score", j.value("max_score", 0.0)},
                    {"speed_vs_reference", perf}});
  }
  std::vector<json> sorted(rows.begin(), rows.end());
  std::stable_sort(sorted.begin(), sorted.end(), [](const json& a, const json& b) { return a["score"] > b["score"]; });
  json board{{"schema", "tt-grade-scores/1"}, {"context", grading_context(isa)}, {"rows", sorted}};
  write_file_atomically(out / "scores.json", board.dump(2) + "\n");

  std::string html =
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Scores</title>\n"
      "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
      "td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}td:nth-child(2){text-align:left}</style>"
      "</head><body>\n<h1>Total scores</h1>\n<p>The class leaderboard (module 20's categories) is in "
      "<a "
      "href=\"leaderboard/index.html\">leaderboard/</a>.</p>\n";
  if (fs::exists(out / "similarity.html"))
    html +=
        "<p>Code shared between submissions (evidence to read, not a verdict): <a "
        "href=\"similarity.html\">similarity report</a>.</p>\n";
  html +=
      "<table>\n<tr><th>#</th><th>Submission</th><th>Score</"
      "th><th>Speed vs "
      "reference</th></tr>\n";
  int rank = 0;
  for (const auto& r : sorted) {
    std::string speeds;
    for (const auto& [k, v] : r["speed_vs_reference"].items()) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.2f×", v.get<double>());
      speeds += (speeds.empty() ? "" : ", ") + html_escape(k) + " " + buf;
    }
    char score[64];
    std::snprintf(score, sizeof score, "%.1f / %.0f", r["score"].get<double>(), r["max_score"].get<double>());
    html += "<tr><td>" + std::to_string(++rank) + "</td><td>" + html_escape(r["submission"].get<std::string>()) +
            "</td><td>" + score + "</td><td>" + speeds + "</td></tr>\n";
  }
  html += "</table>\n</body></html>\n";
  write_file_atomically(out / "scores.html", html);
}

}  // namespace tt::grade
