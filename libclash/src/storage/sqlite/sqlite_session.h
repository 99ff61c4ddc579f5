// Internal: SqlSession on one sqlite3 connection, with a per-connection prepared-statement cache.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>

#include "storage/sql/sql_session.h"

struct sqlite3;
struct sqlite3_stmt;

namespace clash::internal {

class SqliteSession final : public SqlSession {
 public:
  // Opens `path` (a file path or ":memory:") with WAL (files only), foreign keys on and a busy
  // timeout. Unavailable if the file cannot be opened.
  static Result<std::unique_ptr<SqliteSession>> Open(const std::string& path, bool read_only);
  ~SqliteSession() override;

  SqlDialect dialect() const override { return SqlDialect::kSqlite; }
  Result<SqlResult> Exec(std::string_view sql, const std::vector<SqlValue>& params) override;
  Status ExecScript(std::string_view sql) override;
  bool healthy() const override { return healthy_; }
  bool conflict() const override { return conflict_; }
  void ClearConflict() override { conflict_ = false; }
  void SimulateConflict() override { conflict_ = true; }
  // The connection, for backend-level hooks (the WAL checkpointer).
  sqlite3* handle() const { return db_; }

 private:
  explicit SqliteSession(sqlite3* db) : db_(db) {}
  Status ErrorStatus(int rc, std::string_view what);
  Result<sqlite3_stmt*> Prepare(std::string_view sql);

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
  bool healthy_ = true;
  bool conflict_ = false;
};

}  // namespace clash::internal
