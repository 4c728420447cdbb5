// The HTTP API on a real server on loopback: status codes, sign-in, CSRF, quota, the size cap,
// bad archives, malformed requests (a clear 4xx, nothing changed), other people's jobs, staff
// actions, and a job graded by a local worker (the fake grade) reaching the board.
// Not the page (browser_test.mjs) nor the fault and load tests (fault_test.sh, arena_load).
#include <chrono>
#include <fstream>
#include <thread>

#include "arena_fixture.hpp"

using nlohmann::json;

namespace {

json body(const httplib::Result& r) {
  REQUIRE(r);
  return json::parse(r->body, nullptr, false);
}

std::string error_code(const httplib::Result& r) {
  const json j = body(r);
  REQUIRE(j.contains("error"));
  CHECK_FALSE(j["error"]["message"].get<std::string>().empty());
  return j["error"]["code"];
}

int count(fx::Arena& a, const std::string& sql) {
  tt::arena::Db db(a.data / "arena.db");
  auto st = db.prepare(sql);
  st.step();
  return static_cast<int>(st.col_int(0));
}

int upload_files(fx::Arena& a) {
  int n = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(a.data / "uploads")) n += e.is_regular_file();
  return n;
}

// Signs in through the form (pre-login CSRF cookie, then the token); returns {cookie header, csrf}.
std::pair<std::string, std::string> sign_in(fx::Arena& a, const std::string& login) {
  auto c = a.client();
  auto pre = c.Get("/api/csrf");
  REQUIRE(pre->status == 200);
  const std::string set = pre->get_header_value("Set-Cookie");
  const std::string pre_cookie = set.substr(0, set.find(';'));
  const std::string csrf = json::parse(pre->body)["csrf"];
  auto r = c.Post("/api/login", {{"Cookie", pre_cookie}},
                  httplib::Params{{"token", a.people.token.at(login)}, {"csrf", csrf}});
  REQUIRE(r->status == 200);
  const std::string session = r->get_header_value("Set-Cookie");
  CHECK_THAT(session, Catch::Contains("HttpOnly") && Catch::Contains("SameSite=Strict"));
  return {session.substr(0, session.find(';')), json::parse(r->body)["csrf"]};
}

}  // namespace

TEST_CASE("the page and the public routes answer, unknown routes get a JSON 404", "[api]") {
  fx::Arena a;
  auto c = a.client();
  auto r = c.Get("/");
  REQUIRE(r->status == 200);
  CHECK_THAT(r->get_header_value("Content-Security-Policy"), Catch::Contains("script-src 'self'"));
  CHECK(c.Get("/static/app.js")->status == 200);
  CHECK(error_code(c.Get("/nope")) == "not_found");
  CHECK(c.Get("/static/..%2Farena.db")->status == 404);
  CHECK(c.Get("/static/.hidden")->status == 404);
  r = c.Get("/api/boards/public");
  REQUIRE(r->status == 200);
  const std::string etag = r->get_header_value("ETag");
  CHECK_FALSE(etag.empty());
  CHECK(c.Get("/api/boards/public", {{"If-None-Match", etag}})->status == 304);
  CHECK(error_code(c.Get("/api/boards/final")) == "not_revealed");
  CHECK(c.Get("/api/boards/final", a.bearer("mallory"))->status == 403);
  CHECK(c.Get("/api/boards/final", a.bearer("prof"))->status == 200);
  CHECK(body(c.Get("/api/status"))["phase"] == "public");
}

