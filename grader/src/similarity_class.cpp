// The class similarity report: each submission's student files found by intake (as a grade finds
// them, archives unpacked safely), the reference and earlier terms added, each student file
// compared (similarity.cpp), and the file pairs gathered into ranked pairs of people.
// Not the page or the JSON (similarity_report.cpp, similarity_html.cpp).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <map>
#include <optional>
#include <tuple>

#include "tt/grade/batch.hpp"
#include "tt/grade/file_io.hpp"
#include "tt/grade/intake.hpp"
#include "tt/grade/report.hpp"
#include "tt/grade/sim_tool.hpp"
#include "tt/grade/similarity.hpp"
#include "tt/grade/similarity_report.hpp"
#include "tt/grade/temp_dir.hpp"

namespace tt::grade {
namespace fs = std::filesystem;

namespace {

constexpr const char* kReferenceName = "reference";

// A submission (or an earlier one) and the student files intake found in it.
struct Collected {
  std::string name;
  SourceKind kind = SourceKind::submission;
  IntakeResult intake;
};

// The modules to compare: all of the course's, or the ids asked for (an unknown id is a problem).
std::vector<Manifest> chosen_modules(const SimilarityOptions& o, std::vector<SimilarityProblem>& problems) {
  std::vector<Manifest> chosen;
  const auto all = discover_modules(o.course_root);
  for (const auto& m : all)
    if (o.modules.empty() || std::find(o.modules.begin(), o.modules.end(), m.id) != o.modules.end())
      chosen.push_back(m);
  for (const auto& id : o.modules)
    if (std::none_of(all.begin(), all.end(), [&](const Manifest& m) { return m.id == id; }))
      problems.push_back({"", id, "", "no module " + id + " in the course tree " + o.course_root.string()});
  return chosen;
}

// Every submission of a folder through intake; what intake could not take becomes a problem.
void collect(const fs::path& dir, const std::string& prefix, SourceKind kind, const std::vector<Manifest>& modules,
             const fs::path& course_root, const fs::path& scratch, std::vector<Collected>& out,
             std::vector<SimilarityProblem>& problems) {
  for (const auto& e : list_submissions(dir)) {
    Collected c{prefix + e.name, kind, {}};
    try {
      c.intake = intake_submission(e.path, modules, course_root, scratch / std::to_string(out.size()));
    } catch (const std::exception& ex) {
      problems.push_back({c.name, "", "", std::string("could not be read: ") + ex.what()});
      continue;
    }
    for (const auto& p : c.intake.problems) problems.push_back({c.name, "", "", "intake: " + p});
    out.push_back(std::move(c));
  }
}

// A submission that lacks a module, or a file of it, is named; a module nobody submitted is one note.
bool note_missing(const Manifest& m, const std::vector<Collected>& subs, std::vector<SimilarityProblem>& problems) {
  const auto has_module = [&](const Collected& c) {
    const auto it = c.intake.files.find(m.name);
    return it != c.intake.files.end() && !it->second.empty();
  };
  if (std::none_of(subs.begin(), subs.end(), has_module)) {
    problems.push_back({"", m.id, "", "no submission has a file of module " + m.id + ": not compared"});
    return false;
  }
  for (const auto& c : subs) {
    if (!has_module(c)) {
      problems.push_back({c.name, m.id, "", "no file of module " + m.id + " in this submission: not compared"});
      continue;
    }
    for (const auto& f : m.student_files)
      if (!c.intake.files.at(m.name).count(f)) problems.push_back({c.name, m.id, f, "not in this submission"});
  }
  return true;
}

// The copies of one student file: submissions, then the reference, then earlier terms.
StudentFile student_file(const SimilarityOptions& o, const Manifest& m, const std::string& f,
                         const std::vector<Collected>& sources, std::vector<SimilarityProblem>& problems) {
  StudentFile sf;
  sf.module = m.id;
  sf.file = f;
  std::error_code ec;
  if (const fs::path stub = o.course_root / "modules" / m.name / f; fs::is_regular_file(stub, ec))
    sf.stub = stub;
  else
    problems.push_back({"", m.id, f, "no stub in the course tree: nothing is subtracted, shares include given code"});
  for (const auto& c : sources) {
    if (c.kind == SourceKind::earlier) continue;
    if (const auto mod = c.intake.files.find(m.name); mod != c.intake.files.end())
      if (const auto it = mod->second.find(f); it != mod->second.end())
        sf.sources.push_back({c.name, c.kind, it->second});
  }
  if (const fs::path ref = o.course_root / "solutions" / m.name / f; fs::is_regular_file(ref, ec))
    sf.sources.push_back({kReferenceName, SourceKind::reference, ref});
  for (const auto& c : sources) {
    if (c.kind != SourceKind::earlier) continue;
    if (const auto mod = c.intake.files.find(m.name); mod != c.intake.files.end())
      if (const auto it = mod->second.find(f); it != mod->second.end())
        sf.sources.push_back({c.name, c.kind, it->second});
  }
  return sf;
}

// File pairs → pairs of people, ranked: flagged first, then by top share, then by shared lines.
std::vector<PairSimilarity> assemble(std::vector<FilePair> file_pairs) {
  std::map<std::tuple<std::string, std::string, SourceKind>, PairSimilarity> by_pair;
  for (auto& fp : file_pairs) {
    PairSimilarity& p = by_pair[{fp.a, fp.b, fp.b_kind}];
    p.a = fp.a;
    p.b = fp.b;
    p.b_kind = fp.b_kind;
    p.files.push_back(std::move(fp.similarity));
  }
  std::vector<PairSimilarity> pairs;
  for (auto& [key, p] : by_pair) {
    p.flagged = std::any_of(p.files.begin(), p.files.end(), [](const FileSimilarity& f) { return f.flagged; });
    for (const auto& f : p.files) {
      if (f.flagged || !p.flagged) p.top_share = std::max(p.top_share, f.top_share());
      p.shared_lines += f.shared_lines_a;
    }
    std::stable_sort(p.files.begin(), p.files.end(), [](const FileSimilarity& x, const FileSimilarity& y) {
      return std::make_tuple(!x.flagged, -x.top_share()) < std::make_tuple(!y.flagged, -y.top_share());
    });
    pairs.push_back(std::move(p));
  }
  std::stable_sort(pairs.begin(), pairs.end(), [](const PairSimilarity& x, const PairSimilarity& y) {
    return std::make_tuple(!x.flagged, -x.top_share, -x.shared_lines) <
           std::make_tuple(!y.flagged, -y.top_share, -y.shared_lines);
  });
  return pairs;
}

}  // namespace

std::string to_string(SourceKind k) {
  switch (k) {
    case SourceKind::submission:
      return "submission";
    case SourceKind::reference:
      return "reference";
    case SourceKind::earlier:
      return "earlier term";
  }
  return "submission";
}

std::size_t SimilarityReport::flagged_pairs() const {
  return static_cast<std::size_t>(std::count_if(pairs.begin(), pairs.end(), [](const auto& p) { return p.flagged; }));
}

SimilarityReport compare_class(const SimilarityOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  SimilarityReport rep;
  rep.settings = o.settings;
  rep.started_at = now_iso8601();
  const auto modules = chosen_modules(o, rep.problems);
  TempDir scratch("tt-similarity");

  std::vector<Collected> sources;
  collect(o.dir, "", SourceKind::submission, modules, o.course_root, scratch.path() / "intake", sources, rep.problems);
  for (const auto& c : sources) rep.submissions.push_back(c.name);
  for (const auto& dir : o.settings.against) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
      rep.problems.push_back({"", "", "", "--against " + dir.string() + ": not a folder; that term is not compared"});
      continue;
    }
    const std::size_t before = sources.size();
    const std::string term = fs::absolute(dir).lexically_normal().filename().string();
    collect(dir, (term.empty() ? "earlier" : term) + "/", SourceKind::earlier, modules, o.course_root,
            scratch.path() / "intake", sources, rep.problems);
    rep.earlier_submissions += sources.size() - before;
  }

  // Nothing runs without the sandbox the policy asks for, or without the tool: the report says so.
  std::optional<Sandbox> sandbox;
  try {
    sandbox = make_sandbox(o.sandbox);
    rep.sandbox = sandbox->bubblewrap ? "bubblewrap: the tool saw only the staged copies, read-only, with no network"
                  : o.sandbox == SandboxPolicy::off
                      ? "NONE (--no-sandbox): the tool ran with limits only"
                      : "NONE (" + bubblewrap_problem() + "; --allow-unsandboxed): the tool ran with limits only";
  } catch (const SandboxUnavailable& e) {
    rep.problems.push_back({"", "", "", std::string(e.what()) + " Nothing was compared."});
  }
  if (const std::string missing = sim_tool_problem(o.settings.tool); sandbox && !missing.empty()) {
    rep.problems.push_back({"", "", "", missing + ". Nothing was compared."});
    sandbox.reset();
  }

  std::vector<Collected> subs;
  std::copy_if(sources.begin(), sources.end(), std::back_inserter(subs),
               [](const Collected& c) { return c.kind == SourceKind::submission; });
  std::vector<FilePair> file_pairs;
  int staged = 0;
  for (const auto& m : modules) {
    if (!note_missing(m, subs, rep.problems) || !sandbox) continue;
    for (const auto& f : m.student_files) {
      auto r = compare_student_file(student_file(o, m, f, sources, rep.problems), o.settings, *sandbox,
                                    scratch.path() / "stage" / std::to_string(staged++));
      rep.files_compared += r.compared ? 1 : 0;
      rep.pairs_compared += r.pairs_compared;
      rep.problems.insert(rep.problems.end(), r.problems.begin(), r.problems.end());
      std::move(r.pairs.begin(), r.pairs.end(), std::back_inserter(file_pairs));
    }
  }
  rep.pairs = assemble(std::move(file_pairs));
  rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return rep;
}

