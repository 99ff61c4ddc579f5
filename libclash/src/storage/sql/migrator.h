// Internal: versioned schema migrations, one list per backend, applied in order when storage opens.
#pragma once

#include <string>
#include <vector>

#include "clash/status.h"
#include "storage/sql/sql_session.h"

namespace clash::internal {

struct Migration {
  int version;        // 1, 2, 3... strictly increasing, never reused
  std::string name;   // short description, stored with the version
  std::string sql;    // one or more statements
};

// Ensures the schema_migrations table exists, then applies every migration newer than the stored
// version, each in its own transaction together with its version row. `lock_sql` runs first in each
// transaction so concurrent openers serialise. FailedPrecondition if the database is newer than
// `migrations` knows.
Status ApplyMigrations(SqlSession& session, const std::vector<Migration>& migrations,
                       const std::string& begin_sql, const std::string& lock_sql);

// The highest applied version (0 for a fresh database).
Result<int> ReadSchemaVersion(SqlSession& session);

}  // namespace clash::internal
