// clash/storage.h — Implement this to add a storage backend; application code never calls it directly.
//
// The library reaches persistent state only through these interfaces. They are shaped by the
// domain (levels, and later users, ledger entries, matches...), not by SQL. Two backends ship:
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
#include <vector>

#include "clash/auth.h"
#include "clash/catalogue.h"
#include "clash/clock.h"
#include "clash/export.h"
#include "clash/status.h"

namespace clash {

// Levels. Used by the catalogue.
class CLASH_EXPORT LevelStore {
 public:
  virtual ~LevelStore() = default;
  // Inserts `level` or replaces the level with the same slug, secrets included. Returns the level's
  // id (kept on replace). AlreadyExists is never returned: a slug collision means replace.
  virtual Result<std::int64_t> Upsert(const Level& level) = 0;
  // All levels ordered by (order, slug). `with_secrets` false leaves Level::secrets empty.
  virtual Result<std::vector<Level>> List(bool with_secrets) = 0;
  // The level with `slug`; NotFound if there is none.
  virtual Result<Level> Get(std::string_view slug, bool with_secrets) = 0;
  // Removes the level with `slug`; NotFound if there is none.
  virtual Status Remove(std::string_view slug) = 0;
};

// Users, their provider identities and password hashes. Used by Auth.
struct NewUser {
  std::string username;
  std::string email;                   // already normalised; empty allowed
  std::string first_name;
  std::string last_name;
  std::string password_hash;           // Argon2id string, or empty (no password login)
  bool is_staff = false;
  bool is_superuser = false;
  UserProfile profile;
  Timestamp created_at;
};

class CLASH_EXPORT UserStore {
 public:
  virtual ~UserStore() = default;
  // Inserts a user. AlreadyExists if the username or a non-empty email is taken.
  virtual Result<User> Create(const NewUser& user) = 0;
  // NotFound if there is no such user.
  virtual Result<User> GetById(std::int64_t id) = 0;
  virtual Result<User> GetByEmail(std::string_view email) = 0;
  virtual Result<User> GetByUsername(std::string_view username) = 0;
  // The stored password hash ("" if none); NotFound for an unknown user.
  virtual Result<std::string> PasswordHash(std::int64_t id) = 0;
  // Writes names, flags and profile of `user` (by id). NotFound if it does not exist;
  // AlreadyExists if the new username or email is taken.
  virtual Status Update(const User& user) = 0;
  // Deletes the user and everything that belongs to them. NotFound if absent.
  virtual Status Delete(std::int64_t id) = 0;
  virtual Result<std::int64_t> CountActiveSuperusers() = 0;
  // The user linked to (provider, provider_uid), if any.
  virtual Result<std::optional<std::int64_t>> FindIdentity(std::string_view provider, std::string_view provider_uid) = 0;
  // Links (provider, provider_uid) to `user_id`. AlreadyExists if it is linked to anyone.
  virtual Status LinkIdentity(std::int64_t user_id, std::string_view provider, std::string_view provider_uid,
                              Timestamp now) = 0;
};

// Email one-time codes: only keyed hashes are stored.
struct OtpGuard {
  int requests = 0;                    // codes requested since window_start
  Timestamp window_start;
  int failures = 0;                    // wrong codes since the last success or lock
  Timestamp locked_until;              // verification refused before this time
};

class CLASH_EXPORT OtpStore {
 public:
  virtual ~OtpStore() = default;
  // The guard of `email` (a zero guard if none), locked until the transaction ends so concurrent
  // requests for one email count correctly. Save it back in the same transaction.
  virtual Result<OtpGuard> LockGuard(std::string_view email) = 0;
  virtual Status SaveGuard(std::string_view email, const OtpGuard& guard) = 0;
  // Invalidates every earlier code of `email` and stores `code_hash`, valid until `expires_at`.
  virtual Status ReplaceCode(std::string_view email, std::string_view code_hash, Timestamp created_at,
                             Timestamp expires_at) = 0;
  // Marks the unused code of `email` with `code_hash`, valid at `now`, used. Returns true if there
  // was one: of two concurrent calls with the same code exactly one gets true.
  virtual Result<bool> ConsumeCode(std::string_view email, std::string_view code_hash, Timestamp now) = 0;
};

// Refresh tokens, by their `jti`, grouped in families (one login = one family).
struct RefreshRecord {
  std::string jti;
  std::string family;
  std::int64_t user_id = 0;
  Timestamp issued_at;
  Timestamp expires_at;
  bool rotated = false;                // a newer token of the family replaced it
  bool revoked = false;                // the family was revoked (logout, reuse, block)
};

class CLASH_EXPORT SessionStore {
 public:
  virtual ~SessionStore() = default;
  virtual Status Insert(const RefreshRecord& record) = 0;
  // NotFound if `jti` is unknown.
  virtual Result<RefreshRecord> Get(std::string_view jti) = 0;
  // Marks `jti` rotated if it is neither rotated nor revoked; returns false if it already was
  // (the caller then treats the use as a reuse). Atomic under concurrent calls.
  virtual Result<bool> MarkRotated(std::string_view jti) = 0;
  virtual Status RevokeFamily(std::string_view family) = 0;
  virtual Status RevokeUser(std::int64_t user_id) = 0;
};

// Judge jobs: the queue judge workers on other machines pull from (see clash/judge.h,
// NewStorageJudgeQueue). Requests and verdicts are opaque JSON texts here (EncodeJudgeRequest /
// EncodeJudgeResult). Times are the caller's clock; nothing reads the database server's clock.
struct JudgeJobRecord {
  std::int64_t id = 0;
  std::string request_json;
  int attempts = 0;          // claims before this one
};

class CLASH_EXPORT JudgeJobStore {
 public:
  virtual ~JudgeJobStore() = default;
  // Inserts a pending job and returns its id (ids increase with insertion order).
  virtual Result<std::int64_t> Insert(std::string_view request_json, Timestamp now) = 0;
  // Jobs not finished yet (pending, or running under a lease).
  virtual Result<std::int64_t> CountUnfinished() = 0;
  // The oldest job that is pending, or running with lease_until <= now, locked until the
  // transaction ends; nullopt if there is none. Concurrent transactions never get the same job:
  // on PostgreSQL rows locked by another transaction are skipped (FOR UPDATE SKIP LOCKED); on
  // SQLite the write transaction is exclusive. Claim it (MarkRunning) or finish it (MarkDone) in
  // the same transaction.
  virtual Result<std::optional<JudgeJobRecord>> LockNextClaimable(Timestamp now) = 0;
  // Marks job `id` running for `worker` until `lease_until` and counts one more attempt.
  // NotFound if there is no such job.
  virtual Status MarkRunning(std::int64_t id, std::string_view worker, Timestamp lease_until, Timestamp now) = 0;
  // Stores the verdict of job `id` if it is running and claimed by `worker`. NotFound for an
  // unknown id; FailedPrecondition if it is not (or no longer) claimed by `worker`.
  virtual Status Complete(std::int64_t id, std::string_view worker, std::string_view result_json, Timestamp now) = 0;
  // Finishes job `id` with `result_json` whatever its state (used for jobs out of attempts).
  // NotFound if there is no such job.
  virtual Status MarkDone(std::int64_t id, std::string_view result_json, Timestamp now) = 0;
  // The stored verdict of job `id`, nullopt while it is pending or running. NotFound if unknown.
  virtual Result<std::optional<std::string>> LoadResult(std::int64_t id) = 0;
};

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