int run_similarity(const SimilarityOptions& o) {
  const SimilarityReport rep = compare_class(o);
  const auto written = write_similarity_reports(rep, o.out);
  std::size_t flagged_files = 0;
  for (const auto& p : rep.pairs)
    flagged_files += std::count_if(p.files.begin(), p.files.end(), [](const FileSimilarity& f) { return f.flagged; });
  std::cerr << "tt-grade similarity: " << rep.submissions.size() << " submission(s)";
  if (rep.earlier_submissions) std::cerr << " and " << rep.earlier_submissions << " from earlier terms";
  std::cerr << ", " << rep.files_compared << " student file(s) compared in " << std::lround(rep.seconds)
            << " s: " << rep.flagged_pairs() << " pair(s) flagged on " << flagged_files << " file(s)";
  if (!rep.problems.empty()) std::cerr << "; " << rep.problems.size() << " problem(s) noted in the report";
  std::cerr << "\n";
  for (const auto& p : written) std::cerr << "tt-grade similarity: wrote " << p.string() << "\n";
  std::error_code ec;
  if (fs::exists(o.out / "scores.html", ec) &&
      read_file(o.out / "scores.html").find("similarity.html") == std::string::npos)
    std::cerr
        << "tt-grade similarity: scores.html links the report once batch writes it again (tt-grade batch with the "
           "same folders: graded submissions are not graded again)\n";
  return 0;
}

}  // namespace tt::grade
