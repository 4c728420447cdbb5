// tt-grade submit: pack, upload (multipart over a plain HTTP/1.1 socket, or curl for https), and
// follow the job. Not a general HTTP client: one request per connection, Content-Length bodies.
#include "tt/grade/submit.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "tt/grade/file_io.hpp"
#include "tt/grade/intake.hpp"
#include "tt/grade/manifest.hpp"
#include "tt/grade/process.hpp"
#include "tt/grade/temp_dir.hpp"

namespace tt::grade {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct Reply {
  int status = 0;
  std::string body;
};

// One HTTP/1.1 request to http://host[:port]; the whole reply.
Reply http_request(const std::string& url, const std::string& method, const std::string& path,
                   const std::string& headers, const std::string& body) {
  std::string rest = url.substr(7);
  rest = rest.substr(0, rest.find('/'));
  const auto colon = rest.find(':');
  const std::string host = rest.substr(0, colon), port = colon == std::string::npos ? "80" : rest.substr(colon + 1);
  addrinfo hints{}, *res = nullptr;
  hints.ai_socktype = SOCK_STREAM;
  if (getaddrinfo(host.c_str(), port.c_str(), &hints, &res) != 0 || !res)
    throw std::runtime_error("cannot resolve " + host);
  const int fd = socket(res->ai_family, res->ai_socktype, res->ai_protocol);
  if (fd < 0 || connect(fd, res->ai_addr, res->ai_addrlen) != 0) {
    freeaddrinfo(res);
    if (fd >= 0) close(fd);
    throw std::runtime_error("cannot connect to " + url + " (is the arena running?)");
  }
  freeaddrinfo(res);
  const std::string req = method + " " + path + " HTTP/1.1\r\nHost: " + rest + "\r\nConnection: close\r\n" + headers +
                          "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  for (std::size_t done = 0; done < req.size();) {
    const ssize_t n = send(fd, req.data() + done, req.size() - done, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may answer early (413) and close
    done += static_cast<std::size_t>(n);
  }
  std::string all;
  char buf[65536];
  for (ssize_t n; (n = recv(fd, buf, sizeof buf, 0)) > 0;) all.append(buf, static_cast<std::size_t>(n));
  close(fd);
  Reply r;
  if (all.size() < 12) throw std::runtime_error("no answer from " + url);
  r.status = std::stoi(all.substr(9, 3));
  const auto end = all.find("\r\n\r\n");
  r.body = end == std::string::npos ? "" : all.substr(end + 4);
  if (all.find("Transfer-Encoding: chunked") != std::string::npos) {  // de-chunk
    std::string out;
    for (std::size_t pos = 0;;) {
      const auto nl = r.body.find("\r\n", pos);
      if (nl == std::string::npos) break;
      const std::size_t len = std::stoul(r.body.substr(pos, nl - pos), nullptr, 16);
      if (len == 0) break;
      out += r.body.substr(nl + 2, len);
      pos = nl + 2 + len + 2;
    }
    r.body = out;
  }
  return r;
}

std::string message_of(const Reply& r) {
  const json j = json::parse(r.body, nullptr, false);
  if (j.is_object() && j.contains("error")) return j["error"].value("message", r.body);
  return r.body.substr(0, 300);
}

Reply upload(const SubmitOptions& o, const std::string& archive, const std::string& filename) {
  if (o.server.rfind("https://", 0) == 0) {  // TLS: curl does it (the token goes in a private file)
    TempDir tmp("tt-submit");
    write_file_atomically(tmp.path() / filename, archive);
    write_file_atomically(tmp.path() / "auth", "Authorization: Bearer " + o.token + "\n");
    write_file_atomically(tmp.path() / "description", o.description);
    Limits limits;
    limits.wall_seconds = 300;
    const auto p = run_process({"curl", "-sS", "-w", "\n%{http_code}", "-H", "@" + (tmp.path() / "auth").string(), "-F",
                                "archive=@" + (tmp.path() / filename).string(), "-F",
                                "description=<" + (tmp.path() / "description").string(), o.server + "/api/submissions"},
                               limits);
    if (!p.started || p.exit_code != 0) throw std::runtime_error("curl failed: " + first_lines(p.output, 5));
    const auto nl = p.output.find_last_of('\n');
    return {std::stoi(p.output.substr(nl + 1)), p.output.substr(0, nl)};
  }
  if (o.server.rfind("http://", 0) != 0) throw std::runtime_error("--server must start with http:// or https://");
  const std::string boundary =
      "tt-grade-submit-" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
  std::string body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\n" +
                     o.description + "\r\n--" + boundary +
                     "\r\nContent-Disposition: form-data; name=\"archive\"; filename=\"" + filename +
                     "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + archive + "\r\n--" + boundary + "--\r\n";
  return http_request(
      o.server, "POST", "/api/submissions",
      "Authorization: Bearer " + o.token + "\r\nContent-Type: multipart/form-data; boundary=" + boundary + "\r\n",
      body);
}

}  // namespace

