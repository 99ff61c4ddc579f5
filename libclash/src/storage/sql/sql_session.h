// Internal: the SQL layer shared by the SQLite and PostgreSQL backends.
//
// Domain stores (levels, ...) are written once against SqlSession, with `$1..$n` placeholders and
// the SQL subset both engines speak (INSERT ... ON CONFLICT, RETURNING). Backends implement
// SqlSession over their driver, cache prepared statements per connection, and map driver errors to
// Status codes:
//   unique violation -> AlreadyExists        foreign-key violation -> FailedPrecondition
//   serialization failure, deadlock, busy -> Aborted (and conflict() becomes true)
//   lost connection -> Unavailable (and healthy() becomes false)     anything else -> Internal
// Not part of the public API.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "clash/status.h"

namespace clash::internal {

enum class SqlDialect { kSqlite, kPostgres };

using SqlValue = std::variant<std::monostate, std::int64_t, double, std::string>;

struct SqlRow {
  std::vector<SqlValue> cols;
  bool IsNull(std::size_t i) const { return std::holds_alternative<std::monostate>(cols.at(i)); }
  // Integer value of column i (0 for NULL; text is parsed).
  std::int64_t Int(std::size_t i) const;
  // Text value of column i ("" for NULL; numbers are formatted).
  std::string Text(std::size_t i) const;
};

struct SqlResult {
  std::vector<SqlRow> rows;
  std::int64_t affected = 0;  // rows changed by INSERT/UPDATE/DELETE
};

class SqlSession {
 public:
  virtual ~SqlSession() = default;
  virtual SqlDialect dialect() const = 0;
  // Runs one statement, prepared once per session and cached by its text.
  virtual Result<SqlResult> Exec(std::string_view sql, const std::vector<SqlValue>& params = {}) = 0;
  // Runs several statements without parameters (DDL, BEGIN/COMMIT).
  virtual Status ExecScript(std::string_view sql) = 0;
  // False once the connection is known to be broken; the pool then discards it.
  virtual bool healthy() const = 0;
  // True if an error since the last ClearConflict() was a serialization failure, deadlock or busy.
  virtual bool conflict() const = 0;
  virtual void ClearConflict() = 0;
  // Marks the session as if a statement had hit a serialization conflict, so the transaction is
  // rolled back and run again: fault injection for tests of the retry path.
  virtual void SimulateConflict() = 0;
};

// A borrowed session; returns it to its pool when destroyed.
class SessionLease {
 public:
  using Releaser = std::function<void(SqlSession*)>;
  SessionLease(SqlSession* session, Releaser release) : session_(session), release_(std::move(release)) {}
  SessionLease(SessionLease&& o) noexcept : session_(std::exchange(o.session_, nullptr)), release_(std::move(o.release_)) {}
  SessionLease& operator=(SessionLease&&) = delete;
  SessionLease(const SessionLease&) = delete;
  ~SessionLease() {
    if (session_ && release_) release_(session_);
  }
  SqlSession* operator->() const { return session_; }
  SqlSession& operator*() const { return *session_; }

 private:
  SqlSession* session_;
  Releaser release_;
};

}  // namespace clash::internal