TEST_CASE("sign-in needs the pre-login CSRF value and a valid token; cookie posts need the session's CSRF", "[api]") {
  fx::Arena a;
  auto c = a.client();
  CHECK(error_code(c.Post("/api/login", httplib::Params{{"token", a.people.token["alice"]}})) == "csrf");
  auto pre = c.Get("/api/csrf");
  const std::string set = pre->get_header_value("Set-Cookie");
  const std::string csrf = json::parse(pre->body)["csrf"];
  CHECK(error_code(c.Post("/api/login", {{"Cookie", set.substr(0, set.find(';'))}},
                          httplib::Params{{"token", "tta_wrong"}, {"csrf", csrf}})) == "bad_token");
  const auto [cookie, session_csrf] = sign_in(a, "alice");
  const json me = body(c.Get("/api/me", {{"Cookie", cookie}}));
  CHECK(me["person"]["login"] == "alice");
  CHECK(me["quota"]["limit"] == 3);
  // A form post without the CSRF value changes nothing.
  auto r = c.Post("/api/submissions", {{"Cookie", cookie}}, fx::upload_form(fx::good_archive(), "a valid method"));
  CHECK(error_code(r) == "csrf");
  CHECK(count(a, "SELECT COUNT(*) FROM submissions") == 0);
  r = c.Post("/api/submissions", {{"Cookie", cookie}, {"X-CSRF-Token", session_csrf}},
             fx::upload_form(fx::good_archive(), "a valid method"));
  CHECK(r->status == 201);
  CHECK(c.Post("/api/logout", {{"Cookie", cookie}, {"X-CSRF-Token", session_csrf}}, "", "text/plain")->status == 200);
  CHECK(error_code(c.Get("/api/submissions", {{"Cookie", cookie}})) == "not_signed_in");
  CHECK(error_code(c.Get("/api/submissions", {{"Authorization", "Bearer tta_forged"}})) == "bad_token");
}

TEST_CASE("uploads that cannot be honoured get a clear 4xx and leave nothing behind", "[api][hostile]") {
  fx::Arena a;
  auto c = a.client();
  const auto h = a.bearer("alice");
  CHECK(error_code(c.Post("/api/submissions", h, "x", "text/plain")) == "missing_archive");
  CHECK(error_code(c.Post("/api/submissions", h, fx::upload_form(fx::good_archive(), ""))) == "missing_description");
  CHECK(error_code(c.Post("/api/submissions", h, fx::upload_form(fx::good_archive(), "bad \xff\xfe utf8 text"))) ==
        "bad_description");
  CHECK(error_code(c.Post("/api/submissions", h, fx::upload_form("not an archive", "a valid method"))) ==
        "bad_archive");
  CHECK(error_code(c.Post("/api/submissions", h,
                          fx::upload_form(fx::make_archive({{"../../../etc/cron.d/x", "boom"},
                                                            {"modules/20_capstone/src/entry.cpp", "x"}}),
                                          "a valid method"))) == "bad_archive");
  CHECK(error_code(c.Post("/api/submissions", h,
                          fx::upload_form(fx::make_archive({{"modules/20_capstone/src/entry.cpp", "/etc/shadow", 'l'}}),
                                          "a valid method"))) == "bad_archive");
  // Just over the cap: refused by the route; far over: refused before the body is read.
  std::string big(static_cast<std::size_t>(1.1 * (1 << 20)), 'z');
  CHECK(c.Post("/api/submissions", h, fx::upload_form(big, "a valid method"))->status == 413);
  std::string huge(3u << 20, 'z');
  auto r = c.Post("/api/submissions", h, fx::upload_form(huge, "a valid method"));
  REQUIRE(r);
  CHECK(r->status == 413);
  CHECK(error_code(c.Post("/api/submissions",
                          {{"Authorization", h.begin()->second}, {"Content-Type", "multipart/form-data; boundary=zzz"}},
                          "--zzz\r\nbroken", "multipart/form-data; boundary=zzz")) != "");
  CHECK(count(a, "SELECT COUNT(*) FROM submissions") == 0);
  CHECK(count(a, "SELECT COUNT(*) FROM jobs") == 0);
  CHECK(upload_files(a) == 0);
  // The quota: three a day, the fourth is refused with 429 and stores nothing new.
  for (int i = 0; i < 3; ++i)
    CHECK(
        c.Post("/api/submissions", h, fx::upload_form(fx::good_archive(std::to_string(i)), "a valid method"))->status ==
        201);
  CHECK(error_code(c.Post("/api/submissions", h, fx::upload_form(fx::good_archive("4"), "a valid method"))) == "quota");
  CHECK(count(a, "SELECT COUNT(*) FROM submissions") == 3);
  CHECK(upload_files(a) == 3);
}

