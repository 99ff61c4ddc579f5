#include "storage/sqlite/sqlite_session.h"

#include <sqlite3.h>

#include <charconv>

#include "storage/sqlite/frame_write_vfs.h"

namespace clash::internal {

Result<std::unique_ptr<SqliteSession>> SqliteSession::Open(const std::string& path, bool read_only) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_NOMUTEX | (read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, FrameWriteVfsName());
  if (rc != SQLITE_OK) {
    sqlite3_close(db);
    return Status::Unavailable("cannot open SQLite database '" + path + "'");
  }
  auto session = std::unique_ptr<SqliteSession>(new SqliteSession(db));
  sqlite3_busy_timeout(db, 5000);
  std::string pragmas = "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";
  if (path != ":memory:" && !read_only) pragmas += " PRAGMA journal_mode = WAL;";
  // The one writer keeps the hot pages (ledger and index leaves, wallets) cached: 32 MB, not 2.
  if (!read_only) pragmas += " PRAGMA cache_size = -32000;";
  CLASH_RETURN_IF_ERROR(session->ExecScript(pragmas));
  return session;
}

SqliteSession::~SqliteSession() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

Status SqliteSession::ErrorStatus(int rc, std::string_view what) {
  int primary = rc & 0xff;
  std::string detail = std::string(what) + ": " + sqlite3_errmsg(db_);
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    conflict_ = true;
    return Status::Aborted("database is busy");
  }
  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) return Status::AlreadyExists(detail);
  if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) return Status::FailedPrecondition(detail);
  if (rc == SQLITE_CONSTRAINT_CHECK || rc == SQLITE_CONSTRAINT_NOTNULL) return Status::InvalidArgument(detail);
  if (primary == SQLITE_CORRUPT || primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN ||
      primary == SQLITE_FULL) {
    healthy_ = false;
    return Status::Unavailable(detail);
  }
  return Status::Internal(detail);
}

Result<sqlite3_stmt*> SqliteSession::Prepare(std::string_view sql) {
  std::string key(sql);
  if (auto it = cache_.find(key); it != cache_.end()) return it->second;
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return ErrorStatus(rc, "prepare");
  cache_.emplace(std::move(key), stmt);
  return stmt;
}

Result<SqlResult> SqliteSession::Exec(std::string_view sql, const std::vector<SqlValue>& params) {
  CLASH_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql));
  struct Reset {
    sqlite3_stmt* s;
    ~Reset() {
      sqlite3_reset(s);
      sqlite3_clear_bindings(s);
    }
  } reset{stmt};

  int n = sqlite3_bind_parameter_count(stmt);
  for (int i = 1; i <= n; ++i) {
    const char* name = sqlite3_bind_parameter_name(stmt, i);
    std::size_t index = 0;
    if (name == nullptr || name[0] != '$' ||
        std::from_chars(name + 1, name + std::char_traits<char>::length(name), index).ec != std::errc() ||
        index == 0 || index > params.size()) {
      return Status::Internal("statement parameter " + std::to_string(i) + " has no value");
    }
    const SqlValue& v = params[index - 1];
    int rc = SQLITE_OK;
    if (auto* iv = std::get_if<std::int64_t>(&v)) {
      rc = sqlite3_bind_int64(stmt, i, *iv);
    } else if (auto* dv = std::get_if<double>(&v)) {
      rc = sqlite3_bind_double(stmt, i, *dv);
    } else if (auto* sv = std::get_if<std::string>(&v)) {
      rc = sqlite3_bind_text(stmt, i, sv->data(), static_cast<int>(sv->size()), SQLITE_TRANSIENT);
    } else {
      rc = sqlite3_bind_null(stmt, i);
    }
    if (rc != SQLITE_OK) return ErrorStatus(rc, "bind");
  }

  SqlResult result;
  for (;;) {
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return ErrorStatus(sqlite3_extended_errcode(db_), "step");
    int cols = sqlite3_column_count(stmt);
    SqlRow row;
    row.cols.reserve(static_cast<std::size_t>(cols));
    for (int c = 0; c < cols; ++c) {
      switch (sqlite3_column_type(stmt, c)) {
        case SQLITE_INTEGER: row.cols.emplace_back(std::int64_t{sqlite3_column_int64(stmt, c)}); break;
        case SQLITE_FLOAT: row.cols.emplace_back(sqlite3_column_double(stmt, c)); break;
        case SQLITE_NULL: row.cols.emplace_back(std::monostate{}); break;
        default: {
          const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
          row.cols.emplace_back(std::string(text ? text : "", static_cast<std::size_t>(sqlite3_column_bytes(stmt, c))));
        }
      }
    }
    result.rows.push_back(std::move(row));
  }
  result.affected = sqlite3_changes64(db_);
  return result;
}

Status SqliteSession::ExecScript(std::string_view sql) {
  std::string text(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
  sqlite3_free(err);
  if (rc != SQLITE_OK) return ErrorStatus(sqlite3_extended_errcode(db_), "exec");
  return Status::Ok();
}

}  // namespace clash::internal
