// The page: index.html and its bundled CSS/JS from arena/web (no CDN; works offline), with the
// security headers every response carries (a strict Content-Security-Policy: no inline script).
// Not templating: the page fills itself from the JSON API, setting text, never HTML.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app.hpp"

namespace tt::arena {
namespace fs = std::filesystem;

const char* mime_of(const fs::path& p) {
  const std::string e = p.extension().string();
  if (e == ".html") return "text/html; charset=utf-8";
  if (e == ".css") return "text/css; charset=utf-8";
  if (e == ".js") return "text/javascript; charset=utf-8";
  if (e == ".json") return "application/json";
  if (e == ".svg") return "image/svg+xml";
  if (e == ".png") return "image/png";
  return "application/octet-stream";
}

namespace {

void serve_file(App& a, const std::string& name, httplib::Response& res) {
  // Only plain names of files in the web folder: no path separators, no dot files.
  if (name.empty() || name[0] == '.' || name.find('/') != std::string::npos || name.find('\\') != std::string::npos)
    throw HttpError{404, "not_found", "no such page"};
  const fs::path p = a.o.web / name;
  std::ifstream in(p, std::ios::binary);
  if (!in) throw HttpError{404, "not_found", "no such page"};
  std::stringstream ss;
  ss << in.rdbuf();
  res.set_header("Cache-Control", "no-cache");
  res.set_content(ss.str(), mime_of(p));
}

}  // namespace

void add_static_routes(httplib::Server& s, App& app) {
  s.Get("/",
        handle(app, [](App& a, const httplib::Request&, httplib::Response& res) { serve_file(a, "index.html", res); }));
  s.Get(R"(/static/([^/]+))", handle(app, [](App& a, const httplib::Request& req, httplib::Response& res) {
          serve_file(a, req.matches[1].str(), res);
        }));
  s.set_post_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    // A student's site (showcase): its own inline styles, no script at all, and an opaque origin
    // (sandbox) so that even a renderer bug could not act for a signed-in viewer.
    const bool student_page = req.path.rfind("/showcase/", 0) == 0;
    res.set_header("Content-Security-Policy",
                   student_page ? "sandbox; default-src 'none'; "
                                  "style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; "
                                  "form-action 'none'; base-uri 'none'"
                                : "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                  "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Referrer-Policy", "same-origin");
    res.set_header("X-Frame-Options", "DENY");
  });
}

}  // namespace tt::arena
