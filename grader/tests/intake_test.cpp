// Tests of intake.hpp: hostile archives are refused entry by entry, student files are found in
// every submission layout, everything else is reported as ignored.
#include <catch2/catch.hpp>

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <fstream>

#include "e2e_fixture.hpp"
#include "tt/grade/intake.hpp"
#include "tt/grade/temp_dir.hpp"

using namespace tt::grade;
using e2e::write;
namespace fs = std::filesystem;

namespace {

struct Entry {
  std::string path;
  std::string contents;
  std::string link_target;  // non-empty: a symlink
};

void write_archive(const fs::path& out, const std::vector<Entry>& entries, bool zip) {
  archive* a = archive_write_new();
  if (zip) {
    archive_write_set_format_zip(a);
  } else {
    archive_write_set_format_pax_restricted(a);
    archive_write_add_filter_gzip(a);
  }
  REQUIRE(archive_write_open_filename(a, out.c_str()) == ARCHIVE_OK);
  for (const auto& e : entries) {
    archive_entry* en = archive_entry_new();
    archive_entry_set_pathname(en, e.path.c_str());
    if (!e.link_target.empty()) {
      archive_entry_set_filetype(en, AE_IFLNK);
      archive_entry_set_symlink(en, e.link_target.c_str());
      archive_entry_set_perm(en, 0777);
      archive_entry_set_size(en, 0);
    } else {
      archive_entry_set_filetype(en, AE_IFREG);
      archive_entry_set_perm(en, 0644);
      archive_entry_set_size(en, static_cast<la_int64_t>(e.contents.size()));
    }
    archive_write_header(a, en);
    if (e.link_target.empty()) archive_write_data(a, e.contents.data(), e.contents.size());
    archive_entry_free(en);
  }
  archive_write_close(a);
  archive_write_free(a);
}

// Two fixture modules so that flat and ambiguous layouts can be told apart.
std::vector<Manifest> modules() {
  Manifest a;
  a.id = "99";
  a.name = "99_fixture";
  a.student_files = {"src/arith.cpp"};
  Manifest b;
  b.id = "98";
  b.name = "98_other";
  b.student_files = {"src/other.cpp", "src/shared_name.cpp"};
  Manifest c;
  c.id = "97";
  c.name = "97_third";
  c.student_files = {"src/shared_name.cpp"};
  return {a, b, c};
}

bool ignored_with(const IntakeResult& r, const std::string& path, const std::string& reason_part) {
  return std::any_of(r.ignored.begin(), r.ignored.end(), [&](const Ignored& i) {
    return i.path == path && i.reason.find(reason_part) != std::string::npos;
  });
}

bool problem_with(const IntakeResult& r, const std::string& part) {
  return std::any_of(r.problems.begin(), r.problems.end(),
                     [&](const std::string& p) { return p.find(part) != std::string::npos; });
}

}  // namespace

TEST_CASE("an archive with '..', absolute paths and links out keeps only its safe files") {
  const bool zip = GENERATE(true, false);
  CAPTURE(zip);
  TempDir tmp("tt-intake-test");
  const fs::path arch = tmp.path() / (zip ? "sub.zip" : "sub.tar.gz");
  write_archive(arch,
                {{"modules/99_fixture/src/arith.cpp", "int x;", ""},
                 {"../../evil.cpp", "pwned", ""},
                 {"modules/../../evil2.cpp", "pwned", ""},
                 {"/tmp/tt-grade-absolute-evil.cpp", "pwned", ""},
                 {"modules/98_other/src/other.cpp", "", "/etc/passwd"}},
                zip);
  fs::create_directories(tmp.path() / "scratch");
  const auto r = intake_submission(arch, modules(), tmp.path() / "nocourse", tmp.path() / "scratch");
  CHECK(r.kind == "archive");
  REQUIRE(r.files.count("99_fixture"));
  CHECK(r.files.at("99_fixture").count("src/arith.cpp"));
  CHECK_FALSE(r.files.count("98_other"));
  CHECK(problem_with(r, "'..' in the path"));
  CHECK(problem_with(r, "absolute path"));
  CHECK(ignored_with(r, "modules/98_other/src/other.cpp", "link"));
  CHECK_FALSE(fs::exists(tmp.path() / "evil.cpp"));
  CHECK_FALSE(fs::exists(tmp.path().parent_path() / "evil.cpp"));
  CHECK_FALSE(fs::exists("/tmp/tt-grade-absolute-evil.cpp"));
}

TEST_CASE("an empty archive is a reported problem, not a crash") {
  TempDir tmp("tt-intake-test");
  const fs::path arch = tmp.path() / "empty.tar.gz";
  write_archive(arch, {}, false);
  const auto r = intake_submission(arch, modules(), tmp.path(), tmp.path());
  CHECK(r.files.empty());
  CHECK(problem_with(r, "no files"));
}

