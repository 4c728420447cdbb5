// Roster parsing, the competition row, people and their tokens and sessions.
// Not the HTTP layer: cookies and headers are read in http_auth.cpp.
#include "tt/arena/people.hpp"

#include <ctime>
#include <sstream>

#include "tt/arena/schema.hpp"
#include "tt/arena/tokens.hpp"

namespace tt::arena {

namespace {

// One CSV line into fields (double quotes around a field, "" inside one).
std::vector<std::string> csv_fields(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
      out.back() += '"';
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  for (auto& f : out) {
    while (!f.empty() && (f.back() == ' ' || f.back() == '\r')) f.pop_back();
    while (!f.empty() && f.front() == ' ') f.erase(0, 1);
  }
  return out;
}

bool valid_login(const std::string& s) {
  return !s.empty() && s.size() <= 64 &&
         s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == std::string::npos;
}

Person read_person(Stmt& st) {
  return {st.col_int(0), st.col_text(1), st.col_text(2), st.col_text(3) == "staff" ? Role::staff : Role::student};
}

std::vector<IssuedToken> insert_people(Db& db, const std::vector<RosterRow>& roster) {
  std::vector<IssuedToken> out;
  for (const auto& r : roster) {
    auto exists = db.prepare("SELECT 1 FROM people WHERE login = ?");
    exists.args(r.login);
    if (exists.step()) throw RosterError("login '" + r.login + "' exists already");
    IssuedToken t{{0, r.login, r.name, r.role}, new_person_token()};
    db.prepare("INSERT INTO people (login, name, role, token_hash, created_at) VALUES (?, ?, ?, ?, ?)")
        .args(r.login, r.name, to_string(r.role), sha256_hex(t.token), now_seconds())
        .run();
    t.person.id = db.last_insert_id();
    out.push_back(t);
  }
  return out;
}

}  // namespace

std::string to_string(Role r) { return r == Role::staff ? "staff" : "student"; }

std::vector<RosterRow> parse_roster(const std::string& csv) {
  std::istringstream in(csv);
  std::string line, errors;
  int login_col = -1, name_col = -1, role_col = -1, n = 0;
  std::vector<RosterRow> rows;
  while (std::getline(in, line)) {
    ++n;
    if (line.find_first_not_of(" \r\t") == std::string::npos) continue;
    const auto f = csv_fields(line);
    if (login_col < 0) {
      for (int i = 0; i < static_cast<int>(f.size()); ++i) {
        if (f[i] == "login") login_col = i;
        if (f[i] == "name") name_col = i;
        if (f[i] == "role") role_col = i;
      }
      if (login_col < 0 || name_col < 0)
        throw RosterError("line " + std::to_string(n) + ": the first line must name the columns login,name[,role]");
      continue;
    }
    const auto at = [&](int c) { return c >= 0 && c < static_cast<int>(f.size()) ? f[c] : std::string(); };
    RosterRow r{at(login_col), at(name_col), Role::student};
    const std::string role = at(role_col);
    if (!valid_login(r.login)) errors += "line " + std::to_string(n) + ": login must be 1-64 of [A-Za-z0-9._-]\n";
    if (r.name.empty() || r.name.size() > 200) errors += "line " + std::to_string(n) + ": name must be 1-200 chars\n";
    if (role == "staff")
      r.role = Role::staff;
    else if (!role.empty() && role != "student")
      errors += "line " + std::to_string(n) + ": role must be student or staff\n";
    for (const auto& o : rows)
      if (o.login == r.login) errors += "line " + std::to_string(n) + ": login '" + r.login + "' twice\n";
    rows.push_back(r);
  }
  if (login_col < 0) throw RosterError("the roster is empty: expected a header login,name[,role] and one line each");
  if (!errors.empty()) throw RosterError("the roster has errors (nothing was created):\n" + errors);
  return rows;
}

bool has_competition(Db& db) {
  auto lock = db.lock();
  return db.prepare("SELECT 1 FROM competition").step();
}

std::vector<IssuedToken> create_competition(Db& db, const Competition& c, const std::vector<RosterRow>& roster) {
  Tx tx(db);
  if (db.prepare("SELECT 1 FROM competition").step())
    throw RosterError("this database already holds a competition; use `tt-arena admin add-people` or a new --data dir");
  db.prepare(
        "INSERT INTO competition (id, title, phase, hardware_class, daily_quota, max_upload_bytes, created_at) "
        "VALUES (1, ?, 'public', ?, ?, ?, ?)")
      .args(c.title, c.hardware_class, c.daily_quota, c.max_upload_bytes, now_seconds())
      .run();
  auto out = insert_people(db, roster);
  bump_board_version(db);
  tx.commit();
  return out;
}

std::vector<IssuedToken> add_people(Db& db, const std::vector<RosterRow>& roster) {
  Tx tx(db);
  auto out = insert_people(db, roster);
  tx.commit();
  return out;
}

IssuedToken reissue_token(Db& db, const std::string& login) {
  Tx tx(db);
  auto st = db.prepare("SELECT id, login, name, role FROM people WHERE login = ?");
  st.args(login);
  if (!st.step()) throw RosterError("no person with login '" + login + "'");
  IssuedToken t{read_person(st), new_person_token()};
  db.prepare("UPDATE people SET token_hash = ? WHERE id = ?").args(sha256_hex(t.token), t.person.id).run();
  db.prepare("DELETE FROM sessions WHERE person_id = ?").args(t.person.id).run();
  tx.commit();
  return t;
}

Competition load_competition(Db& db) {
  auto lock = db.lock();
  auto st = db.prepare("SELECT title, phase, hardware_class, daily_quota, max_upload_bytes FROM competition");
  if (!st.step()) throw DbError("no competition yet: create one with `tt-arena admin create --roster FILE`");
  return {st.col_text(0), st.col_text(1), st.col_text(2), static_cast<int>(st.col_int(3)), st.col_int(4)};
}

void set_phase(Db& db, const std::string& phase) {
  Tx tx(db);
  db.prepare("UPDATE competition SET phase = ?").args(phase).run();
  bump_board_version(db);
  tx.commit();
}

std::optional<Person> person_by_token(Db& db, const std::string& token) {
  if (token.size() > 200) return std::nullopt;
  auto lock = db.lock();
  auto st = db.prepare("SELECT id, login, name, role FROM people WHERE token_hash = ?");
  st.args(sha256_hex(token));
  if (!st.step()) return std::nullopt;
  return read_person(st);
}

std::optional<Person> person_by_id(Db& db, std::int64_t id) {
  auto lock = db.lock();
  auto st = db.prepare("SELECT id, login, name, role FROM people WHERE id = ?");
  st.args(id);
  if (!st.step()) return std::nullopt;
  return read_person(st);
}

Session create_session(Db& db, std::int64_t person_id, double ttl_seconds) {
  Session s{random_hex(24), random_hex(20)};
  auto lock = db.lock();
  db.prepare("DELETE FROM sessions WHERE expires_at < ?").args(now_seconds()).run();
  db.prepare("INSERT INTO sessions (hash, person_id, csrf, expires_at) VALUES (?, ?, ?, ?)")
      .args(sha256_hex(s.id), person_id, s.csrf, now_seconds() + ttl_seconds)
      .run();
  return s;
}

std::optional<std::pair<Person, std::string>> person_by_session(Db& db, const std::string& id) {
  if (id.size() > 200) return std::nullopt;
  auto lock = db.lock();
  auto st = db.prepare(
      "SELECT p.id, p.login, p.name, p.role, s.csrf FROM sessions s JOIN people p ON p.id = s.person_id "
      "WHERE s.hash = ? AND s.expires_at > ?");
  st.args(sha256_hex(id), now_seconds());
  if (!st.step()) return std::nullopt;
  return std::make_pair(read_person(st), st.col_text(4));
}

void delete_session(Db& db, const std::string& id) {
  auto lock = db.lock();
  db.prepare("DELETE FROM sessions WHERE hash = ?").args(sha256_hex(id)).run();
}

std::string utc_day(double seconds) {
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

}  // namespace tt::arena
