// The competition's settings and its people: created from a roster CSV, each with one secret token
// (returned once, stored as its SHA-256), found again by token or by session.
// Not HTTP: http_auth.hpp reads cookies and headers and calls these.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tt/arena/db.hpp"

namespace tt::arena {

enum class Role { student, staff };
std::string to_string(Role r);

struct Person {
  std::int64_t id = 0;
  std::string login, name;
  Role role = Role::student;
};

struct Competition {
  std::string title;
  std::string phase;           // public | closing | closed
  std::string hardware_class;  // CPU model every timed result must come from ("" = this server's)
  int daily_quota = 5;
  std::int64_t max_upload_bytes = 8 << 20;
};

struct IssuedToken {
  Person person;
  std::string token;  // shown once
};

struct RosterError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Roster CSV: a header naming `login` and `name` (and optionally `role`: student | staff), then one
// person per line. Throws RosterError listing every bad line (nothing is written then).
struct RosterRow {
  std::string login, name;
  Role role = Role::student;
};
std::vector<RosterRow> parse_roster(const std::string& csv);

// Creates the competition and its people in one transaction. Throws if one exists already.
std::vector<IssuedToken> create_competition(Db& db, const Competition& c, const std::vector<RosterRow>& roster);
// Adds people to the existing competition (logins must be new).
std::vector<IssuedToken> add_people(Db& db, const std::vector<RosterRow>& roster);
// A new token for a person (the old one stops working, and so do their sessions).
IssuedToken reissue_token(Db& db, const std::string& login);

bool has_competition(Db& db);
Competition load_competition(Db& db);  // throws when none was created
void set_phase(Db& db, const std::string& phase);

std::optional<Person> person_by_token(Db& db, const std::string& token);
std::optional<Person> person_by_id(Db& db, std::int64_t id);

// Sessions: a random id in an HttpOnly cookie, its SHA-256 in the database, a CSRF value per session.
struct Session {
  std::string id, csrf;
};
Session create_session(Db& db, std::int64_t person_id, double ttl_seconds);
std::optional<std::pair<Person, std::string>> person_by_session(Db& db, const std::string& id);  // {person, csrf}
void delete_session(Db& db, const std::string& id);

// "YYYY-MM-DD" (UTC) of a time, for the daily quota.
std::string utc_day(double seconds);

}  // namespace tt::arena
