// Sign-in routes: the pre-login CSRF value, sign in with a token, sign out, and who am I.
// Not token storage (people.cpp).
#include "app.hpp"
#include "tt/arena/queue.hpp"
#include "tt/arena/tokens.hpp"

namespace tt::arena {
using nlohmann::json;

namespace {

json person_json(const Person& p) { return {{"login", p.login}, {"name", p.name}, {"role", to_string(p.role)}}; }

}  // namespace

void add_auth_routes(httplib::Server& s, App& app) {
  // Double-submit value for the sign-in form (there is no session yet to hold one).
  s.Get("/api/csrf", handle(app, [](App& a, const httplib::Request& req, httplib::Response& res) {
          std::string v = cookie(req, "tt_precsrf");
          if (v.size() != 40) {
            v = random_hex(20);
            res.set_header("Set-Cookie", session_cookie(a, "tt_precsrf", v, 3600));
          }
          send_json(res, {{"csrf", v}});
        }));
  s.Post("/api/login", handle(app, [](App& a, const httplib::Request& req, httplib::Response& res) {
           const std::string pre = cookie(req, "tt_precsrf"), sent = form_field(req, "csrf");
           if (pre.empty() || !constant_time_equal(pre, sent))
             throw HttpError{403, "csrf", "the sign-in form is stale; reload the page and sign in again"};
           const std::string token = form_field(req, "token");
           if (token.empty()) throw HttpError{400, "missing_token", "enter the token you were given"};
           const auto p = person_by_token(a.db, token);
           if (!p) throw HttpError{401, "bad_token", "this token is not valid; check it or ask staff to reissue it"};
           const Session sess = create_session(a.db, p->id, a.o.session_ttl_seconds);
           res.set_header("Set-Cookie", session_cookie(a, "tt_session", sess.id, a.o.session_ttl_seconds));
           send_json(res, {{"person", person_json(*p)}, {"csrf", sess.csrf}});
         }));
  s.Post("/api/logout", handle(app, [](App& a, const httplib::Request& req, httplib::Response& res) {
           require_person(a, req);
           delete_session(a.db, cookie(req, "tt_session"));
           res.set_header("Set-Cookie", session_cookie(a, "tt_session", "", 0));
           send_json(res, {{"signed_out", true}});
         }));
  s.Get("/api/me", handle(app, [](App& a, const httplib::Request& req, httplib::Response& res) {
          const Competition c = load_competition(a.db);
          json out{{"competition", {{"title", c.title}, {"phase", c.phase}, {"hardware_class", c.hardware_class}}},
                   {"person", nullptr}};
          if (const auto p = authenticate(a, req)) {
            out["person"] = person_json(p->person);
            out["csrf"] = p->csrf;
            const std::string day = utc_day(now_seconds());
            out["quota"] = {{"used", quota_used(a.db, p->person.id, day)}, {"limit", c.daily_quota}, {"day", day}};
            out["max_upload_bytes"] = c.max_upload_bytes;
          }
          send_json(res, out);
        }));
}

}  // namespace tt::arena
