// Migrations of the arena database, in order; never edit a step that has shipped, add one.
// Not a place for queries beyond the board-version counter.
#include "tt/arena/schema.hpp"

#include <array>

namespace tt::arena {

namespace {

constexpr std::array kMigrations = {
    // 1: the competition, people, sessions, uploads, submissions, the job queue and results.
    R"sql(
CREATE TABLE competition (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  title TEXT NOT NULL,
  phase TEXT NOT NULL DEFAULT 'public' CHECK (phase IN ('public', 'closing', 'closed')),
  hardware_class TEXT NOT NULL DEFAULT '',
  daily_quota INTEGER NOT NULL DEFAULT 5,
  max_upload_bytes INTEGER NOT NULL DEFAULT 8388608,
  created_at REAL NOT NULL);
CREATE TABLE people (
  id INTEGER PRIMARY KEY,
  login TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('student', 'staff')),
  token_hash TEXT NOT NULL UNIQUE,
  created_at REAL NOT NULL);
CREATE TABLE sessions (
  hash TEXT PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people(id),
  csrf TEXT NOT NULL,
  expires_at REAL NOT NULL);
CREATE TABLE uploads (
  sha256 TEXT PRIMARY KEY,
  ext TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  created_at REAL NOT NULL);
CREATE TABLE submissions (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people(id),
  sha256 TEXT NOT NULL REFERENCES uploads(sha256),
  description TEXT NOT NULL,
  day TEXT NOT NULL,
  disqualified TEXT,
  created_at REAL NOT NULL);
CREATE INDEX submissions_by_person ON submissions(person_id, day);
CREATE TABLE jobs (
  id INTEGER PRIMARY KEY,
  submission_id INTEGER NOT NULL REFERENCES submissions(id),
  kind TEXT NOT NULL CHECK (kind IN ('grade', 'verify')),
  state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed', 'infra-error', 'cancelled')),
  priority INTEGER NOT NULL DEFAULT 0,
  attempt INTEGER NOT NULL DEFAULT 0,
  worker TEXT,
  lease_until REAL,
  external_id TEXT,
  verify_of INTEGER,
  avoid_worker TEXT,
  error TEXT,
  created_at REAL NOT NULL,
  started_at REAL,
  finished_at REAL);
CREATE INDEX jobs_by_state ON jobs(state, priority, id);
CREATE TABLE results (
  id INTEGER PRIMARY KEY,
  job_id INTEGER NOT NULL UNIQUE REFERENCES jobs(id),
  submission_id INTEGER NOT NULL REFERENCES submissions(id),
  kind TEXT NOT NULL,
  worker TEXT NOT NULL,
  cpu TEXT NOT NULL,
  isa TEXT NOT NULL,
  measure_status TEXT NOT NULL,
  metrics TEXT NOT NULL,
  run_dir TEXT NOT NULL,
  verified INTEGER,
  created_at REAL NOT NULL);
CREATE INDEX results_by_submission ON results(submission_id);
CREATE TABLE workers (
  id TEXT PRIMARY KEY,
  executor TEXT NOT NULL,
  host TEXT NOT NULL,
  cpu TEXT NOT NULL,
  isa TEXT NOT NULL,
  state TEXT NOT NULL,
  job_id INTEGER,
  heartbeat_at REAL NOT NULL);
CREATE TABLE awards (
  id INTEGER PRIMARY KEY,
  category TEXT NOT NULL,
  submission_id INTEGER NOT NULL REFERENCES submissions(id),
  awarded_by INTEGER NOT NULL REFERENCES people(id),
  created_at REAL NOT NULL,
  UNIQUE (category, submission_id));
CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT INTO meta VALUES ('board_version', 1);
)sql",
};

}  // namespace

void migrate(Db& db) {
  auto lock = db.lock();
  auto st = db.prepare("PRAGMA user_version");
  st.step();
  const auto have = static_cast<std::size_t>(st.col_int(0));
  if (have > kMigrations.size())
    throw DbError("the database " + db.file().string() + " is newer than this tt-arena (schema " +
                  std::to_string(have) + " > " + std::to_string(kMigrations.size()) + "): use a newer tt-arena");
  for (std::size_t i = have; i < kMigrations.size(); ++i) {
    Tx tx(db);
    db.exec(kMigrations[i]);
    db.exec("PRAGMA user_version = " + std::to_string(i + 1));
    tx.commit();
  }
}

void bump_board_version(Db& db) { db.exec("UPDATE meta SET value = value + 1 WHERE key = 'board_version'"); }

std::int64_t board_version(Db& db) {
  auto lock = db.lock();
  auto st = db.prepare("SELECT value FROM meta WHERE key = 'board_version'");
  return st.step() ? st.col_int(0) : 0;
}

}  // namespace tt::arena
