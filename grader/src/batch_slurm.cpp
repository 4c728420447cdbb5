// The Slurm job array behind `tt-grade batch --slurm` (batch_slurm.hpp).
// Not the sbatch plumbing itself (slurm.cpp) nor the gradebook (batch.cpp).
#include "tt/grade/batch_slurm.hpp"

#include <chrono>
#include <iostream>
#include <thread>

#include <CLI/CLI.hpp>

#include "tt/grade/file_io.hpp"
#include "tt/grade/report.hpp"

namespace tt::grade {
namespace fs = std::filesystem;

void add_slurm_batch_options(CLI::App* batch, SlurmBatchSettings& s) {
  batch->add_flag("--slurm", s.enabled, "grade as a Slurm job array (shared filesystem; see the instructor guide)");
  batch->add_option("--slurm-partition", s.spec.partition, "the partition of identical nodes");
  batch->add_option("--slurm-time", s.spec.time_limit_minutes, "time limit of one task (minutes)")
      ->capture_default_str();
  batch->add_option("--slurm-extra", s.spec.extra_args, "more #SBATCH options (repeatable)");
}

int run_batch_slurm(const BatchOptions& b, const SlurmBatchSettings& s) {
  const auto entries = list_submissions(b.dir);
  fs::create_directories(b.out);
  const fs::path meta = fs::absolute(b.out / ".slurm");
  fs::create_directories(meta);
  std::string list;
  std::vector<BatchEntry> todo;
  for (const auto& e : entries) {
    if (!b.force && fs::exists(b.out / e.name / "report.json")) continue;
    GradeOptions g = b.grade;
    g.submission = e.path;
    g.label = e.name;
    g.progress = false;
    const fs::path opts = meta / (e.name + ".options.json");
    write_file_atomically(opts, grade_options_json(g).dump(2) + "\n");
    list += opts.string() + "\t" + fs::absolute(b.out / e.name).string() + "\n";
    todo.push_back(e);
  }
  std::cerr << "tt-grade batch --slurm: " << entries.size() << " submission(s), " << todo.size() << " to grade\n";
  if (!todo.empty()) {
    write_file_atomically(meta / "tasks.tsv", list);
    std::string formats;
    for (const auto& f : b.formats) formats += (formats.empty() ? "" : ",") + f;
    SlurmJobSpec spec = s.spec;
    spec.name = "tt-grade-batch";
    spec.array_size = static_cast<int>(todo.size());
    spec.log = meta / "task-%a.log";
    const std::string body =
        "line=$(sed -n \"$((SLURM_ARRAY_TASK_ID + 1))p\" " + shell_quote((meta / "tasks.tsv").string()) +
        ")\nopts=${line%%$'\\t'*}\nout=${line#*$'\\t'}\nexec " + shell_quote(b.grade.grader_exe.string()) +
        " run --options-json \"$opts\" --out \"$out\" --format " + formats + " --quiet";
    const std::string id = slurm_submit(spec, meta / "batch.sbatch", body);
    std::cerr << "tt-grade batch --slurm: job array " << id << " (" << todo.size() << " tasks) submitted\n";
    const auto t0 = std::chrono::steady_clock::now();
    for (std::string state; !(state = slurm_state(spec, id)).empty();) {
      std::this_thread::sleep_for(std::chrono::duration<double>(s.poll_seconds));
      const auto n = std::count_if(todo.begin(), todo.end(),
                                   [&](const BatchEntry& e) { return fs::exists(b.out / e.name / "report.json"); });
      std::cerr << "tt-grade batch --slurm: " << n << "/" << todo.size() << " reports, "
                << static_cast<int>(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count())
                << " s\n";
    }
  }
  int missing = 0;
  for (const auto& e : todo)
    if (!fs::exists(b.out / e.name / "report.json")) {
      GradeRecord rec;
      rec.options = b.grade;
      rec.options.submission = e.path;
      rec.options.label = e.name;
      rec.error = "the Slurm task ended without a report (time limit, node failure or cancelled): see " +
                  (meta / "task-N.log").string();
      write_reports(rec, b.out / e.name, b.formats);
      ++missing;
    }
  write_class_outputs(b, entries, "tt-grade batch --slurm");
  return missing == 0 ? 0 : 1;
}

}  // namespace tt::grade
