// One student file across the class: the copies staged for the tool, one sandboxed call of sim,
// the stub's lines subtracted, and the shares of every pair.
// Not the class: similarity_class.cpp finds each submission's files and ranks the pairs.
//
// Why the stub is subtracted after the tool and not before: sim sees every file as the student
// wrote it (its line numbers are the student's, and no run is glued together across code that was
// cut out); a line of a file is then "given" when its code (comments and layout aside) is a line
// of the stub, or when the tool matched it to the stub (the given code, renamed or reformatted).
// A run between two files counts only when it keeps at least a minimum run of own tokens on both
// sides, so a run made mostly of the stub's signatures with a line of code on either side does not.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "tt/grade/code_lines.hpp"
#include "tt/grade/file_io.hpp"
#include "tt/grade/sim_tool.hpp"
#include "tt/grade/similarity.hpp"

namespace tt::grade {
namespace fs = std::filesystem;

namespace {

constexpr double kListedFraction = 0.5;  // near misses: flagged at half the thresholds, listed not flagged
constexpr int kStub = -1;                // the stub's index among the staged files

// A readable, textual copy of the file, staged for the tool.
struct Loaded {
  const SourceFile* source = nullptr;
  std::string staged;  // its name for the tool
  std::vector<CodeLine> code;
  std::vector<bool> given;
  std::shared_ptr<SourceView> view;
  int own_lines = 0;
};

// The file's text, or empty with `why` set.
bool read_source(const fs::path& p, std::string& text, std::string& why) {
  std::error_code ec;
  if (fs::is_directory(p, ec)) {
    why = "a folder, not a file";
    return false;
  }
  std::ifstream in(p, std::ios::binary);
  if (!in) {
    why = std::strerror(errno);
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) {
    why = "read error";
    return false;
  }
  text = ss.str();
  return true;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) {
    if (!l.empty() && l.back() == '\r') l.pop_back();
    lines.push_back(std::move(l));
  }
  return lines;
}

// The part of a run on one side: its own lines, their tokens and span.
struct Side {
  int own_lines = 0, own_tokens = 0;
  LineSpan span;
};

// The tool gives a run's lines, not where in its first and last line it starts and ends: the
// tokens of the range beyond the run's length are counted against the own code, so that a run of
// given code that ends a few tokens into an own line does not count as that line's whole.
Side own_part(const Loaded& f, int first, int last, int run_tokens) {
  Side s;
  const int n = static_cast<int>(f.view->own.size());
  int range_tokens = 0;
  for (int line = std::max(1, first); line <= std::min(last, n); ++line) {
    range_tokens += f.code[line - 1].tokens;
    if (!f.view->own[line - 1]) continue;
    ++s.own_lines;
    s.own_tokens += f.code[line - 1].tokens;
    if (s.span.first == 0) s.span.first = line;
    s.span.last = line;
  }
  s.own_tokens -= std::max(0, range_tokens - run_tokens);
  return s;
}

// The runs of one pair of files and the own lines they cover on each side.
struct PairRuns {
  std::vector<SharedRun> runs;
  std::vector<bool> shared_a, shared_b;
};

bool passes(const FileSimilarity& f, double threshold, double min_lines) {
  return f.top_share() >= threshold && std::min(f.shared_lines_a, f.shared_lines_b) >= min_lines;
}

}  // namespace

