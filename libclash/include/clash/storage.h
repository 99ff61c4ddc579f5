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
#include <utility>
#include <vector>

#include "clash/achievements.h"
#include "clash/auth.h"
#include "clash/catalogue.h"
#include "clash/clock.h"
#include "clash/economy.h"
#include "clash/export.h"
#include "clash/shop.h"
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
  // Writes names, flags and profile of `user` (by id), except the referral code (set only through
  // WalletStore::SetReferralCode) and the equipped cosmetics (SetEquipped), so writing back a User
  // read earlier never undoes a concurrent change of those. NotFound if it does not exist;
  // AlreadyExists if the new username or email is taken.
  virtual Status Update(const User& user) = 0;
  // Sets the one profile field of `category` (active_theme, active_font, active_effect,
  // active_victory) and nothing else. `value` nullopt clears it, which only the effect allows
  // (InvalidArgument otherwise). NotFound if the user does not exist.
  virtual Status SetEquipped(std::int64_t user_id, ShopCategory category, std::optional<std::string> value) = 0;
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

// ---------------------------------------------------------------------------------------------
// Economy (clash/economy.h, shop.h, payments.h, achievements.h). Every store here is used inside
// one transaction with the others, so a purchase, its ledger entry and its balance change commit
// together.

// The XP ledger and the materialised balances.
class CLASH_EXPORT LedgerStore {
 public:
  virtual ~LedgerStore() = default;
  // Inserts `entry` (its id is ignored) unless the user already has an entry with the same
  // idempotency key; returns the new id, or nullopt if the key exists. Concurrent inserts of one
  // key: exactly one gets an id. FailedPrecondition if the user does not exist.
  virtual Result<std::optional<std::int64_t>> InsertEntry(const LedgerEntry& entry) = 0;
  // The user's entry with `idempotency_key`; NotFound if none.
  virtual Result<LedgerEntry> GetByKey(std::int64_t user_id, std::string_view idempotency_key) = 0;
  // Adds `delta` to the user's balance if the result is >= 0 and returns the new balance; returns
  // nullopt (and changes nothing) if it would go negative. Atomic under concurrent calls; creates the
  // user's wallet at 0 first if there is none.
  virtual Result<std::optional<std::int64_t>> AddToBalance(std::int64_t user_id, std::int64_t delta) = 0;
  // The materialised balance (0 without a wallet).
  virtual Result<std::int64_t> Balance(std::int64_t user_id) = 0;
  // Entries newest first (by id), at most `limit`, with id < before_id if set.
  virtual Result<std::vector<LedgerEntry>> History(std::int64_t user_id, int limit,
                                                   std::optional<std::int64_t> before_id) = 0;
  // The sum of the user's entries (what the balance must equal).
  virtual Result<std::int64_t> SumEntries(std::int64_t user_id) = 0;
};

// Per-user economy state besides the balance: check-in streak, freezes, referral.
struct WalletRecord {
  std::int64_t user_id = 0;
  std::int64_t balance = 0;
  int streak_freezes = 0;
  std::optional<std::int64_t> last_check_in_day;   // CivilDate::DaysSinceEpoch() of the last check-in
  int streak = 0;                                  // streak as of the last check-in
  int cycle_day = 0;                               // cycle day of the last check-in (0: none)
  std::optional<std::int64_t> cycle_start_day;     // first day of the cycle of the last check-in
  std::optional<std::int64_t> referred_by;         // user id of the referrer
  bool operator==(const WalletRecord&) const = default;
};

class CLASH_EXPORT WalletStore {
 public:
  virtual ~WalletStore() = default;
  // The user's wallet (an all-zero record with user_id set if there is none yet).
  virtual Result<WalletRecord> Get(std::int64_t user_id) = 0;
  // Creates the wallet if missing and locks it until the transaction ends (FOR UPDATE on
  // PostgreSQL; SQLite write transactions are exclusive). FailedPrecondition if the user does not
  // exist.
  virtual Result<WalletRecord> Lock(std::int64_t user_id) = 0;
  // Writes streak_freezes, last_check_in_day, streak, cycle_day and cycle_start_day (not the
  // balance, not referred_by). NotFound if the wallet does not exist.
  virtual Status SaveStreak(const WalletRecord& wallet) = 0;
  // Sets referred_by if it is unset; returns false if it was already set.
  virtual Result<bool> SetReferredBy(std::int64_t user_id, std::int64_t referrer_id) = 0;
  // Serialises referral redemptions until the transaction ends (an advisory lock on PostgreSQL).
  virtual Status LockReferrals() = 0;
  // The user whose referral code is `code` (exact match).
  virtual Result<std::optional<std::int64_t>> FindByReferralCode(std::string_view code) = 0;
  // The user's code ("" if none).
  virtual Result<std::string> ReferralCode(std::int64_t user_id) = 0;
  // Sets the user's code if it has none; AlreadyExists if another user holds `code`; returns the
  // code in force afterwards.
  virtual Result<std::string> SetReferralCode(std::int64_t user_id, std::string_view code) = 0;
};

