// A hostile student against the grader, on the fixture course: reading the reference or a host file
// through the compiler, exhausting the compiler, archive bombs, links, looking around the sandbox,
// exhausting memory, outliving a killed batch. Each case is one TEST_CASE tagged [hostile]; the
// grader bench counts them (hostile_fixture_cases_held).
// Not unit tests of the pieces: those are in intake_test, run_test and process_test.
#include <catch2/catch.hpp>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <random>
#include <thread>

#include <archive.h>
#include <archive_entry.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "e2e_fixture.hpp"
#include "tt/grade/file_io.hpp"
#include "tt/grade/report.hpp"
#include "tt/grade/temp_dir.hpp"

using namespace tt::grade;
using namespace e2e;

namespace {

// Every report of a grade as one string (what a student or an instructor could read).
std::string all_reports(const GradeRecord& g, const fs::path& dir) {
  std::string text;
  for (const auto& p : write_reports(g, dir, {"json", "gradescope", "md"})) text += read_file(p);
  return text;
}

std::string random_token() {
  std::random_device rd;
  std::mt19937_64 gen(rd());
  return "tt-secret-" + std::to_string(gen());
}

// Processes whose command line mentions `needle` (other than this test process).
std::vector<std::string> processes_mentioning(const std::string& needle) {
  std::vector<std::string> found;
  for (const auto& e : fs::directory_iterator("/proc")) {
    const std::string pid = e.path().filename().string();
    if (pid.find_first_not_of("0123456789") != std::string::npos || pid == std::to_string(getpid())) continue;
    std::ifstream in(e.path() / "cmdline", std::ios::binary);
    std::string cmd((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (auto& c : cmd)
      if (c == '\0') c = ' ';
    if (cmd.find(needle) != std::string::npos) found.push_back(pid + ": " + cmd.substr(0, 200));
  }
  return found;
}

GradeRecord grade_file(const fs::path& sub, const std::string& file_text, const std::string& module = "99") {
  write(sub / "modules/99_arith/src/arith.cpp", file_text);
  auto o = options_for(sub);
  o.modules = {module};
  o.perf = false;
  return grade_submission(o);
}

// A zip of `entries` files of `mib` MiB of zeros each, made in milliseconds: deflate blocks ended by
// a full flush restart with an empty history, so one compressed MiB of zeros repeats exactly.
void write_zip_bomb(const fs::path& out, int entries, int mib) {
  const std::string zeros(1 << 20, '\0');
  z_stream z{};
  REQUIRE(deflateInit2(&z, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string block(1 << 16, '\0'), tail(64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zeros.data()));
  z.avail_in = static_cast<uInt>(zeros.size());
  z.next_out = reinterpret_cast<Bytef*>(block.data());
  z.avail_out = static_cast<uInt>(block.size());
  REQUIRE(deflate(&z, Z_FULL_FLUSH) == Z_OK);
  block.resize(block.size() - z.avail_out);
  z.next_out = reinterpret_cast<Bytef*>(tail.data());
  z.avail_out = static_cast<uInt>(tail.size());
  REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
  tail.resize(tail.size() - z.avail_out);
  deflateEnd(&z);
  const uLong mib_crc = crc32(0, reinterpret_cast<const Bytef*>(zeros.data()), static_cast<uInt>(zeros.size()));
  uLong crc = 0;
  const long mibs = mib;
  for (long i = 0; i < mibs; ++i) crc = crc32_combine(crc, mib_crc, 1 << 20);
  const std::uint32_t csize = static_cast<std::uint32_t>(block.size() * mibs + tail.size());
  const std::uint32_t usize = static_cast<std::uint32_t>((std::uint64_t{1} << 20) * mib);  // < 4 GiB: no zip64
  std::ofstream f(out, std::ios::binary);
  auto u16 = [&](std::uint16_t v) { f.put(char(v & 0xff)).put(char(v >> 8)); };
  auto u32 = [&](std::uint32_t v) { u16(std::uint16_t(v & 0xffff)), u16(std::uint16_t(v >> 16)); };
  std::vector<std::uint32_t> offsets;
  for (int e = 0; e < entries; ++e) {
    const std::string name = "zeros" + std::to_string(e) + ".bin";
    offsets.push_back(static_cast<std::uint32_t>(f.tellp()));
    u32(0x04034b50), u16(20), u16(0), u16(8), u16(0), u16(0x21), u32(std::uint32_t(crc)), u32(csize), u32(usize);
    u16(std::uint16_t(name.size())), u16(0);
    f << name;
    for (long i = 0; i < mibs; ++i) f << block;
    f << tail;
  }
  const auto cd_start = static_cast<std::uint32_t>(f.tellp());
  for (int e = 0; e < entries; ++e) {
    const std::string name = "zeros" + std::to_string(e) + ".bin";
    u32(0x02014b50), u16(20), u16(20), u16(0), u16(8), u16(0), u16(0x21), u32(std::uint32_t(crc)), u32(csize);
    u32(usize), u16(std::uint16_t(name.size())), u16(0), u16(0), u16(0), u16(0), u32(0), u32(offsets[e]);
    f << name;
  }
  const auto cd_size = static_cast<std::uint32_t>(f.tellp()) - cd_start;
  u32(0x06054b50), u16(0), u16(0), u16(std::uint16_t(entries)), u16(std::uint16_t(entries)), u32(cd_size);
  u32(cd_start), u16(0);
}

void write_many_files_tar(const fs::path& out, int files) {
  archive* a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  archive_write_add_filter_gzip(a);
  REQUIRE(archive_write_open_filename(a, out.c_str()) == ARCHIVE_OK);
  archive_entry* e = archive_entry_new();
  for (int i = 0; i < files; ++i) {
    archive_entry_clear(e);
    archive_entry_set_pathname(e, ("d/f" + std::to_string(i)).c_str());
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, 0);
    archive_write_header(a, e);
  }
  archive_entry_free(e);
  archive_write_close(a);
  archive_write_free(a);
}

}  // namespace

TEST_CASE(
    "a student file that includes the reference by absolute or relative path gets no points and no reference text",
    "[e2e][hostile]") {
  const std::string reference = read_file(kCourse / "solutions/99_arith/src/arith.cpp");
  const std::string how = GENERATE(std::string("absolute"), std::string("relative to the include folder"));
  CAPTURE(how);
  TempDir tmp("tt-hostile");
  const std::string path = how == "absolute" ? (kCourse / "solutions/99_arith/src/arith.cpp").string()
                                             : "../../../solutions/99_arith/src/arith.cpp";
  const auto g = grade_file(tmp.path() / "eve", "#include \"" + path + "\"\n");
  REQUIRE(g.status == GradeStatus::graded);
  const auto& m = module_of(g, "99");
  CHECK(m.build_status == BuildStatus::failed);
  CHECK(m.score == 0);
  CHECK_THAT(m.build_errors, Catch::Contains("No such file or directory"));
  const std::string reports = all_reports(g, tmp.path() / "out");
  // The reference's one distinctive line must appear nowhere.
  CHECK(reports.find("return a + b;") == std::string::npos);
  CHECK(reports.find(reference) == std::string::npos);
}

TEST_CASE("a student file that includes a host file outside the course never shows its text", "[e2e][hostile]") {
  TempDir tmp("tt-hostile");
  const std::string token = random_token();
  const fs::path secret = tmp.path() / "instructor-secret.txt";
  write(secret, token + "\n");
  const auto g = grade_file(tmp.path() / "eve", "#include \"" + secret.string() + "\"\n#include \"/etc/passwd\"\n");
  REQUIRE(g.status == GradeStatus::graded);
  CHECK(module_of(g, "99").build_status == BuildStatus::failed);
  const std::string reports = all_reports(g, tmp.path() / "out");
  CHECK(reports.find(token) == std::string::npos);
  CHECK(reports.find("root:x:0:0") == std::string::npos);
}

TEST_CASE("a preprocessor bomb is stopped by the compiler's memory limit, reported, and leaves no process",
          "[e2e][hostile]") {
  TempDir tmp("tt-hostile");
  std::string bomb = "#define A0 x+\n";
  for (int i = 1; i < 40; ++i)
    bomb += "#define A" + std::to_string(i) + " A" + std::to_string(i - 1) + " A" + std::to_string(i - 1) + "\n";
  bomb += "namespace fixture { int add(int x, int) { return A34 0; } int mul(int a, int b) { return a * b; } }\n";
  write(tmp.path() / "eve/modules/99_arith/src/arith.cpp", bomb);
  auto o = options_for(tmp.path() / "eve");
  o.modules = {"99"};
  o.perf = false;
  o.build_memory_mib = 768;  // the default is 2 GiB; a smaller limit keeps the test quick
  const auto g = grade_submission(o);
  REQUIRE(g.status == GradeStatus::graded);
  const auto& m = module_of(g, "99");
  CHECK(m.build_status == BuildStatus::stopped);
  CHECK_THAT(m.build_errors, Catch::Contains("compile stopped by a limit: exceeded the 768 MiB memory limit"));
  CHECK_THAT(m.build_errors, Catch::Contains("99_arith/src/arith.cpp"));
  // No compiler of this grade is left: their command lines name the slot (other builds on the
  // machine may run compilers of their own).
  CHECK(processes_mentioning(o.work_root.string()).empty());
}

TEST_CASE("a 10 GiB zip bomb and a 200,000-file archive are refused within bounded time and disk", "[e2e][hostile]") {
  TempDir tmp("tt-hostile");
  const fs::path zip = tmp.path() / "bomb.zip", tar = tmp.path() / "many.tar.gz";
  write_zip_bomb(zip, 10240, 1);  // 10 GiB in 1 MiB files (each under the per-file limit)
  write_many_files_tar(tar, 200000);
  CHECK(fs::file_size(zip) < (64u << 20));
  for (const auto& [archive, problem] :
       {std::pair{zip, std::string("unpacks to more than")}, std::pair{tar, std::string("more than 20000 entries")}}) {
    CAPTURE(archive.filename());
    TempDir scratch("tt-hostile-scratch");
    // Bounded time follows from bounded work: intake stops at the byte and entry caps checked here.
    const auto intake = intake_submission(archive, discover_modules(kCourse), kCourse, scratch.path());
    std::uintmax_t bytes = 0, files = 0;
    for (const auto& e : fs::recursive_directory_iterator(scratch.path()))
      if (e.is_regular_file()) bytes += e.file_size(), ++files;
    CHECK(bytes <= (64u << 20));
    CHECK(files <= 20000);
    bool said = false;
    for (const auto& p : intake.problems) said |= p.find(problem) != std::string::npos;
    CHECK(said);
    // A whole grade of it: score 0 and the sentence in the report.
    auto o = options_for(archive);
    o.modules = {"99"};
    o.perf = false;
    const auto g = grade_submission(o);
    CHECK(g.score == 0);
    CHECK_THAT(all_reports(g, tmp.path() / ("out-" + archive.stem().string())), Catch::Contains(problem));
  }
}

TEST_CASE("a symlinked student file is refused, not followed", "[e2e][hostile]") {
  TempDir tmp("tt-hostile");
  const std::string token = random_token();
  write(tmp.path() / "outside.cpp", "// " + token + "\n" + read_file(kCourse / "solutions/99_arith/src/arith.cpp"));
  fs::create_directories(tmp.path() / "eve/modules/99_arith/src");
  fs::create_symlink(tmp.path() / "outside.cpp", tmp.path() / "eve/modules/99_arith/src/arith.cpp");
  auto o = options_for(tmp.path() / "eve");
  o.modules = {"99"};
  o.perf = false;
  const auto g = grade_submission(o);
  REQUIRE(g.status == GradeStatus::graded);
  CHECK(module_of(g, "99").score == 0);  // the stub was graded instead
  bool refused = false;
  for (const auto& i : g.intake.ignored)
    refused |= i.path == "modules/99_arith/src/arith.cpp" && i.reason.find("link") != std::string::npos;
  CHECK(refused);
  CHECK(all_reports(g, tmp.path() / "out").find(token) == std::string::npos);
}

TEST_CASE("a test that prints its environment and mounts sees nothing of the host beyond the documented set",
          "[e2e][hostile]") {
  if (!bubblewrap_usable()) {
    WARN("bubblewrap is not usable here: " << bubblewrap_problem());
    return;
  }
  TempDir tmp("tt-hostile");
  const auto g = grade_file(tmp.path() / "eve", R"(#include "arith.hpp"
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <unistd.h>
extern char** environ;
static std::string slurp(const char* p) {
  std::ifstream in(p, std::ios::binary);
  std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (auto& c : s) if (c == '\0') c = ' ';
  return s;
}
namespace fixture {
int add(int a, int b) {
  for (char** e = environ; *e; ++e) std::cout << "ENV " << *e << "\n";
  char buf[4096] = {};
  std::cout << "EXE " << (readlink("/proc/self/exe", buf, sizeof buf - 1) > 0 ? buf : "?") << "\n";
  std::cout << "CWD " << (getcwd(buf, sizeof buf) ? buf : "?") << "\n";
  gethostname(buf, sizeof buf);
  std::cout << "HOST " << buf << "\n";
  std::cout << "PID1 " << slurp("/proc/1/cmdline") << "\n";
  std::cout << "MOUNTS\n" << slurp("/proc/self/mountinfo") << "\n";
  std::cout << "PASSWD " << slurp("/etc/passwd") << "\n";
  return a + b;
}
int mul(int a, int b) { return a * b; }
}  // namespace fixture
)");
  REQUIRE(g.status == GradeStatus::graded);
  const auto& t = test_named(g, "99", "add handles negative numbers");
  const std::string out = t.outcome.output;
  INFO(out);
  REQUIRE(out.find("MOUNTS") != std::string::npos);
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  std::vector<std::string> host_paths{kCourse.string(), TT_E2E_WORK_DIR, fs::current_path().string(), TT_GRADE_EXE};
  if (std::string(host).size() >= 6) host_paths.emplace_back(host);  // a short name could be any word
  for (const auto& host_path : host_paths) {
    CAPTURE(host_path);
    CHECK(out.find(host_path) == std::string::npos);
  }
  if (const char* home = std::getenv("HOME"); home && std::string(home) != "/" && std::string(home) != "/tmp")
    CHECK(out.find(std::string(home) + "/") == std::string::npos);
  // The environment is exactly the documented set.
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("ENV ", 0) != 0) continue;
    const std::string key = line.substr(4, line.find('=') - 4);
    CAPTURE(line);
    CHECK((key == "PATH" || key == "HOME" || key == "TMPDIR" || key == "LANG" || key == "PWD" || key == "TT_DATA_DIR"));
  }
  CHECK_THAT(out, Catch::Contains("HOST tt-sandbox"));
  CHECK_THAT(out, Catch::Contains("EXE /tt/bin/"));
  CHECK_THAT(out, Catch::Contains("CWD /tt/out"));
  CHECK(out.find("root:") == std::string::npos);  // no /etc/passwd: no user names
}

