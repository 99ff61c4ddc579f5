// Internal: Storage implemented on a pool of SqlSessions. Backends supply the pool and dialect
// details; transactions, retries and the stores are shared.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "clash/storage.h"
#include "storage/sql/migrator.h"
#include "storage/sql/sql_session.h"

namespace clash::internal {

class SqlStorage : public Storage {
 public:
  Status Ping() override;
  Result<int> SchemaVersion() override;
  Status Transact(const TransactionFn& fn) override;
  Status Read(const TransactionFn& fn) override;

  // Applies this backend's migrations. Called once by the backend's Open function.
  Status Migrate();

 protected:
  // A session for a read-write (write=true) or read-only transaction. Unavailable if none can be had.
  virtual Result<SessionLease> Acquire(bool write) = 0;
  virtual std::string BeginSql(bool write) const = 0;
  virtual const std::vector<Migration>& migrations() const = 0;
  // Statements run inside the migration transaction before reading the version (e.g. a lock).
  virtual std::string MigrationLockSql() const { return ""; }

 private:
  Status RunTransaction(bool write, const TransactionFn& fn);
};

}  // namespace clash::internal
