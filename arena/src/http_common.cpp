// JSON errors, request parsing and sign-in checks shared by every route (app.hpp).
// Not a route: the routes_*.cpp files register those.
#include <fstream>
#include <iostream>

#include "app.hpp"
#include "tt/arena/tokens.hpp"
#include "tt/arena/uploads.hpp"

namespace tt::arena {
using nlohmann::json;

App::App(const ServerOptions& opts) : o(opts), db(opts.data / "arena.db") {}

void send_json(httplib::Response& res, const json& j, int status) {
  res.status = status;
  res.set_content(j.dump(-1, ' ', false, json::error_handler_t::replace), "application/json");
}

std::string read_text(const std::filesystem::path& p, std::size_t cap) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw HttpError{404, "not_ready", "nothing to show yet: the job has not written this file"};
  std::string s(cap, '\0');
  in.read(s.data(), static_cast<std::streamsize>(cap));
  s.resize(static_cast<std::size_t>(in.gcount()));
  return s;
}

void send_error(httplib::Response& res, const HttpError& e) {
  send_json(res, {{"error", {{"status", e.status}, {"code", e.code}, {"message", e.message}}}}, e.status);
}

httplib::Server::Handler handle(App& app, Route r) {
  return [&app, r](const httplib::Request& req, httplib::Response& res) {
    try {
      r(app, req, res);
    } catch (const HttpError& e) {
      send_error(res, e);
    } catch (const DbError& e) {
      std::cerr << "tt-arena: database error on " << req.method << " " << req.path << ": " << e.what() << "\n";
      send_error(res,
                 {503, "database_busy", "the server could not complete this request; nothing was changed, try again"});
    } catch (const std::exception& e) {
      std::cerr << "tt-arena: error on " << req.method << " " << req.path << ": " << e.what() << "\n";
      send_error(res, {500, "internal", "the server failed on this request; nothing was changed. Tell the staff."});
    }
  };
}

std::string cookie(const httplib::Request& req, const std::string& name) {
  const std::string all = req.get_header_value("Cookie");
  std::size_t pos = 0;
  while (pos < all.size()) {
    auto end = all.find(';', pos);
    if (end == std::string::npos) end = all.size();
    std::string part = all.substr(pos, end - pos);
    while (!part.empty() && part.front() == ' ') part.erase(0, 1);
    if (part.compare(0, name.size() + 1, name + "=") == 0) return part.substr(name.size() + 1);
    pos = end + 1;
  }
  return "";
}

std::string session_cookie(const App& app, const std::string& name, const std::string& value, double max_age) {
  return name + "=" + value +
         "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(static_cast<long>(max_age)) +
         (app.o.secure_cookies ? "; Secure" : "");
}

std::string form_field(const httplib::Request& req, const std::string& name) {
  if (req.has_param(name.c_str())) return req.get_param_value(name.c_str());
  if (req.has_file(name.c_str())) return req.get_file_value(name.c_str()).content;
  if (req.get_header_value("Content-Type").find("application/json") != std::string::npos) {
    const json j = json::parse(req.body, nullptr, false);
    if (j.is_object() && j.contains(name) && j[name].is_string()) return j[name].get<std::string>();
  }
  return "";
}

std::int64_t path_id(const httplib::Request& req, int group) {
  try {
    return std::stoll(req.matches[group].str());
  } catch (const std::exception&) {
    throw HttpError{400, "bad_id", "the id in the address must be a number"};
  }
}

std::optional<Principal> authenticate(App& app, const httplib::Request& req) {
  const std::string auth = req.get_header_value("Authorization");
  if (auth.rfind("Bearer ", 0) == 0) {
    if (auto p = person_by_token(app.db, auth.substr(7))) return Principal{*p, false, ""};
    throw HttpError{401, "bad_token", "this token is not valid; use the token you were given (staff can reissue it)"};
  }
  const std::string sid = cookie(req, "tt_session");
  if (sid.empty()) return std::nullopt;
  if (auto p = person_by_session(app.db, sid)) return Principal{p->first, true, p->second};
  return std::nullopt;
}

Principal require_person(App& app, const httplib::Request& req) {
  auto p = authenticate(app, req);
  if (!p) throw HttpError{401, "not_signed_in", "sign in with your token first (or send it as Authorization: Bearer)"};
  if (p->via_cookie && req.method != "GET" && req.method != "HEAD") {
    std::string sent = req.get_header_value("X-CSRF-Token");
    if (sent.empty()) sent = form_field(req, "csrf");
    if (sent.empty() || !constant_time_equal(sent, p->csrf))
      throw HttpError{403, "csrf", "this form is missing its CSRF value or it is stale; reload the page and try again"};
  }
  return *p;
}

Principal require_staff(App& app, const httplib::Request& req) {
  Principal p = require_person(app, req);
  if (p.person.role != Role::staff) throw HttpError{403, "staff_only", "only staff may do this"};
  return p;
}

}  // namespace tt::arena
