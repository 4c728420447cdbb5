// The class similarity report (`tt-grade similarity DIR`, `tt-grade batch … --similarity`): per
// student file of module.json, every pair of submissions, and each submission against the
// reference solution and earlier terms (--against), compared by similarity-tester (sim_tool.hpp)
// in the sandbox, after subtracting the code the stub gave everybody (MOSS's base file).
// Not a verdict and not part of a grade: it never reads or changes a report.json or a score;
// similarity_report.hpp writes similarity.json and similarity.html.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tt/grade/sandbox.hpp"

namespace tt::grade {

inline constexpr const char* kSimilarityNotice =
    "Similarity is evidence to read, not a verdict: shared code can come from a common source the course "
    "allowed, a study group, a textbook idiom or a coincidence of short files. Read the matching regions "
    "side by side and talk to the students before concluding anything.";

// Where a compared file comes from. The first file of a pair is always a submission.
enum class SourceKind { submission, reference, earlier };
std::string to_string(SourceKind k);  // "submission", "reference", "earlier term"

// The thresholds and the tool, set on the command line (similarity_cli.cpp binds them).
struct SimilaritySettings {
  // A file of a pair is flagged when the shared own code is at least this share of either file's
  // own code (code the stub did not give) …
  double threshold = 0.4;
  // … and at least this many own lines on both sides (a short file is not flagged for a few lines).
  int min_lines = 6;
  int min_run = 24;  // tokens: sim's minimum run, also the own tokens a run must keep without the stub
  std::vector<std::filesystem::path> against;  // earlier terms: folders of submissions, one per subfolder or archive
  std::string tool = "sim_c++";                // the similarity-tester program
  double timeout_seconds = 300;                // one call of the tool (one student file of the class)
};

struct SimilarityOptions {
  std::filesystem::path course_root;  // module.json files, the stubs (modules/) and the reference (solutions/)
  std::filesystem::path dir;          // the submissions, named as batch names them (list_submissions)
  std::filesystem::path out;          // similarity.json and similarity.html go here
  std::vector<std::string> modules;   // module ids; empty = all
  SandboxPolicy sandbox = SandboxPolicy::require;
  SimilaritySettings settings;
};

// A file's lines as the report shows them: the text, and which lines are the student's own code.
struct SourceView {
  std::vector<std::string> lines;
  std::vector<bool> own;  // code the stub did not give (not blank, not a comment, not only braces)
};

struct LineSpan {
  int first = 0, last = 0;  // 1-based, inclusive
};

// One run the tool found between the two files, trimmed to the own lines it covers on each side.
struct SharedRun {
  LineSpan a, b;
  int tokens = 0;  // the tool's length of the whole run
  int own_lines_a = 0, own_lines_b = 0;
};

// One student file of one pair.
struct FileSimilarity {
  std::string module;  // id, "16"
  std::string file;    // relative to the module, "src/kv_cache.cpp"
  int own_lines_a = 0, own_lines_b = 0;
  int shared_lines_a = 0, shared_lines_b = 0;  // own lines covered by at least one run
  double share_a = 0, share_b = 0;             // shared / own
  bool flagged = false;
  std::vector<SharedRun> runs;  // by line in a
  std::shared_ptr<const SourceView> view_a, view_b;
  double top_share() const { return share_a > share_b ? share_a : share_b; }
};

struct PairSimilarity {
  std::string a, b;  // a: a submission; b: a submission, "reference" or "TERM/NAME"
  SourceKind b_kind = SourceKind::submission;
  std::vector<FileSimilarity> files;  // the files worth listing (see listed_file)
  bool flagged = false;               // some file flagged
  double top_share = 0;               // over the flagged files, else over all listed ones
  int shared_lines = 0;               // over all listed files, on a's side
};

// Something the report could not compare, and why; the rest of the class is compared anyway.
struct SimilarityProblem {
  std::string source;  // a submission's name, "reference", or empty for the whole class
  std::string module;  // empty: every module
  std::string file;    // empty: every file of the module
  std::string problem;
};

struct SimilarityReport {
  SimilaritySettings settings;
  std::string started_at;  // ISO 8601 UTC
  double seconds = 0;
  std::string sandbox;  // how the tool ran
  std::vector<std::string> submissions;
  std::size_t earlier_submissions = 0;
  std::size_t files_compared = 0;     // (module, student file) pairs the tool ran on
  std::size_t pairs_compared = 0;     // file pairs the tool compared
  std::vector<PairSimilarity> pairs;  // ranked: flagged first, by top share, then shared lines
  std::vector<SimilarityProblem> problems;
  std::size_t flagged_pairs() const;
};

// One compared file: who it belongs to and where it is.
struct SourceFile {
  std::string name;
  SourceKind kind = SourceKind::submission;
  std::filesystem::path path;
};

// A student file across the class: its stub (empty path: none) and every copy to compare.
struct StudentFile {
  std::string module;  // id
  std::string file;
  std::filesystem::path stub;
  std::vector<SourceFile> sources;
};

// One file pair worth listing: flagged, or a near miss (flagged at half the thresholds).
struct FilePair {
  std::string a, b;
  SourceKind b_kind = SourceKind::submission;
  FileSimilarity similarity;
};

struct StudentFileResult {
  std::vector<FilePair> pairs;
  std::vector<SimilarityProblem> problems;  // unreadable, binary or empty copies, the tool missing, …
  std::size_t pairs_compared = 0;
  bool compared = false;  // the tool ran
};

// Compares one student file across its sources in one call of the tool. `scratch` is an empty
// folder for the staged copies (the tool sees only those). Never throws for bad input.
StudentFileResult compare_student_file(const StudentFile& f, const SimilaritySettings& s, const Sandbox& sandbox,
                                       const std::filesystem::path& scratch);

// The whole class: every submission's student files found by intake (as grading finds them),
// each student file compared, pairs assembled and ranked. Never throws for a bad submission, a
// missing tool or sandbox: those become problems. Throws only when the course or dir is unusable.
SimilarityReport compare_class(const SimilarityOptions& o);

// compare_class, then similarity.json and similarity.html in o.out, and a summary on stderr.
// Returns 0 when the report was written.
int run_similarity(const SimilarityOptions& o);

}  // namespace tt::grade