TEST_CASE("a student sees only their own jobs, logs and reports; staff routes refuse students", "[api][hostile]") {
  fx::Arena a;
  auto c = a.client();
  const json sub =
      body(c.Post("/api/submissions", a.bearer("alice"), fx::upload_form(fx::good_archive(), "alice's method")));
  const std::string job = std::to_string(sub["job_id"].get<int>()), s = std::to_string(sub["submission_id"].get<int>());
  CHECK(c.Get("/api/jobs/" + job, a.bearer("alice"))->status == 200);
  CHECK(error_code(c.Get("/api/jobs/" + job, a.bearer("mallory"))) == "not_found");
  CHECK(c.Get("/api/jobs/" + job + "/log", a.bearer("mallory"))->status == 404);
  CHECK(c.Get("/api/submissions/" + s + "/report", a.bearer("mallory"))->status == 404);
  CHECK(c.Get("/api/submissions/" + s + "/analysis", a.bearer("mallory"))->status == 404);
  CHECK(body(c.Get("/api/submissions", a.bearer("mallory")))["submissions"].empty());
  CHECK(c.Get("/api/jobs/" + job, a.bearer("prof"))->status == 200);
  CHECK(error_code(c.Get("/api/staff/overview", a.bearer("alice"))) == "staff_only");
  CHECK(error_code(c.Post("/api/staff/jobs/" + job + "/cancel", a.bearer("alice"), "", "text/plain")) == "staff_only");
  CHECK(error_code(c.Post("/api/staff/phase/close", a.bearer("mallory"), "", "text/plain")) == "staff_only");
  CHECK(c.Get("/api/jobs/99999", a.bearer("prof"))->status == 404);
  CHECK(c.Get("/api/jobs/abc", a.bearer("prof"))->status == 404);
  CHECK(body(c.Post("/api/staff/jobs/" + job + "/cancel", a.bearer("prof"), "", "text/plain"))["cancelled"] ==
        sub["job_id"]);
  CHECK(error_code(c.Post("/api/staff/jobs/" + job + "/cancel", a.bearer("prof"), "", "text/plain")) ==
        "not_cancellable");
  CHECK(error_code(c.Post("/api/staff/submissions/" + s + "/disqualify", a.bearer("prof"), "", "text/plain")) ==
        "missing_reason");
  CHECK(error_code(c.Post("/api/staff/submissions/" + s + "/award", a.bearer("prof"), "", "text/plain")) ==
        "not_verified");
  CHECK(c.Post("/api/staff/submissions/424242/rerun", a.bearer("prof"), "", "text/plain")->status == 404);
}

TEST_CASE("names and descriptions come back as JSON text, never as markup", "[api][hostile]") {
  fx::Arena a;
  auto c = a.client();
  const std::string evil = "<img src=x onerror=alert(1)> \"quoted\" </script>";
  REQUIRE(c.Post("/api/submissions", a.bearer("mallory"), fx::upload_form(fx::good_archive(), evil))->status == 201);
  auto r = c.Get("/api/submissions", a.bearer("mallory"));
  CHECK(r->get_header_value("Content-Type") == "application/json");
  CHECK(r->get_header_value("X-Content-Type-Options") == "nosniff");
  CHECK(json::parse(r->body)["submissions"][0]["description"] == evil);
  CHECK(json::parse(c.Get("/api/submissions", a.bearer("mallory"))->body)["submissions"][0]["name"] ==
        "<script>alert('x')</script>");
  CHECK(c.Get("/")->body.find("alert") == std::string::npos);
}