StudentFileResult compare_student_file(const StudentFile& f, const SimilaritySettings& s, const Sandbox& sandbox,
                                       const fs::path& scratch) {
  StudentFileResult res;
  auto problem = [&](const std::string& who, const std::string& what) {
    res.problems.push_back({who, f.module, f.file, what});
  };
  const std::string ext = fs::path(f.file).extension().string();
  fs::create_directories(scratch);

  // The stub: its code lines (the line rule), and staged as the first new file so that the tool
  // compares it with every copy.
  std::set<std::string> stub_code;
  const std::string stub_name = "g" + ext;
  bool have_stub = false;
  if (!f.stub.empty()) {
    std::string text, why;
    if (read_source(f.stub, text, why)) {
      for (const auto& l : code_lines(text))
        if (!l.code.empty()) stub_code.insert(l.code);
      write_file_atomically(scratch / stub_name, text);
      have_stub = true;
    } else {
      problem("", "the stub could not be read (" + why + "): nothing is subtracted");
    }
  }

  std::vector<Loaded> files;
  for (const auto& src : f.sources) {
    std::string text, why;
    if (!read_source(src.path, text, why)) {
      problem(src.name, "unreadable (" + why + "): not compared");
      continue;
    }
    if (text.find('\0') != std::string::npos) {
      problem(src.name, "a binary file, not source text: not compared");
      continue;
    }
    Loaded l;
    l.source = &src;
    l.code = code_lines(text);
    if (std::none_of(l.code.begin(), l.code.end(), [](const CodeLine& c) { return c.substantive(); })) {
      problem(src.name, "empty (no code): nothing to compare");
      continue;
    }
    l.staged = std::to_string(files.size()) + ext;
    write_file_atomically(scratch / l.staged, text);
    l.view = std::make_shared<SourceView>();
    l.view->lines = split_lines(text);
    l.view->lines.resize(std::max(l.view->lines.size(), l.code.size()));
    l.given.assign(l.code.size(), false);
    for (std::size_t i = 0; i < l.code.size(); ++i)
      l.given[i] = !l.code[i].code.empty() && stub_code.count(l.code[i].code);
    files.push_back(std::move(l));
  }
  // Submissions first: the tool compares new files with each other and with the old ones.
  std::stable_partition(files.begin(), files.end(),
                        [](const Loaded& l) { return l.source->kind == SourceKind::submission; });
  const auto n_subs = static_cast<std::size_t>(std::count_if(
      files.begin(), files.end(), [](const Loaded& l) { return l.source->kind == SourceKind::submission; }));
  if (n_subs == 0 || files.size() < 2) return res;

  SimCall call;
  call.tool = s.tool;
  call.dir = scratch;
  call.min_run = s.min_run;
  call.timeout_seconds = s.timeout_seconds;
  if (have_stub) call.new_files.push_back(stub_name);
  std::map<std::string, int> index{{stub_name, kStub}};
  for (std::size_t i = 0; i < files.size(); ++i) {
    (i < n_subs ? call.new_files : call.old_files).push_back(files[i].staged);
    index[files[i].staged] = static_cast<int>(i);
  }
  std::vector<SimRun> runs;
  try {
    runs = run_sim(sandbox, call);
  } catch (const SimToolError& e) {
    problem("", std::string(e.what()) + ": this file was not compared");
    return res;
  }
  res.compared = true;
  res.pairs_compared = n_subs * (n_subs - 1) / 2 + n_subs * (files.size() - n_subs);

  // Given lines: those the tool matched to the stub, on top of the line rule; the rest of the
  // substantive lines are the file's own code.
  auto at = [&](const std::string& name) {
    const auto it = index.find(name);
    return it == index.end() ? kStub - 1 : it->second;
  };
  for (const auto& r : runs) {
    const int a = at(r.file_a), b = at(r.file_b);
    if ((a == kStub) == (b == kStub) || std::min(a, b) < kStub) continue;
    Loaded& other = files[a == kStub ? b : a];
    const int first = a == kStub ? r.first_b : r.first_a, last = a == kStub ? r.last_b : r.last_a;
    for (int line = std::max(1, first); line <= std::min<int>(last, other.given.size()); ++line)
      other.given[line - 1] = true;
  }
  for (auto& l : files) {
    l.view->own.assign(l.view->lines.size(), false);
    for (std::size_t i = 0; i < l.code.size(); ++i) l.view->own[i] = l.code[i].substantive() && !l.given[i];
    l.own_lines = static_cast<int>(std::count(l.view->own.begin(), l.view->own.end(), true));
  }

  // The runs of each pair, a being the earlier file (always a submission).
  std::map<std::pair<int, int>, PairRuns> pairs;
  for (const auto& r : runs) {
    int a = at(r.file_a), b = at(r.file_b);
    if (a < 0 || b < 0 || a == b) continue;
    LineSpan ra{r.first_a, r.last_a}, rb{r.first_b, r.last_b};
    if (a > b) {
      std::swap(a, b);
      std::swap(ra, rb);
    }
    const Side sa = own_part(files[a], ra.first, ra.last, r.tokens);
    const Side sb = own_part(files[b], rb.first, rb.last, r.tokens);
    if (sa.own_tokens < s.min_run || sb.own_tokens < s.min_run) continue;
    PairRuns& p = pairs[{a, b}];
    if (p.shared_a.empty()) {
      p.shared_a.assign(files[a].view->own.size(), false);
      p.shared_b.assign(files[b].view->own.size(), false);
    }
    p.runs.push_back({sa.span, sb.span, r.tokens, sa.own_lines, sb.own_lines});
    for (int line = sa.span.first; line <= sa.span.last; ++line) p.shared_a[line - 1] = files[a].view->own[line - 1];
    for (int line = sb.span.first; line <= sb.span.last; ++line) p.shared_b[line - 1] = files[b].view->own[line - 1];
  }

  for (auto& [ab, p] : pairs) {
    const Loaded &a = files[ab.first], &b = files[ab.second];
    FileSimilarity fsim;
    fsim.module = f.module;
    fsim.file = f.file;
    fsim.own_lines_a = a.own_lines;
    fsim.own_lines_b = b.own_lines;
    fsim.shared_lines_a = static_cast<int>(std::count(p.shared_a.begin(), p.shared_a.end(), true));
    fsim.shared_lines_b = static_cast<int>(std::count(p.shared_b.begin(), p.shared_b.end(), true));
    fsim.share_a = a.own_lines ? static_cast<double>(fsim.shared_lines_a) / a.own_lines : 0.0;
    fsim.share_b = b.own_lines ? static_cast<double>(fsim.shared_lines_b) / b.own_lines : 0.0;
    fsim.flagged = passes(fsim, s.threshold, s.min_lines);
    if (!fsim.flagged && !passes(fsim, s.threshold * kListedFraction, s.min_lines * kListedFraction)) continue;
    std::sort(p.runs.begin(), p.runs.end(),
              [](const SharedRun& x, const SharedRun& y) { return x.a.first < y.a.first; });
    fsim.runs = std::move(p.runs);
    fsim.view_a = a.view;
    fsim.view_b = b.view;
    res.pairs.push_back({a.source->name, b.source->name, b.source->kind, std::move(fsim)});
  }
  return res;
}

}  // namespace tt::grade
