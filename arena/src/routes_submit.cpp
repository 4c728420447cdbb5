// A student's routes: upload a submission, list theirs, follow a job, read its log, report and
// analysis. A student sees only their own; staff see every one.
// Not the boards (routes_boards.cpp), which everyone sees.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app.hpp"
#include "tt/arena/queue.hpp"
#include "tt/arena/suggestions.hpp"
#include "tt/arena/tokens.hpp"
#include "tt/arena/uploads.hpp"
#include "tt/arena/worker.hpp"

namespace tt::arena {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr std::size_t kMaxDescription = 2000;

bool valid_utf8(const std::string& s) {
  try {
    (void)json(s).dump();  // strict: throws on invalid UTF-8
    return true;
  } catch (const json::type_error&) {
    return false;
  }
}

// The submission's owner and run folder of its latest job, or 404 for anyone else but staff.
struct Owned {
  std::int64_t submission_id, job_id;
  std::string state, run_dir;
  int attempt;
};
Owned owned_job(App& a, const Principal& p, const std::string& where, std::int64_t id) {
  auto lock = a.db.lock();
  auto st = a.db.prepare(
      "SELECT s.id, j.id, j.state, j.attempt, s.person_id FROM jobs j JOIN submissions s ON s.id = j.submission_id "
      "WHERE " +
      where + " ORDER BY j.id DESC LIMIT 1");
  st.args(id);
  if (!st.step() || (p.person.role != Role::staff && st.col_int(4) != p.person.id))
    throw HttpError{404, "not_found", "no such submission or job of yours"};
  Owned o{st.col_int(0), st.col_int(1), st.col_text(2), "", static_cast<int>(st.col_int(3))};
  o.run_dir = run_dir(a.o.data, o.job_id, std::max(1, o.attempt)).string();
  return o;
}

json job_json(App& a, Stmt& st) {
  // columns: j.id, j.submission_id, j.kind, j.state, j.attempt, j.error, j.created_at, j.started_at, j.finished_at
  const std::int64_t id = st.col_int(0);
  json j{{"id", id},
         {"submission_id", st.col_int(1)},
         {"kind", st.col_text(2)},
         {"state", st.col_text(3)},
         {"attempt", st.col_int(4)},
         {"error", st.col_text(5)},
         {"created_at", st.col_double(6)},
         {"started_at", st.col_null(7) ? json(nullptr) : json(st.col_double(7))},
         {"finished_at", st.col_null(8) ? json(nullptr) : json(st.col_double(8))}};
  if (j["state"] == "queued") j["position"] = queue_position(a.db, id);
  return j;
}

void upload(App& a, const httplib::Request& req, httplib::Response& res) {
  const Principal p = require_person(a, req);
  const Competition c = load_competition(a.db);
  if (c.phase != "public") throw HttpError{409, "phase_closed", "the competition is closed to new submissions"};
  if (!req.is_multipart_form_data() || !req.has_file("archive"))
    throw HttpError{400, "missing_archive",
                    "send a multipart form with a file field 'archive' (.zip or .tar.gz) and a 'description'"};
  const auto file = req.get_file_value("archive");
  if (static_cast<std::int64_t>(file.content.size()) > c.max_upload_bytes)
    throw HttpError{413, "too_large",
                    "the archive is larger than " + std::to_string(c.max_upload_bytes >> 20) +
                        " MiB; send only your source files (modules/)"};
  std::string description = form_field(req, "description");
  while (!description.empty() && std::isspace(static_cast<unsigned char>(description.back()))) description.pop_back();
  if (description.size() < 10)
    throw HttpError{400, "missing_description",
                    "describe your method in a sentence or two (at least 10 characters): it feeds 'most creative'"};
  if (description.size() > kMaxDescription || !valid_utf8(description))
    throw HttpError{400, "bad_description", "the description must be UTF-8 text of at most 2000 characters"};
  const ArchiveCheck check = check_archive(file.content, a.student_files);
  if (!check.ok) throw HttpError{422, "bad_archive", check.error};
  const fs::path store = a.o.data / "uploads";
  const std::string sha_now = sha256_hex(file.content);
  const bool existed = fs::exists(upload_path(store, sha_now, check.ext));
  const std::string sha = store_upload(store, file.content, check.ext);
  Submitted sub;
  try {
    sub = submit(a.db, p.person.id, sha, check.ext, static_cast<std::int64_t>(file.content.size()), description,
                 c.daily_quota);
  } catch (const QuotaExceeded& e) {
    if (!existed) fs::remove(upload_path(store, sha, check.ext));
    throw HttpError{429, "quota", e.what()};
  } catch (...) {
    if (!existed) fs::remove(upload_path(store, sha, check.ext));  // nothing half-written stays
    throw;
  }
  send_json(res,
            {{"submission_id", sub.submission_id},
             {"job_id", sub.job_id},
             {"sha256", sha},
             {"position", queue_position(a.db, sub.job_id)},
             {"job_url", "/api/jobs/" + std::to_string(sub.job_id)}},
            201);
}

}  // namespace