TEST_CASE("a static initializer that touches 4 GiB fails the tests with a memory-limit reason", "[e2e][hostile]") {
  TempDir tmp("tt-hostile");
  const auto g = grade_file(tmp.path() / "eve", R"(#include "arith.hpp"
#include <vector>
static std::vector<char> hoard(std::size_t{4} << 30, 1);
namespace fixture {
int add(int a, int b) { return a + b + hoard[0] - 1; }
int mul(int a, int b) { return a * b; }
}  // namespace fixture
)");
  REQUIRE(g.status == GradeStatus::graded);
  const auto& t = test_named(g, "99", "add handles negative numbers");
  CHECK(t.outcome.status == Status::crashed);
  CHECK_THAT(t.outcome.reason, Catch::StartsWith("crashed: out of memory"));
  CHECK(module_of(g, "99").score == 0);
}

// A test process of the fixture course's module 99 inside the sandbox (the real course has no
// module 99, so a grade of it running beside, such as ./scripts/test's grader benchmark, is not
// counted; the fixture's end-to-end grades run one after another in one ctest entry).
constexpr const char* kFixtureTestsInSandbox = "/tt/bin/m99_tests_";

TEST_CASE("a batch killed with SIGKILL leaves no child grading", "[e2e][hostile]") {
  TempDir tmp("tt-hostile");
  const fs::path subs = tmp.path() / "subs", out = tmp.path() / "out";
  // A submission whose tests run for their whole timeout keeps the child busy.
  write(subs / "slow/modules/99_arith/src/arith.cpp",
        "#include \"arith.hpp\"\nnamespace fixture { int add(int a, int b) { for (volatile int i = 0;; i = i + 1) {} "
        "return a + b; } int mul(int a, int b) { for (volatile int i = 0;; i = i + 1) {} return a * b; } }\n");
  const pid_t batch = fork();
  REQUIRE(batch >= 0);
  if (batch == 0) {
    setenv("TT_FIXTURE_CATCH_MAIN_OBJ", TT_CATCH_MAIN_OBJ, 1);
    execl(TT_GRADE_EXE, TT_GRADE_EXE, "batch", subs.c_str(), "--out", out.c_str(), "--course", kCourse.c_str(),
          "--work", TT_E2E_WORK_DIR, "--module", "99", "--no-perf", "--timeout", "30", "--test-jobs", "1",
          static_cast<char*>(nullptr));
    _exit(127);
  }
  // Wait until the child grade runs the tests (its report folder is locked and a test process lives).
  bool running = false;
  for (int i = 0; i < 600 && !running; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    running = fs::exists(out / "slow/.grading.lock") && !processes_mentioning(kFixtureTestsInSandbox).empty();
  }
  REQUIRE(running);
  kill(batch, SIGKILL);
  waitpid(batch, nullptr, 0);
  std::vector<std::string> left;
  for (int i = 0; i < 50; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    left = processes_mentioning(out.string());
    for (const auto& p : processes_mentioning(kFixtureTestsInSandbox)) left.push_back(p);
    if (left.empty()) break;
  }
  INFO("left running:\n"
       << [&] {
            std::string s;
            for (const auto& l : left) s += l + "\n";
            return s;
          }());
  CHECK(left.empty());
}
