// Shared pieces of tt-arena's tests: scratch folders, archives made in memory (including hostile
// ones), a competition with a roster, and a server on a free loopback port.
// Not a test: the *_test.cpp files include it.
#pragma once

#include <archive.h>
#include <archive_entry.h>
#include <httplib.h>

#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tt/arena/people.hpp"
#include "tt/arena/schema.hpp"
#include "tt/arena/server.hpp"
#include "tt/arena/tokens.hpp"

namespace fx {

namespace fs = std::filesystem;

inline fs::path scratch(const std::string& name) {
  fs::path p = fs::path(TT_ARENA_TEST_TMP) / (name + "-" + tt::arena::random_hex(4));
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

struct Entry {
  std::string path, content;
  char type = 'f';  // f: file, d: directory, l: symlink (content = target)
};

// An archive in memory: zip or tar.gz.
inline std::string make_archive(const std::vector<Entry>& entries, bool zip = false) {
  archive* a = archive_write_new();
  if (zip) {
    archive_write_set_format_zip(a);
  } else {
    archive_write_set_format_pax_restricted(a);
    archive_write_add_filter_gzip(a);
  }
  std::vector<char> buf(64u << 20);
  std::size_t used = 0;
  archive_write_open_memory(a, buf.data(), buf.size(), &used);
  for (const auto& e : entries) {
    archive_entry* en = archive_entry_new();
    archive_entry_set_pathname(en, e.path.c_str());
    archive_entry_set_perm(en, 0644);
    if (e.type == 'd') {
      archive_entry_set_filetype(en, AE_IFDIR);
    } else if (e.type == 'l') {
      archive_entry_set_filetype(en, AE_IFLNK);
      archive_entry_set_symlink(en, e.content.c_str());
    } else {
      archive_entry_set_filetype(en, AE_IFREG);
      archive_entry_set_size(en, static_cast<la_int64_t>(e.content.size()));
    }
    archive_write_header(a, en);
    if (e.type == 'f') archive_write_data(a, e.content.data(), e.content.size());
    archive_entry_free(en);
  }
  archive_write_close(a);
  archive_write_free(a);
  return std::string(buf.data(), used);
}

// A valid submission: the fixture course's capstone entry (plus `salt`, so uploads differ).
inline std::string good_archive(const std::string& salt = "", bool zip = false) {
  return make_archive({{"modules/20_capstone/src/entry.cpp", "// entry " + salt + "\nint x;\n"}}, zip);
}

struct People {
  std::map<std::string, std::string> token;  // login -> token
};

inline People create(const fs::path& data, int quota = 3, int max_upload_mib = 1) {
  fs::create_directories(data);
  tt::arena::Db db(data / "arena.db");
  tt::arena::migrate(db);
  tt::arena::Competition c;
  c.title = "Test <arena>";
  c.daily_quota = quota;
  c.max_upload_bytes = static_cast<std::int64_t>(max_upload_mib) << 20;
  c.hardware_class = "";
  const auto rows = tt::arena::parse_roster(
      "login,name,role\nalice,Alice,student\nmallory,<script>alert('x')</script>,student\nprof,Prof,staff\n");
  People p;
  for (const auto& t : tt::arena::create_competition(db, c, rows)) p.token[t.person.login] = t.token;
  return p;
}

// A server on a free port over a fresh data folder.
struct Arena {
  fs::path data;
  People people;
  std::unique_ptr<tt::arena::Server> server;
  int port = 0;

  explicit Arena(const std::string& executor = "none", int quota = 3) {
    data = scratch("arena");
    people = create(data, quota);
    tt::arena::ServerOptions o;
    o.port = 0;
    o.data = data;
    o.web = TT_ARENA_WEB;
    o.executor = executor;
    o.self_exe = TT_ARENA_EXE;
    o.threads = 8;
    o.worker.course = TT_ARENA_FIXTURE_COURSE;
    o.worker.grader = "/bin/false";
    o.worker.work = data / "work";
    o.worker.command = {"python3", TT_ARENA_FAKE_GRADE, "{submission}", "{out}"};
    o.worker.lease_seconds = 4;
    server = std::make_unique<tt::arena::Server>(o);
    port = server->start();
  }
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(20);
    return c;
  }
  httplib::Headers bearer(const std::string& login) const {
    return {{"Authorization", "Bearer " + people.token.at(login)}};
  }
};

inline httplib::MultipartFormDataItems upload_form(const std::string& archive, const std::string& description,
                                                   const std::string& filename = "sub.tar.gz") {
  return {{"archive", archive, filename, "application/octet-stream"}, {"description", description, "", ""}};
}

}  // namespace fx
