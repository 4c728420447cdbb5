// The subcommands of tt-portfolio and their options, bound once.
// Not the work: measure.cpp, writeup.cpp, site.cpp and summary.cpp do it.
#include "tt/portfolio/cli.hpp"

#include <CLI/CLI.hpp>

#include <chrono>
#include <iostream>

#include "file_text.hpp"
#include "tt/portfolio/error.hpp"
#include "tt/portfolio/measure.hpp"
#include "tt/portfolio/showcase.hpp"
#include "tt/portfolio/site.hpp"
#include "tt/portfolio/summary.hpp"

namespace fs = std::filesystem;

namespace tt::portfolio {

namespace {

// Copies portfolio/templates/* into portfolio/ where the student has no file yet.
int init(const PortfolioPaths& paths) {
  const fs::path dir = paths.tree / "portfolio", templates = dir / "templates";
  const auto module_template = detail::read_text(templates / "module.md");
  if (!module_template)
    throw portfolio_error(ErrorKind::io, "no templates in " + templates.string() +
                                             "; they ship with the course release (portfolio/templates/)");
  const auto course = read_course(paths.course.empty() ? paths.tree / "modules" : paths.course);
  int created = 0;
  const auto create = [&](const std::string& name, std::string text) {
    if (fs::exists(dir / name)) return;
    detail::write_text(dir / name, text);
    std::cout << "created portfolio/" << name << "\n";
    ++created;
  };
  for (const auto& m : course) {
    std::string t = *module_template;
    for (std::size_t p; (p = t.find("{NN}")) != std::string::npos;) t.replace(p, 4, m.id);
    create(m.id + ".md", t);
  }
  for (const char* f : {"case-study.md", "innovation.md", "consent"})
    if (const auto t = detail::read_text(templates / f)) create(f, *t);
  std::cout << created << " file(s) created; existing write-ups were left as they are\n";
  return 0;
}

int render(const PortfolioPaths& paths, const fs::path& out, bool strict) {
  const auto t0 = std::chrono::steady_clock::now();
  const Portfolio p = load_portfolio(paths);
  const fs::path site = out.empty() ? p.dir / "site" : out;
  const SiteResult r = render_site(p, site);
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  std::cout << "rendered " << r.pages.size() << " page(s) into " << site.string() << " in " << static_cast<int>(ms)
            << " ms: citations " << r.verified << " verified, " << r.stale << " stale, " << r.missing
            << " missing or invalid; " << r.flagged << " flag(s)\n";
  for (const auto& w : p.writeups) {
    for (const auto& c : w.citations)
      if (c.status != CitationStatus::verified)
        std::cout << "  portfolio/" << w.slot.file << ":" << c.line << ": " << c.name << " " << to_string(c.status)
                  << ": " << c.message << "\n";
    for (const auto& c : w.contradictions)
      std::cout << "  portfolio/" << w.slot.file << ":" << c.line << ": contradiction: " << c.message << "\n";
    for (const auto& x : w.warnings) std::cout << "  portfolio/" << w.slot.file << ": " << x << "\n";
  }
  for (const auto& x : p.measurements.problems) std::cout << "  " << x << "\n";
  return strict && (r.stale + r.missing + r.flagged) > 0 ? 1 : 0;
}

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App app{"tt-portfolio: your verified before/after reports as a static site (portfolio/site/)"};
  app.require_subcommand(1);
  PortfolioPaths paths{".", {}, {}};
  // The last --tree wins: ./scripts/portfolio passes `--tree .` before the user's own options.
  app.add_option("--tree", paths.tree, "the student tree (holds modules/ and portfolio/)")
      ->check(CLI::ExistingDirectory)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app.add_option("--sources", paths.sources, "where the measured student files are (default: <tree>/modules)");
  app.add_option("--course", paths.course, "where the modules' module.json files are (default: <tree>/modules)");

  auto* init_cmd = app.add_subcommand("init", "copy the write-up templates into portfolio/ (never overwrites)");

  MeasureOptions mo;
  auto* measure_cmd = app.add_subcommand("measure", "run each module's bench on your code; portfolio/measurements/");
  measure_cmd->add_option("--module", mo.modules, "module ids (repeatable); default: every module with a bench");
  measure_cmd->add_option("--impl", mo.impl, "what ./scripts/bench --impl gets")
      ->check(CLI::IsMember({"student", "solution"}));
  measure_cmd->add_flag("--quick", mo.quick, "the benches' quick mode (smaller, numbers not judged)");
  measure_cmd->add_option("--bench", mo.bench_script, "the bench command (default: <tree>/scripts/bench)");

  fs::path out;
  bool strict = false;
  auto* render_cmd = app.add_subcommand("render", "build portfolio/site/ from the write-ups and measurements");
  render_cmd->add_option("--out", out, "the site folder (default: portfolio/site)");
  render_cmd->add_flag("--strict", strict, "exit 1 when a number is not verified or a page has a flag");

  fs::path rubric;
  auto* check_cmd = app.add_subcommand("check", "print the grader's portfolio section (JSON)");
  check_cmd->add_option("--rubric", rubric, "rubric file (default: <tree>/portfolio/rubric.json)");

  fs::path showcase_out;
  std::vector<fs::path> trees;
  auto* showcase_cmd = app.add_subcommand("showcase", "the class showcase of these student trees (opted-in only)");
  showcase_cmd->add_option("--out", showcase_out, "the showcase folder")->required();
  showcase_cmd->add_option("trees", trees, "student trees (each holds modules/ and portfolio/)")
      ->required()
      ->check(CLI::ExistingDirectory);

  CLI11_PARSE(app, argc, argv);
  try {
    if (*init_cmd) return init(paths);
    if (*measure_cmd) {
      mo.paths = paths;
      return measure(mo) == 0 ? 0 : 1;
    }
    if (*render_cmd) return render(paths, out, strict);
    if (*showcase_cmd) {
      const fs::path course = paths.course.empty() ? paths.tree / "modules" : paths.course;
      std::vector<ShowcaseStudent> students;
      students.reserve(trees.size());
      for (const auto& t : trees)
        students.push_back(
            {(fs::absolute(t) / "").lexically_normal().parent_path().filename().string(),  // "a/b/" → "b"
             portfolio_section(load_portfolio({t, t / "modules", course}), {}), t});
      std::cout << build_showcase(showcase_out, course, students) << " of " << trees.size()
                << " student(s) opted in: " << (showcase_out / "index.html").string() << "\n";
      return 0;
    }
    if (*check_cmd) {
      const Portfolio p = load_portfolio(paths);
      std::cout << portfolio_section(p, rubric.empty() ? paths.tree / "portfolio" / "rubric.json" : rubric).dump(2)
                << "\n";
      return 0;
    }
  } catch (const portfolio_error& e) {
    std::cerr << "tt-portfolio: error (" << to_string(e.kind()) << "): " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "tt-portfolio: error: " << e.what() << "\n";
    return 2;
  }
  return 0;
}

}  // namespace tt::portfolio
