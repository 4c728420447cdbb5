// The boards' routes: JSON with an ETag that changes with the board version (a viewer polls with
// If-None-Match and gets 304 until a result lands), and the queue's public counts.
// Not the computation (boards.cpp).
#include "app.hpp"
#include "tt/arena/schema.hpp"

namespace tt::arena {
using nlohmann::json;

namespace {

void board(App& a, const httplib::Request& req, httplib::Response& res, BoardKind kind) {
  const int k = kind == BoardKind::public_board ? 0 : 1;
  if (kind == BoardKind::final_board && load_competition(a.db).phase != "closed") {
    const auto p = authenticate(a, req);
    if (!p || p->person.role != Role::staff)
      throw HttpError{403, "not_revealed", "the final board is revealed when staff close the phase"};
  }
  const std::int64_t v = board_version(a.db);  // one indexed read: fresh after every change
  const std::string etag = "\"b" + std::to_string(v) + "-" + std::to_string(k) + "\"";
  res.set_header("Cache-Control", "no-cache");
  res.set_header("ETag", etag);
  if (req.get_header_value("If-None-Match") == etag) {
    res.status = 304;
    return;
  }
  std::string body;
  {
    std::lock_guard<std::mutex> lock(a.boards.mu);
    if (a.boards.version[k] != v) {
      a.boards.body[k] = compute_board(a.db, kind).dump(-1, ' ', false, json::error_handler_t::replace);
      a.boards.version[k] = v;
    }
    body = a.boards.body[k];
  }
  res.set_content(body, "application/json");
}

}  // namespace

void add_board_routes(httplib::Server& s, App& app) {
  s.Get("/api/boards/public", handle(app, [](App& a, const httplib::Request& req, httplib::Response& res) {
          board(a, req, res, BoardKind::public_board);
        }));
  s.Get("/api/boards/final", handle(app, [](App& a, const httplib::Request& req, httplib::Response& res) {
          board(a, req, res, BoardKind::final_board);
        }));
  s.Get("/api/status", handle(app, [](App& a, const httplib::Request&, httplib::Response& res) {
          const Competition c = load_competition(a.db);
          auto lock = a.db.lock();
          auto st = a.db.prepare(
              "SELECT SUM(state = 'queued'), SUM(state = 'running'), (SELECT COUNT(*) FROM workers WHERE "
              "heartbeat_at > ?) FROM jobs");
          st.args(now_seconds() - 30);
          st.step();
          send_json(res, {{"title", c.title},
                          {"phase", c.phase},
                          {"queued", st.col_int(0)},
                          {"running", st.col_int(1)},
                          {"workers_alive", st.col_int(2)},
                          {"board_version", a.board_version.load()}});
        }));
}

}  // namespace tt::arena
