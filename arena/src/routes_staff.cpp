// Staff routes: workers and the queue, cancel and re-run, disqualify, the "most creative" award,
// and closing the phase (the top 5 of each board re-measured on a fresh worker first).
// Not the phase's automatic advance (server.cpp's reaper finishes "closing" once verified).
#include "app.hpp"
#include "tt/arena/queue.hpp"
#include "tt/arena/schema.hpp"

namespace tt::arena {
using nlohmann::json;

namespace {

constexpr int kVerifyTop = 5;

json overview(App& a) {
  auto lock = a.db.lock();
  json workers = json::array();
  auto w = a.db.prepare("SELECT id, executor, host, cpu, isa, state, job_id, heartbeat_at FROM workers ORDER BY id");
  while (w.step())
    workers.push_back({{"id", w.col_text(0)},
                       {"executor", w.col_text(1)},
                       {"host", w.col_text(2)},
                       {"cpu", w.col_text(3)},
                       {"isa", w.col_text(4)},
                       {"state", w.col_text(5)},
                       {"job_id", w.col_null(6) ? json(nullptr) : json(w.col_int(6))},
                       {"seconds_since_heartbeat", now_seconds() - w.col_double(7)}});
  json jobs = json::array();
  auto j = a.db.prepare(
      "SELECT j.id, j.submission_id, j.kind, j.state, j.attempt, j.worker, j.error, p.login, j.created_at, "
      "j.external_id FROM jobs j JOIN submissions s ON s.id = j.submission_id JOIN people p ON p.id = s.person_id "
      "ORDER BY j.id DESC LIMIT 200");
  while (j.step())
    jobs.push_back({{"id", j.col_int(0)},
                    {"submission_id", j.col_int(1)},
                    {"kind", j.col_text(2)},
                    {"state", j.col_text(3)},
                    {"attempt", j.col_int(4)},
                    {"worker", j.col_text(5)},
                    {"error", j.col_text(6)},
                    {"login", j.col_text(7)},
                    {"created_at", j.col_double(8)},
                    {"external_id", j.col_text(9)}});
  return {{"workers", workers}, {"jobs", jobs}, {"phase", load_competition(a.db).phase}};
}

std::int64_t existing_submission(App& a, std::int64_t id) {
  auto lock = a.db.lock();
  auto st = a.db.prepare("SELECT 1 FROM submissions WHERE id = ?");
  st.args(id);
  if (!st.step()) throw HttpError{404, "not_found", "no submission " + std::to_string(id)};
  return id;
}

}  // namespace

void add_staff_routes(httplib::Server& s, App& app) {
  s.Get("/api/staff/overview", handle(app, [](App& a, const httplib::Request& req, httplib::Response& res) {
          require_staff(a, req);
          send_json(res, overview(a));
        }));
  s.Post(R"(/api/staff/jobs/(\d+)/cancel)",
         handle(app, [](App& a, const httplib::Request& req, httplib::Response& res) {
           require_staff(a, req);
           if (!cancel_job(a.db, path_id(req)))
             throw HttpError{409, "not_cancellable", "only a queued or running job can be cancelled"};
           send_json(res, {{"cancelled", path_id(req)}});
         }));
  s.Post(R"(/api/staff/submissions/(\d+)/rerun)",
         handle(app, [](App& a, const httplib::Request& req, httplib::Response& res) {
           require_staff(a, req);
           const auto job = rerun_submission(a.db, existing_submission(a, path_id(req)));
           send_json(res, {{"job_id", job}}, 201);
         }));
  s.Post(R"(/api/staff/submissions/(\d+)/disqualify)",
         handle(app, [](App& a, const httplib::Request& req, httplib::Response& res) {
           require_staff(a, req);
           const auto id = existing_submission(a, path_id(req));
           const std::string reason = form_field(req, "reason");
           if (reason.empty() || reason.size() > 500)
             throw HttpError{400, "missing_reason", "give a reason (at most 500 characters); the student sees it"};
           Tx tx(a.db);
           a.db.prepare("UPDATE submissions SET disqualified = ? WHERE id = ?").args(reason, id).run();
           bump_board_version(a.db);
           tx.commit();
           send_json(res, {{"disqualified", id}});
         }));
  s.Post(R"(/api/staff/submissions/(\d+)/award)",
         handle(app, [](App& a, const httplib::Request& req, httplib::Response& res) {
           const Principal p = require_staff(a, req);
           const auto id = existing_submission(a, path_id(req));
           Tx tx(a.db);
           auto st = a.db.prepare(
               "SELECT r.verified FROM results r WHERE r.submission_id = ? AND r.kind = 'grade' ORDER BY r.id DESC "
               "LIMIT 1");
           st.args(id);
           if (!st.step() || st.col_null(0) || st.col_int(0) == 0)
             throw HttpError{409, "not_verified",
                             "only verified entries are eligible for awards: close the phase so the top entries are "
                             "re-measured, or re-run this one"};
           a.db.prepare(
                   "INSERT OR IGNORE INTO awards (category, submission_id, awarded_by, created_at) VALUES "
                   "('most_creative', ?, ?, ?)")
               .args(id, p.person.id, now_seconds())
               .run();
           bump_board_version(a.db);
           tx.commit();
           send_json(res, {{"awarded", id}});
         }));
  s.Post("/api/staff/phase/close", handle(app, [](App& a, const httplib::Request& req, httplib::Response& res) {
           require_staff(a, req);
           const Competition c = load_competition(a.db);
           if (c.phase != "public") throw HttpError{409, "already_closing", "the phase is already " + c.phase};
           set_phase(a.db, "closing");
           json queued = json::array();
           for (const auto id : top_result_ids(a.db, kVerifyTop))
             if (const auto job = enqueue_verify(a.db, id)) queued.push_back(job);
           send_json(res, {{"phase", "closing"}, {"verify_jobs", queued}});
         }));
}

}  // namespace tt::arena
