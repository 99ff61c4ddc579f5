// clash/stores/economy_stores.h — storage of the XP ledger, wallets (balance, streak, referral) and check-ins (used by Ledger, CheckIns, Referrals).
//
// For backend authors: implement these interfaces (reached through StorageTransaction, clash/storage.h)
// to add a storage backend; application code never calls them directly. Every method runs inside the
// transaction that handed the store out and documents its success and failure results; the contract
// suite (tests/storage/) checks them on every backend.
//
// Thread-safety: a store belongs to the thread running its transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "clash/economy.h"
#include "clash/export.h"
#include "clash/status.h"

namespace clash {

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

}  // namespace clash
