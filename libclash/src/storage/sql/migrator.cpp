#include "storage/sql/migrator.h"

namespace clash::internal {

Result<int> ReadSchemaVersion(SqlSession& session) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session.Exec("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
  if (r.rows.empty()) return 0;
  return static_cast<int>(r.rows[0].Int(0));
}

Status ApplyMigrations(SqlSession& session, const std::vector<Migration>& migrations,
                       const std::string& begin_sql, const std::string& lock_sql) {
  for (const Migration& m : migrations) {
    CLASH_RETURN_IF_ERROR(session.ExecScript(begin_sql));
    auto apply = [&]() -> Status {
      // Under the lock, so hosts opening one database at once do not race on the CREATE.
      if (!lock_sql.empty()) CLASH_RETURN_IF_ERROR(session.ExecScript(lock_sql));
      CLASH_RETURN_IF_ERROR(session.ExecScript(
          "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)"));
      CLASH_ASSIGN_OR_RETURN(int current, ReadSchemaVersion(session));
      if (current > migrations.back().version) {
        return Status::FailedPrecondition("database schema version " + std::to_string(current) +
                                          " is newer than this build supports (" +
                                          std::to_string(migrations.back().version) + ")");
      }
      if (m.version <= current) return Status::Ok();
      CLASH_RETURN_IF_ERROR(session.ExecScript(m.sql));
      CLASH_RETURN_IF_ERROR(session.Exec("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                                         {std::int64_t{m.version}, m.name}));
      return Status::Ok();
    };
    Status s = apply();
    if (!s.ok()) {
      (void)session.ExecScript("ROLLBACK");
      return s;
    }
    CLASH_RETURN_IF_ERROR(session.ExecScript("COMMIT"));
  }
  return Status::Ok();
}

}  // namespace clash::internal