void add_submission_routes(httplib::Server& s, App& app) {
  s.Post("/api/submissions", handle(app, upload));
  s.Get("/api/submissions", handle(app, [](App& a, const httplib::Request& req, httplib::Response& res) {
          const Principal p = require_person(a, req);
          const bool all = p.person.role == Role::staff && req.get_param_value("all") == "1";
          auto lock = a.db.lock();
          auto st = a.db.prepare(
              "SELECT s.id, s.description, s.created_at, s.disqualified, p.login, p.name, u.bytes, "
              "(SELECT id FROM jobs WHERE submission_id = s.id AND kind = 'grade' ORDER BY id DESC LIMIT 1) "
              "FROM submissions s JOIN people p ON p.id = s.person_id JOIN uploads u ON u.sha256 = s.sha256 "
              "WHERE (? OR s.person_id = ?) ORDER BY s.id DESC LIMIT 500");
          st.args(all ? 1 : 0, p.person.id);
          json out = json::array();
          while (st.step()) {
            json sub{{"id", st.col_int(0)},
                     {"description", st.col_text(1)},
                     {"created_at", st.col_double(2)},
                     {"login", st.col_text(4)},
                     {"name", st.col_text(5)},
                     {"bytes", st.col_int(6)},
                     {"disqualified", st.col_null(3) ? json(nullptr) : json(st.col_text(3))}};
            auto js = a.db.prepare(
                "SELECT id, submission_id, kind, state, attempt, error, created_at, started_at, finished_at FROM jobs "
                "WHERE id = ?");
            js.args(st.col_int(7));
            if (js.step()) sub["job"] = job_json(a, js);
            out.push_back(sub);
          }
          send_json(res, {{"submissions", out}});
        }));
  s.Get(R"(/api/jobs/(\d+))", handle(app, [](App& a, const httplib::Request& req, httplib::Response& res) {
          const Principal p = require_person(a, req);
          owned_job(a, p, "j.id = ?", path_id(req));
          auto lock = a.db.lock();
          auto st = a.db.prepare(
              "SELECT id, submission_id, kind, state, attempt, error, created_at, started_at, finished_at FROM jobs "
              "WHERE id = ?");
          st.args(path_id(req));
          st.step();
          send_json(res, job_json(a, st));
        }));
  s.Get(R"(/api/jobs/(\d+)/log)", handle(app, [](App& a, const httplib::Request& req, httplib::Response& res) {
          const Owned o = owned_job(a, require_person(a, req), "j.id = ?", path_id(req));
          res.set_content(read_text(fs::path(o.run_dir) / "worker.log"), "text/plain; charset=utf-8");
        }));
  s.Get(R"(/api/submissions/(\d+)/report)",
        handle(app, [](App& a, const httplib::Request& req, httplib::Response& res) {
          const Owned o = owned_job(a, require_person(a, req), "s.id = ?", path_id(req));
          if (req.get_param_value("format") == "md")
            res.set_content(read_text(fs::path(o.run_dir) / "summary.md"), "text/plain; charset=utf-8");
          else
            res.set_content(read_text(fs::path(o.run_dir) / "report.json", 16 << 20), "application/json");
        }));
  s.Get(R"(/api/submissions/(\d+)/analysis)",
        handle(app, [](App& a, const httplib::Request& req, httplib::Response& res) {
          const Principal p = require_person(a, req);
          const Owned o = owned_job(a, p, "s.id = ?", path_id(req));
          auto lock = a.db.lock();
          auto st = a.db.prepare(
              "SELECT r.metrics, r.cpu, r.isa, r.worker, r.verified, r.created_at, s.description FROM results r "
              "JOIN submissions s ON s.id = r.submission_id WHERE r.submission_id = ? AND r.kind = 'grade' "
              "ORDER BY r.id DESC LIMIT 1");
          st.args(o.submission_id);
          if (!st.step())
            throw HttpError{404, "not_graded", "this submission has no result yet (job state: " + o.state + ")"};
          const json m = json::parse(st.col_text(0));
          json out = analysis_of(m, a.targets);
          out["submission_id"] = o.submission_id;
          out["description"] = st.col_text(6);
          out["metrics"] = m;
          out["hardware"] = {{"cpu", st.col_text(1)}, {"isa", st.col_text(2)}, {"worker", st.col_text(3)}};
          out["verified"] = st.col_null(4) ? json(nullptr) : json(st.col_int(4) != 0);
          send_json(res, out);
        }));
}

}  // namespace tt::arena
