// Internal: the PostgreSQL backend on libpq.
//
// URL: postgresql://user[:password]@host[:port]/db[?param=value&...] (also postgres://). Every
// query parameter except `pool` goes to libpq unchanged (sslmode, application_name, ...);
// `connect_timeout` defaults to 5 seconds.
//   pool=N   at most N connections (1..1000, default 8). A transaction waits for a free connection
//            (up to 30 s, then Unavailable) rather than failing when all N are busy.
//
// Connections are opened lazily and kept. One found broken (server restart, network loss, admin
// termination) is discarded and a new one opened by the next transaction, so the storage recovers
// by itself once the server is back; a transaction that was running on the broken connection
// returns Unavailable and is not retried (it may or may not have committed).
//
// Isolation: write transactions run at READ COMMITTED (`BEGIN`), PostgreSQL's default. Domain SQL
// makes its writes safe under it with single-statement upserts (INSERT ... ON CONFLICT) and explicit
// row locks (SELECT ... FOR UPDATE) where it reads before writing; this avoids the serialization
// failures and retries that SERIALIZABLE would cause on hot rows such as an XP ledger. Deadlocks
// (40P01) and lock timeouts (55P03) still come back as conflicts and SqlStorage re-runs the
// transaction. Read transactions run at REPEATABLE READ READ ONLY: one snapshot for the whole
// function, as the Storage contract asks, and never a serialization failure.
//
// Migrations (pg_migrations.cpp) run on open under a transaction-level advisory lock, so several
// hosts opening one database at once apply each migration exactly once.
#pragma once

#include <memory>
#include <string>

#include "clash/storage.h"

namespace clash::internal {

// InvalidArgument for a malformed URL or pool value; Unavailable if the server cannot be reached;
// FailedPrecondition if the database holds a newer schema than this build knows.
Result<std::unique_ptr<Storage>> OpenPostgresStorage(const std::string& url);

}  // namespace clash::internal