TEST_CASE("a local worker grades an upload: the job ends done, the board and the analysis show it", "[api]") {
  fx::Arena a("local");
  auto c = a.client();
  const json sub =
      body(c.Post("/api/submissions", a.bearer("alice"), fx::upload_form(fx::good_archive("w"), "int8 + pruning")));
  const std::string job = std::to_string(sub["job_id"].get<int>()), s = std::to_string(sub["submission_id"].get<int>());
  json j;
  for (int i = 0; i < 300; ++i) {
    j = body(c.Get("/api/jobs/" + job, a.bearer("alice")));
    if (j["state"] == "done" || j["state"] == "failed" || j["state"] == "infra-error") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  REQUIRE(j["state"] == "done");
  const json board = body(c.Get("/api/boards/public"));
  CHECK(board["categories"][0]["rows"][0]["login"] == "alice");
  const json an = body(c.Get("/api/submissions/" + s + "/analysis", a.bearer("alice")));
  CHECK(an["suggestions"].size() >= 3);
  CHECK(an["hardware"]["worker"] == "local-0");
  CHECK(c.Get("/api/submissions/" + s + "/report", a.bearer("alice"))->status == 200);
  CHECK_THAT(c.Get("/api/jobs/" + job + "/log", a.bearer("alice"))->body, Catch::Contains("fake grade"));
  // Closing the phase re-measures the top entries; the final board is then public.
  CHECK(body(c.Post("/api/staff/phase/close", a.bearer("prof"), "", "text/plain"))["verify_jobs"].size() == 1);
  CHECK(error_code(c.Post("/api/submissions", a.bearer("alice"),
                          fx::upload_form(fx::good_archive("late"), "too late now"))) == "phase_closed");
  json fin;
  for (int i = 0; i < 300; ++i) {
    auto r = c.Get("/api/boards/final", a.bearer("alice"));
    if (r->status == 200) {
      fin = json::parse(r->body);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  REQUIRE(fin.is_object());
  CHECK(fin["categories"][0]["rows"][0]["verified"] == true);
  CHECK(c.Post("/api/staff/submissions/" + s + "/award", a.bearer("prof"), "", "text/plain")->status == 200);
  CHECK(body(c.Get("/api/boards/final"))["most_creative"][0]["description"] == "int8 + pruning");
}

namespace {

// Uploads a tree holding portfolio/consent and waits for its grade; returns the job's final state.
std::string grade_with_consent(fx::Arena& a, const std::string& login, const std::string& consent) {
  auto c = a.client();
  const std::string archive = fx::make_archive(
      {{"modules/20_capstone/src/entry.cpp", "// " + login + consent + "\n"}, {"portfolio/consent", consent}});
  const json sub = body(c.Post("/api/submissions", a.bearer(login), fx::upload_form(archive, "showcase entry")));
  const std::string job = std::to_string(sub["job_id"].get<int>());
  json j;
  for (int i = 0; i < 300; ++i) {
    j = body(c.Get("/api/jobs/" + job, a.bearer(login)));
    if (j["state"] != "queued" && j["state"] != "running") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return j["state"];
}

}  // namespace

TEST_CASE("the showcase lists whom the latest grade opted in and serves their site with no script", "[api][hostile]") {
  fx::Arena a("local");
  auto c = a.client();
  REQUIRE(grade_with_consent(a, "alice", "public\npseudonym: Ada <b>x</b>\n") == "done");
  REQUIRE(grade_with_consent(a, "mallory", "private\n") == "done");
  json s = body(c.Get("/api/showcase"));
  REQUIRE(s["entries"].size() == 1);  // mallory's portfolio is private
  const json e = s["entries"][0];
  CHECK(e["name"] == "Ada <b>x</b>");  // JSON text (the page sets it as text), the pseudonym not the login
  CHECK(e["speedup"].is_number());
  CHECK(e["verified_citations"] == 2);
  const std::string site = e["site"];
  auto page = c.Get(site);
  REQUIRE(page->status == 200);
  CHECK_THAT(page->body, Catch::Contains("Ada &lt;b"));
  CHECK_THAT(page->get_header_value("Content-Security-Policy"),
             Catch::StartsWith("sandbox;") && Catch::Contains("default-src 'none'") && !Catch::Contains("script-src"));
  const std::string dir = site.substr(0, site.rfind('/') + 1);
  CHECK(c.Get(dir + "16.html")->status == 200);
  for (const std::string bad : {"..%2Freport.json", ".hidden", "nope.html", "%2E%2E"})
    CHECK(error_code(c.Get(dir + bad)) == "not_found");
  CHECK(error_code(c.Get("/showcase/999999/index.html")) == "not_found");

  // A later grade without the opt-in takes it back: off the list, and the old site is gone too.
  REQUIRE(grade_with_consent(a, "alice", "private\n") == "done");
  CHECK(body(c.Get("/api/showcase"))["entries"].empty());
  CHECK(c.Get(site)->status == 404);
}
