#include "storage/sqlite/sqlite_backup.h"

#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>

#include "storage/sqlite/sqlite_migrations.h"

namespace clash::internal {
namespace {

constexpr int kPagesPerStep = 256;  // ~1 MB per step with 4 KB pages: progress and short locks

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
using Db = std::unique_ptr<sqlite3, DbCloser>;

Result<Db> OpenDb(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  Db db(raw);
  if (rc != SQLITE_OK) return Status::Unavailable("cannot open SQLite database '" + path + "'");
  sqlite3_busy_timeout(db.get(), 5000);
  return db;
}

// The first column of every row of `sql`, joined by newlines.
Result<std::string> Column(sqlite3* db, const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK) {
    return Status::FailedPrecondition(std::string("not a readable SQLite database: ") + sqlite3_errmsg(db));
  }
  std::string out;
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(stmt, 0);
    if (!out.empty()) out += "\n";
    out += text != nullptr ? reinterpret_cast<const char*>(text) : "";
  }
  sqlite3_finalize(stmt);
  if (rc != SQLITE_DONE) return Status::FailedPrecondition(std::string("reading the database failed: ") + sqlite3_errmsg(db));
  return out;
}

Status CheckOpen(sqlite3* db) {
  Result<std::string> integrity = Column(db, "PRAGMA integrity_check");
  if (!integrity.ok()) return integrity.status();
  if (*integrity != "ok") return Status::FailedPrecondition("integrity_check: " + integrity->substr(0, 500));
  Result<std::string> foreign = Column(db, "PRAGMA foreign_key_check");
  if (!foreign.ok()) return foreign.status();
  if (!foreign->empty()) {
    return Status::FailedPrecondition("foreign_key_check: rows refer to missing rows in " + foreign->substr(0, 200));
  }
  return Status::Ok();
}

// Copies `from` into `to` in steps, reporting pages.
Status Copy(sqlite3* from, sqlite3* to, const CopyProgressFn& progress) {
  sqlite3_backup* backup = sqlite3_backup_init(to, "main", from, "main");
  if (backup == nullptr) return Status::Internal(std::string("backup cannot start: ") + sqlite3_errmsg(to));
  int rc;
  do {
    rc = sqlite3_backup_step(backup, kPagesPerStep);
    if (progress) {
      int total = sqlite3_backup_pagecount(backup);
      progress({total - sqlite3_backup_remaining(backup), total});
    }
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(10);
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) return Status::Internal(std::string("backup step failed: ") + sqlite3_errstr(rc));
  return Status::Ok();
}

}  // namespace

Status SqliteBackup(const std::string& db_path, const std::string& out_path, const CopyProgressFn& progress) {
  if (db_path == ":memory:") return Status::InvalidArgument("an in-memory database has nothing to back up");
  struct stat st {};
  if (stat(db_path.c_str(), &st) != 0) return Status::NotFound("no SQLite database at '" + db_path + "'");
  if (stat(out_path.c_str(), &st) == 0) return Status::AlreadyExists("backup file '" + out_path + "' exists");
  CLASH_ASSIGN_OR_RETURN(Db from, OpenDb(db_path, SQLITE_OPEN_READONLY));
  CLASH_ASSIGN_OR_RETURN(Db to, OpenDb(out_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
  Status copied = Copy(from.get(), to.get(), progress);
  if (copied.ok()) copied = CheckOpen(to.get());
  to.reset();
  if (!copied.ok()) unlink(out_path.c_str());
  return copied;
}

Status SqliteRestore(const std::string& backup_path, const std::string& db_path, const CopyProgressFn& progress) {
  if (db_path == ":memory:") return Status::InvalidArgument("cannot restore into an in-memory database");
  struct stat st {};
  if (stat(backup_path.c_str(), &st) != 0) return Status::NotFound("no backup file at '" + backup_path + "'");
  CLASH_ASSIGN_OR_RETURN(Db from, OpenDb(backup_path, SQLITE_OPEN_READONLY));
  CLASH_RETURN_IF_ERROR(CheckOpen(from.get()));
  Result<std::string> version = Column(from.get(), "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  if (!version.ok()) return Status::InvalidArgument("'" + backup_path + "' is not a Clash database");
  int latest = SqliteMigrations().empty() ? 0 : SqliteMigrations().back().version;
  if (std::stoi(*version) > latest) {
    return Status::FailedPrecondition("the backup has schema version " + *version + "; this build knows up to " +
                                      std::to_string(latest) + " (restore it with a newer clash-host)");
  }
  CLASH_ASSIGN_OR_RETURN(Db to, OpenDb(db_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
  CLASH_RETURN_IF_ERROR(Copy(from.get(), to.get(), progress));
  return CheckOpen(to.get());
}

Status SqliteCheckIntegrity(const std::string& db_path) {
  CLASH_ASSIGN_OR_RETURN(Db db, OpenDb(db_path, SQLITE_OPEN_READONLY));
  return CheckOpen(db.get());
}

}  // namespace clash::internal
