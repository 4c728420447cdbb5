// What every route shares: the database, the options, the board cache, and the helpers that
// turn a request into a person and a failure into a JSON error. Private to the server's files.
// Not a public header: the library's users see server.hpp only.
#pragma once

#include <httplib.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "tt/arena/boards.hpp"
#include "tt/arena/db.hpp"
#include "tt/arena/people.hpp"
#include "tt/arena/server.hpp"

namespace tt::arena {

// A request that cannot be honoured: status, a machine-readable code, and a message that says
// what was wrong and what to do.
struct HttpError {
  int status;
  std::string code, message;
};

struct Principal {
  Person person;
  bool via_cookie = false;
  std::string csrf;  // the session's (cookie sign-in only)
};

struct BoardCache {
  std::mutex mu;
  std::int64_t version[2] = {-1, -1};
  std::string body[2];
};

struct App {
  ServerOptions o;
  Db db;
  std::vector<std::string> student_files;
  nlohmann::json targets;  // module 20's measure.fields (analysis pages)
  BoardCache boards;
  std::atomic<std::int64_t> board_version{0};  // refreshed by the watcher from the database

  explicit App(const ServerOptions& opts);
};

using Route = std::function<void(App&, const httplib::Request&, httplib::Response&)>;
// Wraps a route: HttpError and any exception become a JSON error response.
httplib::Server::Handler handle(App& app, Route r);

void send_json(httplib::Response& res, const nlohmann::json& j, int status = 200);
void send_error(httplib::Response& res, const HttpError& e);

// The signed-in person (session cookie or Authorization: Bearer), if any.
std::optional<Principal> authenticate(App& app, const httplib::Request& req);
// The signed-in person or 401; staff or 403; for a cookie session on a POST, the CSRF value or 403.
Principal require_person(App& app, const httplib::Request& req);
Principal require_staff(App& app, const httplib::Request& req);
// A field of a form post (urlencoded or multipart) or of a JSON body.
std::string form_field(const httplib::Request& req, const std::string& name);
std::string cookie(const httplib::Request& req, const std::string& name);
std::string session_cookie(const App& app, const std::string& name, const std::string& value, double max_age);
std::int64_t path_id(const httplib::Request& req, int group = 1);
// The Content-Type of a file the server sends, by its extension.
const char* mime_of(const std::filesystem::path& p);
// A file a job wrote (at most `cap` bytes), or 404 "not_ready" when it is not there.
std::string read_text(const std::filesystem::path& p, std::size_t cap = 1 << 20);

void add_auth_routes(httplib::Server& s, App& app);
void add_submission_routes(httplib::Server& s, App& app);
void add_staff_routes(httplib::Server& s, App& app);
void add_board_routes(httplib::Server& s, App& app);
void add_static_routes(httplib::Server& s, App& app);
void add_showcase_routes(httplib::Server& s, App& app);

}  // namespace tt::arena