class CLASH_EXPORT CheckInStore {
 public:
  virtual ~CheckInStore() = default;
  // Inserts the check-in of `user_id` (record.id ignored) and returns its id; AlreadyExists if the
  // user has one on record.date.
  virtual Result<std::int64_t> Insert(std::int64_t user_id, const CheckInRecord& record) = 0;
  // The user's check-in on `day`, if any.
  virtual Result<std::optional<CheckInRecord>> GetOnDay(std::int64_t user_id, const CivilDate& day) = 0;
  // The user's check-ins on or after `day`, newest first.
  virtual Result<std::vector<CheckInRecord>> ListSince(std::int64_t user_id, const CivilDate& day) = 0;
};

struct PurchaseRecord {
  ShopItem item;
  Timestamp purchased_at;
};

class CLASH_EXPORT ShopStore {
 public:
  virtual ~ShopStore() = default;
  // Inserts an item (id ignored) and returns its id. AlreadyExists for a taken non-empty key.
  virtual Result<std::int64_t> Insert(const ShopItem& item) = 0;
  // Inserts, or updates the item with the same (non-empty) key, keeping its id and created_at.
  virtual Result<std::int64_t> UpsertByKey(const ShopItem& item) = 0;
  // NotFound if absent.
  virtual Result<ShopItem> Get(std::int64_t id) = 0;
  // Items newest first (created_at, then id), inactive ones only if `include_inactive`.
  virtual Result<std::vector<ShopItem>> List(bool include_inactive) = 0;
  // Writes every field but id, key and created_at. NotFound if absent.
  virtual Status Update(const ShopItem& item) = 0;
  // Deletes the item and its purchases. NotFound if absent.
  virtual Status Delete(std::int64_t id) = 0;
  // Records that `user_id` owns `item_id`; false if they already did (concurrent calls: exactly
  // one true).
  virtual Result<bool> InsertPurchase(std::int64_t user_id, std::int64_t item_id, std::int64_t cost,
                                      Timestamp now) = 0;
  // Ids of the items the user owns.
  virtual Result<std::vector<std::int64_t>> OwnedItemIds(std::int64_t user_id) = 0;
  // The user's purchases, newest first, inactive items included.
  virtual Result<std::vector<PurchaseRecord>> Purchases(std::int64_t user_id) = 0;
};

enum class PaymentStatus { kPending, kSucceeded };

struct PaymentRecord {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string order_id;                 // Razorpay's
  std::string payment_id;               // set when it succeeds
  int amount_inr = 0;
  std::int64_t xp_amount = 0;
  PaymentStatus status = PaymentStatus::kPending;
  Timestamp created_at;
  Timestamp updated_at;
  bool operator==(const PaymentRecord&) const = default;
};

class CLASH_EXPORT PaymentStore {
 public:
  virtual ~PaymentStore() = default;
  // Inserts (id ignored) and returns the id. AlreadyExists for a known order id.
  virtual Result<std::int64_t> Insert(const PaymentRecord& payment) = 0;
  // The payment of `order_id`, locked until the transaction ends. NotFound if absent.
  virtual Result<PaymentRecord> LockByOrder(std::string_view order_id) = 0;
  // Marks the payment succeeded with `payment_id`. NotFound if absent.
  virtual Status MarkSucceeded(std::string_view order_id, std::string_view payment_id, Timestamp now) = 0;
};

class CLASH_EXPORT AchievementStore {
 public:
  virtual ~AchievementStore() = default;
  // Inserts or updates by slug; returns the id (kept on update).
  virtual Result<std::int64_t> Upsert(const Achievement& achievement) = 0;
  // Every achievement by (order, id).
  virtual Result<std::vector<Achievement>> List() = 0;
  // NotFound if there is no achievement with `slug`.
  virtual Result<Achievement> GetBySlug(std::string_view slug) = 0;
  // Records the unlock; false if the user already had it (concurrent calls: exactly one true).
  virtual Result<bool> Grant(std::int64_t user_id, std::int64_t achievement_id, Timestamp now) = 0;
  // (achievement id, unlocked_at) of the user's unlocks, newest first.
  virtual Result<std::vector<std::pair<std::int64_t, Timestamp>>> Unlocked(std::int64_t user_id) = 0;
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
  virtual LedgerStore& ledger() = 0;
  virtual WalletStore& wallets() = 0;
  virtual CheckInStore& check_ins() = 0;
  virtual ShopStore& shop() = 0;
  virtual PaymentStore& payments() = 0;
  virtual AchievementStore& achievements() = 0;
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
