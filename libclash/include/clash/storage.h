// clash/storage.h — Implement this to add a storage backend; application code never calls it directly.
//
// The library reaches persistent state only through these interfaces: Storage opens transactions,
// and a StorageTransaction hands out one store per domain, each declared in its own header under
// clash/stores/ (level_store.h, identity_stores.h, economy_stores.h, ...). They are shaped by the
// domain, not by SQL; a new module adds its store header there and one accessor here. Two backends ship:
// SQLite (embedded default; `sqlite:///path/file.db` or `sqlite::memory:`) and PostgreSQL
// (`postgresql://user@host:port/db`). Both pass the same conformance suite
// (tests/storage/storage_contract_test.cpp).
//
// Thread-safety: all Storage implementations must be safe for concurrent use. A StorageTransaction
// and the stores it hands out belong to the thread running the transaction function.
//
// Example (a module's write path):
//   Status s = storage.Transact([&](StorageTransaction& tx) -> Status {
//     CLASH_RETURN_IF_ERROR(tx.levels().Upsert(level));
//     return Status::Ok();
//   });
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "clash/export.h"
#include "clash/status.h"
#include "clash/stores/achievement_store.h"
#include "clash/stores/campaign_store.h"
#include "clash/stores/chat_store.h"
#include "clash/stores/admin_store.h"
#include "clash/stores/economy_stores.h"
#include "clash/stores/identity_stores.h"
#include "clash/stores/judge_job_store.h"
#include "clash/stores/level_store.h"
#include "clash/stores/match_store.h"
#include "clash/stores/notification_store.h"
#include "clash/stores/payment_store.h"
#include "clash/stores/retrieval_store.h"
#include "clash/stores/shop_store.h"
#include "clash/stores/social_store.h"
#include "clash/stores/task_store.h"

namespace clash {

// The stores reachable inside one transaction. Everything done through them commits or rolls back
// together.
class CLASH_EXPORT StorageTransaction {
 public:
  virtual ~StorageTransaction() = default;
  virtual LevelStore& levels() = 0;
  virtual UserStore& users() = 0;
  virtual OtpStore& otps() = 0;
  virtual SessionStore& sessions() = 0;
  virtual JudgeJobStore& judge_jobs() = 0;
  virtual LedgerStore& ledger() = 0;
  virtual WalletStore& wallets() = 0;
  virtual CheckInStore& check_ins() = 0;
  virtual ShopStore& shop() = 0;
  virtual PaymentStore& payments() = 0;
  virtual AchievementStore& achievements() = 0;
  virtual CampaignStore& campaign() = 0;
  virtual TaskStore& tasks() = 0;
  virtual NotificationStore& notifications() = 0;
  virtual SocialStore& social() = 0;
  virtual ChatStore& chat() = 0;
  virtual PostStore& posts() = 0;
  virtual AdminStore& admin() = 0;
  virtual MatchStore& matches() = 0;
  // The AI tutor's retrieval corpus (chunks, full-text index, vectors).
  virtual RetrievalStore& retrieval() = 0;

  // Runs `callback` once this transaction has committed: on the thread that called Transact (or
  // Read), after every storage lock of the transaction is released and before Transact returns, in
  // registration order. Never for a transaction that rolls back, and never for an attempt the
  // backend runs again after a conflict: that attempt's callbacks are dropped and the new attempt
  // registers its own. Use it for effects outside storage that must follow a commit (publishing a
  // notification, waking a worker). A callback may open new transactions; it must not throw.
  virtual void OnCommit(std::function<void()> callback) = 0;
};

using TransactionFn = std::function<Status(StorageTransaction&)>;

class CLASH_EXPORT Storage {
 public:
  Storage() = default;
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;
  virtual ~Storage() = default;

  // "sqlite" or "postgresql".
  virtual std::string_view backend_name() const = 0;
  // Unavailable if the backend cannot answer a trivial query now. The message never carries driver
  // text (it is shown by /health/).
  virtual Status Ping() = 0;
  // The highest migration applied; migrations run when the storage is opened.
  virtual Result<int> SchemaVersion() = 0;
  // Runs `fn` in one read-write transaction and commits if it returns OK; otherwise rolls back and
  // returns fn's status. On a serialization conflict or deadlock the backend rolls back and runs
  // `fn` again (at most a few times, then Aborted), so `fn` must not have effects outside `tx`
  // that cannot be repeated. Unavailable if no connection can be had.
  virtual Status Transact(const TransactionFn& fn) = 0;
  // Like Transact, for reads: `fn` sees one consistent snapshot and must not write.
  virtual Status Read(const TransactionFn& fn) = 0;
};

// Opens the backend named by `url` and applies its pending migrations.
//   sqlite:///abs/path.db   sqlite://relative/path.db   sqlite::memory:
//   postgresql://user:pass@host:port/db?pool=8   (also postgres://)
// InvalidArgument for an unknown scheme or a malformed URL; Unavailable if the server cannot be
// reached; FailedPrecondition if the database holds a newer schema than this build knows.
CLASH_EXPORT Result<std::unique_ptr<Storage>> OpenStorage(std::string_view url);

// Whole-database operations (clash-host backup / restore / check-data, docs/operations.md).
struct CopyProgress {
  std::int64_t done = 0;    // pages copied so far
  std::int64_t total = 0;   // pages in the source now
};
using CopyProgressFn = std::function<void(const CopyProgress&)>;
// Writes a consistent copy of the SQLite database at `storage_url` to `out_path` (which must not
// exist) while the database stays in use (SQLite's online backup), then checks the copy
// (integrity_check, foreign_key_check); a copy that fails the check is deleted. PostgreSQL:
// FailedPrecondition pointing at pg_dump (docs/operations.md).
CLASH_EXPORT Status BackupStorage(std::string_view storage_url, const std::string& out_path,
                                  const CopyProgressFn& progress = {});
// Replaces the SQLite database at `storage_url` with the backup at `backup_path`, after checking
// that the backup is intact and a Clash schema this build knows. Stop every process using the
// database first. PostgreSQL: FailedPrecondition pointing at pg_restore.
CLASH_EXPORT Status RestoreStorage(const std::string& backup_path, std::string_view storage_url,
                                   const CopyProgressFn& progress = {});
// The backend's own consistency: SQLite's integrity_check and foreign_key_check (FailedPrecondition
// naming the problem); PostgreSQL: Ok once the server answers (it checks its pages itself).
CLASH_EXPORT Status CheckStorageIntegrity(std::string_view storage_url);

// Forwards every call to another Storage. Derive from it in tests to override one method and inject
// a fault (leveldb's EnvWrapper):
//   struct Down : StorageWrapper { using StorageWrapper::StorageWrapper;
//     Status Ping() override { return Status::Unavailable("down"); } };
class CLASH_EXPORT StorageWrapper : public Storage {
 public:
  explicit StorageWrapper(Storage& target) : target_(target) {}
  std::string_view backend_name() const override { return target_.backend_name(); }
  Status Ping() override { return target_.Ping(); }
  Result<int> SchemaVersion() override { return target_.SchemaVersion(); }
  Status Transact(const TransactionFn& fn) override { return target_.Transact(fn); }
  Status Read(const TransactionFn& fn) override { return target_.Read(fn); }
  Storage& target() { return target_; }

 private:
  Storage& target_;
};

}  // namespace clash
