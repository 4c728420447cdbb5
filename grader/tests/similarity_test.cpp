// Tests of the similarity report (similarity.hpp, similarity_report.hpp, sim_tool.hpp,
// code_lines.hpp, synthetic_class.hpp) on the fixture class of six submissions
// (fixtures/similarity/README.md) with its planted copies, and on bad input.
// Not a test of the tool's own algorithm: sim_c++ is Debian's; these check what the grader does with it.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <tuple>

#include "tt/grade/batch.hpp"
#include "tt/grade/bench.hpp"
#include "tt/grade/code_lines.hpp"
#include "tt/grade/file_io.hpp"
#include "tt/grade/html.hpp"
#include "tt/grade/process.hpp"
#include "tt/grade/sim_tool.hpp"
#include "tt/grade/similarity.hpp"
#include "tt/grade/similarity_report.hpp"
#include "tt/grade/temp_dir.hpp"

using namespace tt::grade;
namespace fs = std::filesystem;

namespace {

const fs::path kFixture = TT_FIXTURE_DIR "/similarity";
const fs::path kSrc = "modules/96_stats/src";

// A copy of the fixture class in a temporary folder, changed by the test, then compared.
struct ClassUnderTest {
  TempDir tmp{"tt-similarity-test"};
  fs::path dir = tmp.path() / "class";
  SimilarityOptions options;

  explicit ClassUnderTest(bool planted) {
    fs::copy(kFixture / "class", dir, fs::copy_options::recursive);
    if (planted) {
      fs::copy_file(kFixture / "plants/s2_stats.cpp", dir / "s2" / kSrc / "stats.cpp",
                    fs::copy_options::overwrite_existing);
      fs::copy_file(kFixture / "plants/s3_words.cpp", dir / "s3" / kSrc / "words.cpp",
                    fs::copy_options::overwrite_existing);
    }
    options.course_root = kFixture / "course";
    options.dir = dir;
    options.out = tmp.path() / "out";
    options.sandbox = SandboxPolicy::prefer;  // bubblewrap where it works, the tool's limits anyway
  }
  fs::path file(const std::string& who, const std::string& name) const { return dir / who / kSrc / name; }
  SimilarityReport compare() const { return compare_class(options); }
};

using Flag = std::tuple<std::string, std::string, std::string>;  // a, b, file

std::set<Flag> flagged_files(const SimilarityReport& r) {
  std::set<Flag> out;
  for (const auto& p : r.pairs)
    for (const auto& f : p.files)
      if (f.flagged) out.insert({p.a, p.b, f.file});
  return out;
}

bool has_problem(const SimilarityReport& r, const std::string& source, const std::string& file,
                 const std::string& words) {
  return std::any_of(r.problems.begin(), r.problems.end(), [&](const SimilarityProblem& p) {
    return p.source == source && p.file == file && p.problem.find(words) != std::string::npos;
  });
}

const std::set<Flag> kPlanted{{"s1", "s2", "src/stats.cpp"}, {"s3", "reference", "src/words.cpp"}};

}  // namespace

TEST_CASE("code_lines drops comments, strings' contents stay, preprocessor lines are not code", "[similarity]") {
  const auto lines = code_lines(
      "#include <x>\n"
      "int  a = 1; // one\n"
      "/* a\n"
      "   b */ int b = a+1;\n"
      "const char* s = \"// not a comment\";\n"
      "  }\n"
      "auto r = R\"(x // y)\";\n"
      "int big = 1'000'000;\n");
  REQUIRE(lines.size() == 8);
  CHECK(lines[0].code.empty());
  CHECK(lines[1].code == "int a=1;");
  CHECK(lines[1].tokens == 5);
  CHECK(lines[2].code.empty());
  CHECK(lines[3].code == "int b=a+1;");
  CHECK(lines[4].code == "const char*s=\"// not a comment\";");
  CHECK(lines[5].code == "}");
  CHECK_FALSE(lines[5].substantive());
  CHECK(lines[6].code.find("x // y") != std::string::npos);
  CHECK(lines[7].tokens == 5);  // int big = 1'000'000 ;
}

