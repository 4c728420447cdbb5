// Intake: walks a submission (after safe extraction) and picks the student files each module lists.
// Not a copier: workspace.cpp places the picked files into the build slot.
#include "tt/grade/intake.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <set>

#include "tt/grade/file_io.hpp"

namespace tt::grade {
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxIgnoredListed = 200;

bool skipped_dir(const std::string& name) {
  return name.empty() || name[0] == '.' || name.rfind("build", 0) == 0 || name == "node_modules" ||
         name == "__MACOSX" || name == "reports";
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

int depth(const std::string& rel) { return static_cast<int>(std::count(rel.begin(), rel.end(), '/')); }

// Lists regular files (relative, '/'-separated) without following links; links are ignored.
std::vector<std::string> walk(const fs::path& root, const IntakeLimits& limits, IntakeResult& result) {
  std::vector<std::string> files;
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
  for (; it != end; it.increment(ec)) {
    if (ec) break;
    const auto& e = *it;
    const std::string rel = e.path().lexically_relative(root).generic_string();
    if (e.is_symlink()) {
      result.ignored.push_back({rel, "link: not followed"});
      continue;
    }
    if (e.is_directory()) {
      if (skipped_dir(e.path().filename().string())) it.disable_recursion_pending();
      continue;
    }
    if (!e.is_regular_file()) continue;
    if (files.size() >= limits.max_files) {
      result.problems.push_back("more than " + std::to_string(limits.max_files) + " files; the rest is ignored");
      break;
    }
    files.push_back(rel);
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Rank of a candidate for modules/<name>/<file>: a path under "modules/" first, then the
// shallowest; "solutions/" copies last (a whole instructor checkout grades its modules/).
std::pair<int, int> rank(const std::string& rel, const std::string& module_suffix) {
  const std::string prefix = rel.substr(0, rel.size() - module_suffix.size());
  int r = 1;
  if (prefix.empty() || ends_with(prefix, "modules/")) r = 0;
  if (prefix.find("solutions/") != std::string::npos) r = 2;
  return {r, depth(rel)};
}

// The course file a submitted path stands for ("alice/modules/15_x/tests/a_test.cpp" →
// course_root/modules/15_x/tests/a_test.cpp), or empty.
fs::path course_counterpart(const std::string& rel, const fs::path& course_root) {
  std::string s = rel;
  while (true) {
    fs::path candidate = course_root / s;
    std::error_code ec;
    if (fs::is_regular_file(candidate, ec)) return candidate;
    const auto slash = s.find('/');
    if (slash == std::string::npos) return {};
    s = s.substr(slash + 1);
  }
}

}  // namespace

IntakeResult intake_submission(const fs::path& submission, const std::vector<Manifest>& modules,
                               const fs::path& course_root, const fs::path& scratch, const IntakeLimits& limits) {
  IntakeResult result;
  fs::path root = submission;
  std::error_code ec;
  if (fs::is_directory(submission, ec)) {
    result.kind = "directory";
  } else if (fs::is_regular_file(submission, ec) && is_archive(submission)) {
    result.kind = "archive";
    root = scratch / "unpacked";
    fs::create_directories(root);
    extract_archive_safely(submission, root, limits, result);
  } else {
    result.kind = "unknown";
    result.problems.push_back("the submission " + submission.string() +
                              " is neither a directory nor a .zip/.tar.gz archive");
    return result;
  }

  const auto files = walk(root, limits, result);
  if (result.kind == "directory") result.files_seen = files.size();
  std::set<std::string> taken;

  // Student-file paths ("src/matmul.cpp") and base names that name one file of one module only,
  // for flat submissions that do not keep the modules/<name>/ folders.
  std::map<std::string, int> path_count, base_count;
  for (const auto& m : modules)
    for (const auto& f : m.student_files) {
      ++path_count[f];
      ++base_count[fs::path(f).filename().string()];
    }

  for (const auto& m : modules) {
    for (const auto& f : m.student_files) {
      const std::string suffix = m.name + "/" + f;
      std::vector<std::string> cands;
      for (const auto& rel : files)
        if (rel == suffix || ends_with(rel, "/" + suffix)) cands.push_back(rel);
      if (cands.empty()) {
        const std::string base = fs::path(f).filename().string();
        for (const auto& rel : files) {
          const bool unique_path = path_count[f] == 1 && (rel == f || ends_with(rel, "/" + f));
          if (unique_path || (base_count[base] == 1 && fs::path(rel).filename() == base)) cands.push_back(rel);
        }
        // A flat match must not come from another module's folder.
        cands.erase(std::remove_if(cands.begin(), cands.end(),
                                   [&](const std::string& rel) {
                                     for (const auto& o : modules)
                                       if (o.name != m.name && rel.find(o.name + "/") != std::string::npos) return true;
                                     return false;
                                   }),
                    cands.end());
      }
      if (cands.empty()) continue;
      std::sort(cands.begin(), cands.end(), [&](const std::string& a, const std::string& b) {
        const auto ra = rank(a, ends_with(a, suffix) ? suffix : fs::path(a).filename().string());
        const auto rb = rank(b, ends_with(b, suffix) ? suffix : fs::path(b).filename().string());
        return ra != rb ? ra < rb : a < b;
      });
      const std::string& pick = cands.front();
      if (fs::file_size(root / pick, ec) > limits.max_file_bytes) {
        result.problems.push_back(pick + ": larger than " + std::to_string(limits.max_file_bytes) +
                                  " bytes; the stub is used instead");
        taken.insert(pick);
        continue;
      }
      result.files[m.name][f] = fs::absolute(root / pick);
      taken.insert(pick);
      for (std::size_t i = 1; i < cands.size(); ++i) {
        result.ignored.push_back({cands[i], "another copy of " + suffix + " (" + pick + " is used)"});
        taken.insert(cands[i]);
      }
    }
  }

  std::size_t unlisted = 0;
  for (const auto& rel : files) {
    if (taken.count(rel)) continue;
    std::string reason = "not a student file";
    const fs::path counterpart = course_counterpart(rel, course_root);
    if (!counterpart.empty()) {
      if (same_contents(root / rel, counterpart)) continue;  // an unchanged course file: nothing to say
      reason = "modified course file: ignored, the official copy is used";
    }
    if (result.ignored.size() < kMaxIgnoredListed)
      result.ignored.push_back({rel, reason});
    else
      ++unlisted;
  }
  if (unlisted) result.ignored.push_back({"…", std::to_string(unlisted) + " more files not listed"});
  return result;
}

}  // namespace tt::grade
