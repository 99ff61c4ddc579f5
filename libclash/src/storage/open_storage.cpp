// OpenStorage: picks the backend from the URL scheme.
#include <string>

#include "clash/storage.h"
#include "storage/sqlite/sqlite_storage.h"
#if CLASH_WITH_POSTGRES
#include "storage/postgres/pg_storage.h"
#endif

namespace clash {

Result<std::unique_ptr<Storage>> OpenStorage(std::string_view url) {
  constexpr std::string_view kSqliteMemory = "sqlite::memory:";
  constexpr std::string_view kSqlite = "sqlite://";
  if (url == kSqliteMemory) return internal::OpenSqliteStorage(":memory:");
  if (url.starts_with(kSqlite)) {
    std::string path(url.substr(kSqlite.size()));  // "sqlite:///abs" -> "/abs"; "sqlite://rel" -> "rel"
    if (path.empty()) return Status::InvalidArgument("sqlite URL has no path: use sqlite:///path/to/file.db");
    return internal::OpenSqliteStorage(path);
  }
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
#if CLASH_WITH_POSTGRES
    return internal::OpenPostgresStorage(std::string(url));
#else
    return Status::FailedPrecondition("this build has no PostgreSQL backend (CLASH_WITH_POSTGRES=OFF)");
#endif
  }
  return Status::InvalidArgument("unknown storage URL scheme; use sqlite:///path.db, sqlite::memory: or postgresql://...");
}

}  // namespace clash