TEST_CASE("parse_sim_runs reads sim's run list and skips everything else", "[similarity]") {
  const auto runs = parse_sim_runs(
      "File 0.cpp: 1472 tokens, 149 lines\n"
      "File /: new/old separator\n"
      "Total input: 2 files (1 new, 1 old), 2007 tokens\n\n"
      "0.cpp: line 106-120                    |g.cpp: line 70-84                  [188]\n\n"
      "12.cpp: line 8-8|reference.cpp: line 9-31[1472]\n"
      "garbage | line [x]\n");
  REQUIRE(runs.size() == 2);
  CHECK(runs[0].file_a == "0.cpp");
  CHECK(runs[0].first_a == 106);
  CHECK(runs[0].last_a == 120);
  CHECK(runs[0].file_b == "g.cpp");
  CHECK(runs[0].first_b == 70);
  CHECK(runs[0].last_b == 84);
  CHECK(runs[0].tokens == 188);
  CHECK(runs[1].file_b == "reference.cpp");
  CHECK(runs[1].tokens == 1472);
}

TEST_CASE("six independent solutions of the same stub are not flagged", "[similarity]") {
  const ClassUnderTest c(false);
  const auto r = c.compare();
  CHECK(r.problems.empty());
  CHECK(r.submissions.size() == 6);
  CHECK(r.files_compared == 2);
  CHECK(r.pairs_compared == std::size_t{2} * (15 + 6));  // per file: the 15 pairs of six, and six against the reference
  CHECK(flagged_files(r).empty());
  // What they share is the stub's scaffolding: without the stub, every pair would be flagged.
  TempDir no_stub("tt-similarity-nostub");
  fs::copy(kFixture / "course", no_stub.path() / "course", fs::copy_options::recursive);
  for (const char* f : {"stats.cpp", "words.cpp"}) fs::remove(no_stub.path() / "course" / kSrc / f);
  SimilarityOptions o = c.options;
  o.course_root = no_stub.path() / "course";
  const auto unsubtracted = compare_class(o);
  CHECK(unsubtracted.flagged_pairs() == 21);
  CHECK(has_problem(unsubtracted, "", "src/stats.cpp", "no stub"));
}

TEST_CASE("a renamed copy of one function is flagged on that file and only there", "[similarity]") {
  const ClassUnderTest c(true);
  const auto r = c.compare();
  CHECK(flagged_files(r) == kPlanted);
  const auto& top = r.pairs.front();
  CHECK(top.flagged);
  // s2's histogram is lines 59-73 of its stats.cpp, s1's lines 52-66: the runs stay inside them.
  for (const auto& p : r.pairs)
    if (p.a == "s1" && p.b == "s2") {
      REQUIRE(p.files.size() == 1);
      const auto& f = p.files.front();
      CHECK(f.file == "src/stats.cpp");
      CHECK(f.share_a >= 0.4);
      REQUIRE_FALSE(f.runs.empty());
      for (const auto& run : f.runs) {
        CHECK(run.a.first >= 52);
        CHECK(run.a.last <= 66);
        CHECK(run.b.first >= 59);
        CHECK(run.b.last <= 73);
      }
    }
}

TEST_CASE("a submission that pasted a reference function is flagged against the reference", "[similarity]") {
  const ClassUnderTest c(true);
  const auto r = c.compare();
  const auto it = std::find_if(r.pairs.begin(), r.pairs.end(),
                               [](const PairSimilarity& p) { return p.a == "s3" && p.b == "reference"; });
  REQUIRE(it != r.pairs.end());
  CHECK(it->b_kind == SourceKind::reference);
  CHECK(it->flagged);
  REQUIRE(it->files.front().file == "src/words.cpp");
  CHECK(it->files.front().flagged);
}

