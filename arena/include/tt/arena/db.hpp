// A thin RAII layer over SQLite: one connection, prepared statements, and transactions that roll
// back unless committed. Not the schema (schema.hpp) and not a query builder.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace tt::arena {

struct DbError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Db;

// One prepared statement; bind with bind(1, …), step() until it returns false, read with col_*.
class Stmt {
 public:
  Stmt(sqlite3* db, std::string_view sql);
  ~Stmt();
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& bind(int i, std::int64_t v);
  Stmt& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
  Stmt& bind(int i, double v);
  Stmt& bind(int i, const std::string& v);
  Stmt& bind(int i, const char* v) { return bind(i, std::string(v)); }
  Stmt& bind(int i, std::nullopt_t);
  Stmt& bind(int i, const std::optional<std::string>& v) { return v ? bind(i, *v) : bind(i, std::nullopt); }
  Stmt& bind(int i, const std::optional<std::int64_t>& v) { return v ? bind(i, *v) : bind(i, std::nullopt); }

  // Binds every argument in order from 1.
  template <class... A>
  Stmt& args(const A&... a) {
    int i = 0;
    (bind(++i, a), ...);
    return *this;
  }

  bool step();  // true: a row is ready
  void run();   // steps to the end
  std::int64_t col_int(int c) const { return sqlite3_column_int64(s_, c); }
  double col_double(int c) const { return sqlite3_column_double(s_, c); }
  std::string col_text(int c) const;
  bool col_null(int c) const { return sqlite3_column_type(s_, c) == SQLITE_NULL; }

 private:
  sqlite3* db_;
  sqlite3_stmt* s_ = nullptr;
};

// The connection. Every public use holds lock(): one writer or reader at a time in this process
// (queries take well under a millisecond; boards are cached above this layer).
class Db {
 public:
  // Opens (creating) the database in WAL mode with a busy timeout, so several processes share it.
  explicit Db(const std::filesystem::path& file);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  void exec(const std::string& sql);
  Stmt prepare(std::string_view sql) { return Stmt(db_, sql); }
  std::int64_t last_insert_id() const { return sqlite3_last_insert_rowid(db_); }
  int changes() const { return sqlite3_changes(db_); }
  std::unique_lock<std::recursive_mutex> lock() { return std::unique_lock(mu_); }
  const std::filesystem::path& file() const { return file_; }

 private:
  sqlite3* db_ = nullptr;
  std::recursive_mutex mu_;
  std::filesystem::path file_;
};

// BEGIN IMMEDIATE … COMMIT; rolled back by the destructor unless commit() ran. Holds the lock.
class Tx {
 public:
  explicit Tx(Db& db);
  ~Tx();
  Tx(const Tx&) = delete;
  Tx& operator=(const Tx&) = delete;
  void commit();

 private:
  Db& db_;
  std::unique_lock<std::recursive_mutex> lock_;
  bool done_ = false;
};

// Seconds since the epoch, with microseconds (the time every row records).
double now_seconds();

}  // namespace tt::arena