std::string pack_student_files(const fs::path& dir, const fs::path& course_root) {
  std::vector<std::pair<std::string, fs::path>> files;  // name in the archive, file
  for (const auto& m : discover_modules(course_root))
    for (const auto& f : m.student_files)
      for (const fs::path& base : {dir / "modules" / m.name, dir / m.name})
        if (fs::is_regular_file(base / f)) {
          files.emplace_back("modules/" + m.name + "/" + f, base / f);
          break;
        }
  if (files.empty())
    throw std::runtime_error("no student files under " + dir.string() +
                             " (expected e.g. modules/20_capstone/src/entry.cpp); pass your checkout or modules/");
  archive* a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  archive_write_add_filter_gzip(a);
  std::string out;
  archive_write_open(
      a, &out, nullptr,
      [](archive*, void* s, const void* buf, size_t n) -> la_ssize_t {
        static_cast<std::string*>(s)->append(static_cast<const char*>(buf), n);
        return static_cast<la_ssize_t>(n);
      },
      nullptr);
  for (const auto& [name, path] : files) {
    const std::string data = read_file(path);
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, name.c_str());
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, static_cast<la_int64_t>(data.size()));
    archive_write_header(a, e);
    archive_write_data(a, data.data(), data.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
  return out;
}

void add_submit_subcommand(CLI::App& app, SubmitOptions& o) {
  auto* s = app.add_subcommand("submit", "upload a submission to a tt-arena competition server");
  s->add_option("path", o.path, "your checkout, modules/ folder, or a .zip/.tar.gz")->required();
  s->add_option("--server", o.server, "the arena's address, e.g. http://127.0.0.1:8080")->required();
  s->add_option("--token", o.token, "your token (default: $TT_ARENA_TOKEN)")->envname("TT_ARENA_TOKEN")->required();
  s->add_option("--description,-d", o.description, "your method in a sentence or two (required by the arena)")
      ->required();
  s->add_option("--course", o.course_root, "the course tree whose module.json files list the student files");
  s->add_flag("--wait", o.wait, "follow the job until it ends");
}

int run_submit(const SubmitOptions& o) {
  const bool is_file = fs::is_regular_file(o.path) && is_archive(o.path);
  const std::string archive = is_file ? read_file(o.path) : pack_student_files(o.path, o.course_root);
  const std::string filename = is_file ? o.path.filename().string() : "submission.tar.gz";
  std::cerr << "tt-grade submit: uploading " << archive.size() / 1024 << " KiB to " << o.server << "\n";
  const Reply r = upload(o, archive, filename);
  if (r.status != 201) {
    std::cerr << "tt-grade submit: refused (HTTP " << r.status << "): " << message_of(r) << "\n";
    return 1;
  }
  const json j = json::parse(r.body);
  const auto job = j.at("job_id").get<long>();
  std::cout << "submitted: submission " << j.at("submission_id") << ", job " << job << ", position "
            << j.value("position", 0) + 1 << " in the queue\n";
  if (!o.wait || o.server.rfind("http://", 0) != 0) return 0;
  std::string last;
  while (true) {
    const Reply s = http_request(o.server, "GET", "/api/jobs/" + std::to_string(job),
                                 "Authorization: Bearer " + o.token + "\r\n", "");
    const json st = json::parse(s.body, nullptr, false);
    if (s.status != 200 || !st.is_object()) {
      std::cerr << "tt-grade submit: " << message_of(s) << "\n";
      return 1;
    }
    const std::string state = st.value("state", "?");
    if (state != last)
      std::cout << "job " << job << ": " << state
                << (st.contains("position") ? " (position " + std::to_string(st["position"].get<int>() + 1) + ")" : "")
                << "\n";
    last = state;
    if (state != "queued" && state != "running") {
      if (!st.value("error", "").empty()) std::cout << st["error"].get<std::string>() << "\n";
      return state == "done" ? 0 : 1;
    }
    std::this_thread::sleep_for(std::chrono::seconds(2));
  }
}

}  // namespace tt::grade