TEST_CASE("a copy of an earlier term's submission is flagged against that term (--against)", "[similarity]") {
  ClassUnderTest c(false);
  const fs::path term = c.tmp.path() / "2024-spring";
  fs::create_directories(term);
  fs::copy(c.dir / "s1", term / "old1", fs::copy_options::recursive);
  fs::copy(c.dir / "s4", term / "old4", fs::copy_options::recursive);
  fs::remove_all(c.dir / "s4");  // s4 graduated: only s1 is in both terms
  c.options.settings.against = {term};
  const auto r = c.compare();
  CHECK(r.earlier_submissions == 2);
  CHECK(flagged_files(r) ==
        std::set<Flag>{{"s1", "2024-spring/old1", "src/stats.cpp"}, {"s1", "2024-spring/old1", "src/words.cpp"}});
  for (const auto& p : r.pairs)
    if (p.flagged) CHECK(p.b_kind == SourceKind::earlier);
}

TEST_CASE("a submission with an empty or a binary file does not break the report", "[similarity]") {
  const ClassUnderTest c(true);
  write_file_atomically(c.file("s4", "words.cpp"), "");
  std::string binary(4096, '\0');
  for (std::size_t i = 0; i < binary.size(); ++i) binary[i] = static_cast<char>((i * 37) % 256);
  write_file_atomically(c.file("s5", "stats.cpp"), binary);
  const auto r = c.compare();
  CHECK(has_problem(r, "s4", "src/words.cpp", "empty"));
  CHECK(has_problem(r, "s5", "src/stats.cpp", "binary"));
  CHECK(r.problems.size() == 2);
  CHECK(flagged_files(r) == kPlanted);
  const auto written = write_similarity_reports(r, c.options.out);
  CHECK(fs::file_size(written.at(0)) > 0);
  CHECK(fs::file_size(written.at(1)) > 0);
}

TEST_CASE("an unreadable file, a submission without the module and a missing tool are named; the rest is compared",
          "[similarity]") {
  ClassUnderTest c(true);
  SECTION("a submission without the module's files") {
    fs::create_directories(c.dir / "s7");
    write_file_atomically(c.dir / "s7" / "README.txt", "I forgot to hand it in\n");
    fs::remove(c.file("s6", "words.cpp"));
    const auto r = c.compare();
    CHECK(has_problem(r, "s7", "", "no file of module 96"));
    CHECK(has_problem(r, "s6", "src/words.cpp", "not in this submission"));
    CHECK(flagged_files(r) == kPlanted);
  }
  SECTION("a file that cannot be read") {
    if (geteuid() != 0) {  // root reads anything: the file is then taken away between intake and reading below
      fs::permissions(c.file("s6", "stats.cpp"), fs::perms::none);
      const auto r = c.compare();
      fs::permissions(c.file("s6", "stats.cpp"), fs::perms::owner_all);
      CHECK(has_problem(r, "s6", "src/stats.cpp", "unreadable"));
      CHECK(flagged_files(r) == kPlanted);
    }
    StudentFile f{"96", "src/stats.cpp", kFixture / "course" / kSrc / "stats.cpp", {}};
    for (const char* who : {"s1", "s2"}) f.sources.push_back({who, SourceKind::submission, c.file(who, "stats.cpp")});
    f.sources.push_back({"s6", SourceKind::submission, c.dir / "s6" / "gone.cpp"});
    const auto r = compare_student_file(f, c.options.settings, make_sandbox(SandboxPolicy::prefer), c.tmp.path() / "s");
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].source == "s6");
    CHECK(r.problems[0].problem.find("unreadable") != std::string::npos);
    REQUIRE(r.pairs.size() == 1);
    CHECK(r.pairs[0].similarity.flagged);
  }
  SECTION("the tool is not installed") {
    c.options.settings.tool = "sim_not_installed";
    const auto r = c.compare();
    CHECK(r.pairs.empty());
    CHECK(r.files_compared == 0);
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].problem.find("sim_not_installed is not installed (Debian package similarity-tester") !=
          std::string::npos);
    write_similarity_reports(r, c.options.out);
    CHECK(read_file(c.options.out / "similarity.html").find("sim_not_installed is not installed") != std::string::npos);
  }
}

