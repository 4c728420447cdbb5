// The grader's use of tt-portfolio: a report section per grade, a showcase per batch.
// Not the portfolio logic: that is portfolio/ (tt_portfolio_lib).
#include "tt/grade/portfolio_section.hpp"

#include <algorithm>
#include <fstream>

#include "tt/grade/file_io.hpp"
#include "tt/grade/temp_dir.hpp"
#include "tt/portfolio/showcase.hpp"
#include "tt/portfolio/site.hpp"
#include "tt/portfolio/summary.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace tt::grade {

namespace {

// A directory submission is read in place: a link could point at a host file (whose text a
// public showcase would then publish), and a huge file would slow the grade. Both are refused.
constexpr std::uintmax_t kMaxPortfolioFileBytes = 1 << 20;

std::string refusal(const fs::path& portfolio_dir) {
  if (fs::is_symlink(fs::symlink_status(portfolio_dir)) ||
      fs::is_symlink(fs::symlink_status(portfolio_dir.parent_path())))
    return "portfolio/ is a link; it is not followed";
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(portfolio_dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    const auto st = it->symlink_status();
    if (fs::is_symlink(st))
      return "portfolio/" + it->path().lexically_relative(portfolio_dir).string() +
             " is a link; links are not followed";
    if (fs::is_regular_file(st) && it->file_size() > kMaxPortfolioFileBytes)
      return "portfolio/" + it->path().lexically_relative(portfolio_dir).string() +
             " is larger than 1 MiB; keep write-ups and measurements small";
  }
  if (ec) return "portfolio/ could not be read: " + ec.message();
  return {};
}

tt::portfolio::Portfolio load(const fs::path& portfolio_dir, const fs::path& course_root) {
  const fs::path tree = portfolio_dir.parent_path();
  return tt::portfolio::load_portfolio({tree, tree / "modules", course_root / "modules"});
}

// The site as tt-portfolio renders it, read back into memory: the grade's scratch folder is gone
// by the time the reports are written.
std::vector<SiteFile> rendered_site(const tt::portfolio::Portfolio& p) {
  TempDir dir("tt-grade-site");
  tt::portfolio::render_site(p, dir.path());
  std::vector<SiteFile> files;
  for (const auto& e : fs::directory_iterator(dir.path()))
    if (e.is_regular_file()) files.push_back({e.path().filename().string(), read_file(e.path())});
  std::sort(files.begin(), files.end(), [](const SiteFile& a, const SiteFile& b) { return a.name < b.name; });
  return files;
}

}  // namespace

PortfolioRead read_portfolio(const fs::path& submission_root, const fs::path& course_root) {
  try {
    const fs::path dir = tt::portfolio::find_portfolio_dir(submission_root);
    if (dir.empty()) return {{{"status", "none"}, {"note", "the submission has no portfolio/ folder"}}, {}, {}};
    if (const std::string why = refusal(dir); !why.empty()) return {{{"status", "refused"}, {"error", why}}, {}, {}};
    const tt::portfolio::Portfolio p = load(dir, course_root);
    PortfolioRead r{tt::portfolio::portfolio_section(p, course_root / "portfolio" / "rubric.json"), {}, {}};
    r.section["status"] = "read";
    for (const auto& w : p.writeups)
      if (w.exists) r.posts.push_back({"portfolio/" + w.slot.file, w.title, w.html});
    try {
      r.site = rendered_site(p);
      r.section["site"] = std::string(kPortfolioSiteDir) + "/index.html";
    } catch (const std::exception& e) {
      r.section["site_error"] = std::string("the site could not be rendered: ") + e.what();
    }
    return r;
  } catch (const std::exception& e) {
    return {{{"status", "error"}, {"error", e.what()}}, {}, {}};
  }
}

json grade_portfolio_section(const fs::path& submission_root, const fs::path& course_root) {
  return read_portfolio(submission_root, course_root).section;
}

std::string write_batch_showcase(const fs::path& out, const fs::path& course_root,
                                 const std::vector<std::pair<std::string, fs::path>>& submissions) {
  try {
    std::vector<tt::portfolio::ShowcaseStudent> students;
    for (const auto& [name, path] : submissions) {
      json section;
      try {
        std::ifstream in(out / name / "report.json");
        section = json::parse(in).value("portfolio", json(nullptr));
      } catch (const std::exception&) {
        continue;  // no report, no showcase entry
      }
      const fs::path dir = fs::is_directory(path) ? tt::portfolio::find_portfolio_dir(path) : fs::path();
      students.push_back({name, section, dir.empty() ? fs::path() : dir.parent_path()});
    }
    const std::size_t n = tt::portfolio::build_showcase(out / "showcase", course_root / "modules", students);
    return "wrote " + (out / "showcase" / "index.html").string() + " (" + std::to_string(n) + " student(s) opted in)";
  } catch (const std::exception& e) {
    return "the showcase could not be written (the grades are unaffected): " + std::string(e.what());
  }
}

}  // namespace tt::grade
