// OpenStorage: picks the backend from the URL scheme.
#include <string>

#include "clash/storage.h"
#include "storage/sqlite/sqlite_backup.h"
#include "storage/sqlite/sqlite_storage.h"
#if CLASH_WITH_POSTGRES
#include "storage/postgres/pg_storage.h"
#endif

namespace clash {

namespace {

constexpr std::string_view kSqliteMemory = "sqlite::memory:";
constexpr std::string_view kSqlite = "sqlite://";

bool IsPostgres(std::string_view url) { return url.starts_with("postgresql://") || url.starts_with("postgres://"); }

// The file of a sqlite:// URL ("sqlite:///abs" -> "/abs"; "sqlite://rel" -> "rel"; the in-memory
// URL -> ":memory:"); InvalidArgument for anything else.
Result<std::string> SqlitePath(std::string_view url) {
  if (url == kSqliteMemory) return std::string(":memory:");
  if (!url.starts_with(kSqlite)) {
    return Status::InvalidArgument("unknown storage URL scheme; use sqlite:///path.db, sqlite::memory: or postgresql://...");
  }
  std::string path(url.substr(kSqlite.size()));
  if (path.empty()) return Status::InvalidArgument("sqlite URL has no path: use sqlite:///path/to/file.db");
  return path;
}

}  // namespace

Status BackupStorage(std::string_view storage_url, const std::string& out_path, const CopyProgressFn& progress) {
  if (IsPostgres(storage_url)) {
    return Status::FailedPrecondition("back up PostgreSQL with pg_dump -Fc, then run clash-host check-data "
                                      "(docs/operations.md)");
  }
  CLASH_ASSIGN_OR_RETURN(std::string path, SqlitePath(storage_url));
  return internal::SqliteBackup(path, out_path, progress);
}

Status RestoreStorage(const std::string& backup_path, std::string_view storage_url, const CopyProgressFn& progress) {
  if (IsPostgres(storage_url)) {
    return Status::FailedPrecondition("restore PostgreSQL with pg_restore, then run clash-host check-data "
                                      "(docs/operations.md)");
  }
  CLASH_ASSIGN_OR_RETURN(std::string path, SqlitePath(storage_url));
  return internal::SqliteRestore(backup_path, path, progress);
}

Status CheckStorageIntegrity(std::string_view storage_url) {
  if (IsPostgres(storage_url)) return Status::Ok();
  CLASH_ASSIGN_OR_RETURN(std::string path, SqlitePath(storage_url));
  if (path == ":memory:") return Status::Ok();
  return internal::SqliteCheckIntegrity(path);
}

Result<std::unique_ptr<Storage>> OpenStorage(std::string_view url) {
  if (url == kSqliteMemory || url.starts_with(kSqlite)) {
    CLASH_ASSIGN_OR_RETURN(std::string path, SqlitePath(url));
    return internal::OpenSqliteStorage(path);
  }
  if (IsPostgres(url)) {
#if CLASH_WITH_POSTGRES
    return internal::OpenPostgresStorage(std::string(url));
#else
    return Status::FailedPrecondition("this build has no PostgreSQL backend (CLASH_WITH_POSTGRES=OFF)");
#endif
  }
  return Status::InvalidArgument("unknown storage URL scheme; use sqlite:///path.db, sqlite::memory: or postgresql://...");
}

}  // namespace clash