TEST_CASE("the report: evidence not verdict, ranked pairs, escaped student text, nothing fetched", "[similarity]") {
  const ClassUnderTest c(true);
  // A student's comment that would be markup if it were not escaped, inside the copied function.
  std::string s2 = read_file(c.file("s2", "stats.cpp"));
  s2.insert(s2.find("  if (largest == smallest)"), "  // <script>alert('x')</script> & co\n");
  write_file_atomically(c.file("s2", "stats.cpp"), s2);
  const auto r = c.compare();
  write_similarity_reports(r, c.options.out);
  const auto j = nlohmann::json::parse(read_file(c.options.out / "similarity.json"));
  CHECK(j["schema"] == kSimilaritySchema);
  CHECK(j["notice"].get<std::string>().find("evidence to read, not a verdict") != std::string::npos);
  CHECK(j["flagged_pairs"] == 2);
  CHECK(j["pairs"][0]["flagged"] == true);
  CHECK(j["pairs"][0]["files"][0]["matches"][0]["a"].size() == 2);
  const std::string html = read_file(c.options.out / "similarity.html");
  CHECK(html.find(html_escape(kSimilarityNotice)) != std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co") != std::string::npos);
  CHECK(html.find("<script>alert") == std::string::npos);
  CHECK(html.find("http") == std::string::npos);  // no CDN, no link out: it works offline
  CHECK(html.find("<link") == std::string::npos);
}

TEST_CASE("scores.html links the similarity report when the batch has one", "[similarity]") {
  TempDir out("tt-similarity-gradebook");
  write_gradebook(out.path(), {}, "native");
  CHECK(read_file(out.path() / "scores.html").find("similarity.html") == std::string::npos);
  write_file_atomically(out.path() / "similarity.html", "<!doctype html>\n");
  write_gradebook(out.path(), {}, "native");
  CHECK(read_file(out.path() / "scores.html").find("href=\"similarity.html\"") != std::string::npos);
}

TEST_CASE("batch --similarity: a missing tool or an unusable folder is a message, never a throw", "[similarity]") {
  const ClassUnderTest c(true);
  BatchOptions b;
  b.grade.course_root = c.options.course_root;
  b.grade.sandbox = SandboxPolicy::prefer;
  b.dir = c.dir;
  b.out = c.options.out;
  b.similarity = c.options.settings;
  b.similarity->tool = "sim_not_installed";
  CHECK_NOTHROW(write_batch_similarity(b));
  const std::string html = read_file(c.options.out / "similarity.html");
  CHECK(html.find("apt-get install similarity-tester") != std::string::npos);
  b.dir = c.tmp.path() / "no-such-folder";
  CHECK_NOTHROW(write_batch_similarity(b));
  b.similarity.reset();  // without --similarity, nothing is written
  fs::remove(c.options.out / "similarity.html");
  write_batch_similarity(b);
  CHECK_FALSE(fs::exists(c.options.out / "similarity.html"));
}

TEST_CASE("tt-grade similarity writes both files and names what it could not compare", "[similarity]") {
  const ClassUnderTest c(true);
  Limits l;
  l.wall_seconds = 120;
  const auto p = run_process({TT_GRADE_EXE, "similarity", c.dir.string(), "--out", c.options.out.string(), "--course",
                              c.options.course_root.string(), "--allow-unsandboxed", "--similarity-threshold", "0.4"},
                             l);
  INFO(p.output);
  CHECK(p.exit_code == 0);
  CHECK(p.output.find("2 pair(s) flagged on 2 file(s)") != std::string::npos);
  CHECK(fs::exists(c.options.out / "similarity.json"));
  CHECK(fs::exists(c.options.out / "similarity.html"));
}

TEST_CASE("every planted copy of the synthetic class is flagged (similarity bench, quick)", "[similarity]") {
  const auto m = similarity_metric(TT_COURSE_ROOT, SandboxPolicy::prefer, true);
  INFO(m.dump(2));
  CHECK(m["detail"]["recall"] == 1.0);
  CHECK(m["detail"]["planted_flagged"] == m["detail"]["planted"]);
  CHECK(m["detail"]["other_pairs_flagged"] == 0);  // the independent versions are not flagged
  CHECK(m["detail"]["problems"] == 0);
}
