// Archive checks on hostile input, and the content-addressed store.
// Not the grader's intake (it has its own hostile tests): these are the server's first line.
#include "tt/arena/uploads.hpp"
#include "arena_fixture.hpp"

using namespace tt::arena;

namespace {
const std::vector<std::string> kFiles{"20_capstone/src/entry.cpp"};
}

TEST_CASE("check_archive accepts a zip or a tar.gz holding a student file", "[unit]") {
  auto r = check_archive(fx::good_archive(), kFiles);
  CHECK(r.ok);
  CHECK(r.ext == ".tar.gz");
  r = check_archive(fx::good_archive("", true), kFiles);
  CHECK(r.ok);
  CHECK(r.ext == ".zip");
}

TEST_CASE("check_archive refuses traversal, absolute paths, links, empty and foreign archives", "[unit][hostile]") {
  const auto refused = [](const std::string& bytes, const char* why) {
    const auto r = check_archive(bytes, kFiles);
    CHECK_FALSE(r.ok);
    CHECK_THAT(r.error, Catch::Contains(why));
  };
  refused(fx::make_archive({{"../../etc/passwd", "x"}, {"modules/20_capstone/src/entry.cpp", "x"}}), "unsafe path");
  refused(fx::make_archive({{"modules/../../x/20_capstone/src/entry.cpp", "x"}}), "unsafe path");
  refused(fx::make_archive({{"/abs/20_capstone/src/entry.cpp", "x"}}, true), "unsafe path");
  refused(fx::make_archive({{"modules/20_capstone/src/entry.cpp", "/etc/passwd", 'l'}}), "link");
  refused(fx::make_archive({}), "empty");
  refused(fx::make_archive({{"modules/README.md", "hi"}}), "none of the student files");
  refused("this is not an archive at all", "not a .zip");
  std::string cut = fx::good_archive(std::string(5000, 'x'));
  cut.resize(cut.size() / 2);
  CHECK_FALSE(check_archive(cut, kFiles).ok);
  ArchiveLimits tiny;
  tiny.max_unpacked_bytes = 10;
  CHECK_THAT(check_archive(fx::good_archive(std::string(100, 'y')), kFiles, tiny).error, Catch::Contains("unpacks"));
}

TEST_CASE("store_upload is content-addressed and leaves no partial file", "[unit]") {
  const auto dir = fx::scratch("store");
  const std::string bytes = fx::good_archive("a");
  const auto sha = store_upload(dir, bytes, ".tar.gz");
  CHECK(sha == sha256_hex(bytes));
  CHECK(std::filesystem::file_size(upload_path(dir, sha, ".tar.gz")) == bytes.size());
  CHECK(store_upload(dir, bytes, ".tar.gz") == sha);
  std::ofstream(dir / "ab.partial") << "half";
  sweep_partial_uploads(dir);
  CHECK_FALSE(std::filesystem::exists(dir / "ab.partial"));
  CHECK(course_student_files(TT_ARENA_FIXTURE_COURSE).size() >= 1);
}
