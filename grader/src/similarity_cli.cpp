// The command line of the similarity report: its settings (shared by `batch --similarity` and
// `similarity`), the `similarity` subcommand, and the options it produces.
// Not the comparison (similarity_class.cpp) and not the other subcommands (cli.cpp).
#include <CLI/CLI.hpp>

#include "tt/grade/cli.hpp"

namespace tt::grade {
namespace fs = std::filesystem;

void add_similarity_settings(CLI::App* c, CliOptions& o) {
  SimilaritySettings& s = o.similarity_settings;
  c->add_option("--against", o.against,
                "an earlier term to compare with: a folder of submissions, one per subfolder or archive (repeatable)")
      ->check(CLI::ExistingDirectory);
  c->add_option("--similarity-threshold", s.threshold,
                "flag a file when shared code is at least this share of either side's own code")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  c->add_option("--similarity-min-lines", s.min_lines, "… and at least this many shared own lines on both sides")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  c->add_option("--similarity-min-run", s.min_run, "shortest matching run, in tokens (sim's -r)")
      ->check(CLI::Range(4, 10000))
      ->capture_default_str();
  c->add_option("--similarity-timeout", s.timeout_seconds, "seconds for comparing one student file across the class")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
}

void add_similarity_subcommand(CLI::App& app, CliOptions& o) {
  auto* c = app.add_subcommand("similarity",
                               "which submissions share code with each other, the reference or earlier terms "
                               "(similarity.json, similarity.html; evidence to read, not a verdict)");
  c->add_option("dir", o.batch_dir, "the submissions, one per subfolder or archive (as for batch)")
      ->required()
      ->check(CLI::ExistingDirectory);
  c->add_option("--out,-o", o.out_dir, "where similarity.json and similarity.html go (a batch's OUT links them)")
      ->required();
  c->add_option("--module,-m", o.grade.modules, "compare only these module ids (repeatable)");
  c->add_option("--course", o.course, "the course tree: module.json, stubs, solutions/ (default: tt-grade's own)");
  // The same policy fields as grading's --allow-unsandboxed / --no-sandbox (cli.cpp's add_common).
  c->add_flag_callback(
      "--allow-unsandboxed", [&o] { o.grade.sandbox = SandboxPolicy::prefer; },
      "run the tool even where bubblewrap cannot run (limits only; the report says so)");
  c->add_flag_callback(
      "--no-sandbox", [&o] { o.grade.sandbox = SandboxPolicy::off; }, "run the tool without bubblewrap on purpose");
  add_similarity_settings(c, o);
}

SimilarityOptions similarity_options(const CliOptions& o, const std::string& dir) {
  SimilarityOptions s;
  s.course_root = o.grade.course_root;
  s.dir = fs::absolute(dir).lexically_normal();
  s.out = o.out_dir;
  s.modules = o.grade.modules;
  s.sandbox = o.grade.sandbox;
  s.settings = o.similarity_settings;
  for (const auto& a : o.against) s.settings.against.push_back(fs::absolute(a).lexically_normal());
  return s;
}

}  // namespace tt::grade
