#include "storage/sql/sql_storage.h"

#include <chrono>
#include <thread>

#include "storage/sql/sql_transaction.h"

namespace clash::internal {
namespace {
constexpr int kMaxAttempts = 8;
}  // namespace

Status SqlStorage::Ping() {
  Result<SessionLease> lease = Acquire(false);
  if (!lease.ok()) return Status::Unavailable("storage unreachable");
  Result<SqlResult> r = (*lease)->Exec("SELECT 1");
  if (!r.ok()) return Status::Unavailable("storage unreachable");
  return Status::Ok();
}

Result<int> SqlStorage::SchemaVersion() {
  CLASH_ASSIGN_OR_RETURN(SessionLease lease, Acquire(false));
  return ReadSchemaVersion(*lease);
}

Status SqlStorage::Migrate() {
  CLASH_ASSIGN_OR_RETURN(SessionLease lease, Acquire(true));
  return ApplyMigrations(*lease, migrations(), BeginSql(true), MigrationLockSql());
}

Status SqlStorage::Transact(const TransactionFn& fn) { return RunTransaction(true, fn); }
Status SqlStorage::Read(const TransactionFn& fn) { return RunTransaction(false, fn); }

Status SqlStorage::RunTransaction(bool write, const TransactionFn& fn) {
  Status last;
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    if (attempt > 0) {
      // Back off a little, more each time, so conflicting writers spread out.
      std::this_thread::sleep_for(std::chrono::microseconds(200 << std::min(attempt, 6)));
    }
    std::vector<std::function<void()>> on_commit;
    bool retry = false;
    Status s;
    {
      CLASH_ASSIGN_OR_RETURN(SessionLease lease, Acquire(write));
      SqlSession& session = *lease;
      session.ClearConflict();
      s = session.ExecScript(BeginSql(write));
      if (s.ok()) {
        SqlTransaction tx(session);
        s = fn(tx);
        if (s.ok()) s = session.ExecScript("COMMIT");
        if (s.ok()) on_commit = tx.TakeOnCommit();
      }
      if (!s.ok()) {
        retry = session.conflict() && session.healthy();
        if (session.healthy()) (void)session.ExecScript("ROLLBACK");
      }
    }
    // The session is back in its pool: callbacks may open transactions of their own.
    if (s.ok()) {
      RunOnCommit(on_commit);
      return s;
    }
    if (!retry) return s;
    last = s;
  }
  return Status::Aborted("transaction kept conflicting with concurrent updates; try again");
}

}  // namespace clash::internal