TEST_CASE("a file that is not an archive is a reported problem") {
  TempDir tmp("tt-intake-test");
  write(tmp.path() / "fake.zip", "this is not a zip");
  const auto r = intake_submission(tmp.path() / "fake.zip", modules(), tmp.path(), tmp.path());
  CHECK(r.files.empty());
  CHECK_FALSE(r.problems.empty());
}

TEST_CASE("size and count limits stop an archive bomb") {
  TempDir tmp("tt-intake-test");
  const fs::path arch = tmp.path() / "big.zip";
  write_archive(arch,
                {{"modules/99_fixture/src/arith.cpp", std::string(5000, 'x'), ""},
                 {"a.txt", std::string(900, 'y'), ""},
                 {"b.txt", std::string(900, 'y'), ""},
                 {"c.txt", std::string(900, 'y'), ""}},
                true);
  IntakeLimits limits;
  limits.max_file_bytes = 1000;
  limits.max_total_bytes = 2000;
  fs::create_directories(tmp.path() / "s");
  const auto r = intake_submission(arch, modules(), tmp.path(), tmp.path() / "s", limits);
  CHECK(r.files.empty());
  CHECK(ignored_with(r, "modules/99_fixture/src/arith.cpp", "larger than"));
  CHECK(problem_with(r, "unpacks to more than 2000 bytes"));
  limits = {};
  limits.max_files = 2;
  fs::create_directories(tmp.path() / "s2");
  CHECK(problem_with(intake_submission(arch, modules(), tmp.path(), tmp.path() / "s2", limits), "more than 2 entries"));
}

TEST_CASE("student files are found in every layout") {
  TempDir tmp("tt-intake-test");
  const fs::path course = tmp.path() / "course";
  write(course / "modules/99_fixture/tests/arith_test.cpp", "official");
  SECTION("a modules/ tree inside a wrapper folder, with a modified test file") {
    const fs::path sub = tmp.path() / "alice";
    write(sub / "alice-hw/modules/99_fixture/src/arith.cpp", "mine");
    write(sub / "alice-hw/modules/99_fixture/tests/arith_test.cpp", "CHECK(true);");
    write(sub / "alice-hw/notes.txt", "hello");
    const auto r = intake_submission(sub, modules(), course, tmp.path());
    CHECK(r.files.at("99_fixture").at("src/arith.cpp") ==
          fs::absolute(sub / "alice-hw/modules/99_fixture/src/arith.cpp"));
    CHECK(ignored_with(r, "alice-hw/modules/99_fixture/tests/arith_test.cpp", "modified course file"));
    CHECK(ignored_with(r, "alice-hw/notes.txt", "not a student file"));
  }
  SECTION("a whole checkout grades modules/, not solutions/") {
    const fs::path sub = tmp.path() / "checkout";
    write(sub / "modules/99_fixture/src/arith.cpp", "stub");
    write(sub / "solutions/99_fixture/src/arith.cpp", "reference");
    write(sub / "build/modules/99_fixture/src/arith.cpp", "copy in a build dir");
    const auto r = intake_submission(sub, modules(), course, tmp.path());
    CHECK(r.files.at("99_fixture").at("src/arith.cpp") == fs::absolute(sub / "modules/99_fixture/src/arith.cpp"));
  }
  SECTION("solutions/ itself") {
    const fs::path sub = tmp.path() / "solutions";
    write(sub / "99_fixture/src/arith.cpp", "reference");
    const auto r = intake_submission(sub, modules(), course, tmp.path());
    CHECK(r.files.at("99_fixture").count("src/arith.cpp"));
  }
  SECTION("flat files, where the name is unambiguous") {
    const fs::path sub = tmp.path() / "flat";
    write(sub / "arith.cpp", "a");
    write(sub / "src/other.cpp", "b");
    write(sub / "shared_name.cpp", "ambiguous between two modules");
    const auto r = intake_submission(sub, modules(), course, tmp.path());
    CHECK(r.files.at("99_fixture").count("src/arith.cpp"));
    CHECK(r.files.at("98_other").count("src/other.cpp"));
    CHECK_FALSE(r.files.at("98_other").count("src/shared_name.cpp"));
    CHECK_FALSE(r.files.count("97_third"));
  }
  SECTION("a symlink that leaves the submission is not followed") {
    const fs::path sub = tmp.path() / "links";
    fs::create_directories(sub / "modules/99_fixture/src");
    write(tmp.path() / "outside.cpp", "secret");
    fs::create_symlink(tmp.path() / "outside.cpp", sub / "modules/99_fixture/src/arith.cpp");
    fs::create_directory_symlink("/etc", sub / "modules/98_other");
    const auto r = intake_submission(sub, modules(), course, tmp.path());
    CHECK(r.files.empty());
    CHECK(ignored_with(r, "modules/99_fixture/src/arith.cpp", "link"));
    CHECK(ignored_with(r, "modules/98_other", "link"));
  }
}
