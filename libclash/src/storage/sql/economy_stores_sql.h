// Internal: the economy stores on the shared SQL layer (migration 4, tables wallets, xp_ledger,
// check_ins, shop_items, shop_purchases, payments, achievements, user_achievements).
//
// Ledger, wallets and check-ins are in economy_stores_sql.cpp; shop, payments and achievements in
// shop_stores_sql.cpp. The exactly-once guarantees rest on single conditional statements that hold
// under PostgreSQL's READ COMMITTED writers (INSERT ... ON CONFLICT DO NOTHING RETURNING, UPDATE ...
// WHERE <condition> RETURNING) and, where a read decides a later write, on row locks (FOR UPDATE on
// PostgreSQL; SQLite write transactions are exclusive). Expected refusals (a taken key, an existing
// check-in) are detected without a failing statement, so the caller's PostgreSQL transaction stays
// usable. Error codes are those of clash/storage.h; where this file adds one it says so.
#pragma once

#include "clash/storage.h"
#include "storage/sql/sql_session.h"

namespace clash::internal {

class SqlLedgerStore final : public LedgerStore {
 public:
  explicit SqlLedgerStore(SqlSession& session) : session_(session) {}
  // InvalidArgument for a zero amount or an empty key (CHECK constraints).
  Result<std::optional<std::int64_t>> InsertEntry(const LedgerEntry& entry) override;
  Result<LedgerEntry> GetByKey(std::int64_t user_id, std::string_view idempotency_key) override;
  // One UPDATE when the wallet exists; FailedPrecondition if the user does not exist.
  Result<std::optional<std::int64_t>> AddToBalance(std::int64_t user_id, std::int64_t delta) override;
  Result<std::int64_t> Balance(std::int64_t user_id) override;
  Result<std::vector<LedgerEntry>> History(std::int64_t user_id, int limit,
                                           std::optional<std::int64_t> before_id) override;
  Result<std::int64_t> SumEntries(std::int64_t user_id) override;
  Result<std::vector<BalanceMismatch>> FindBalanceMismatches(int limit) override;

 private:
  SqlSession& session_;
};

class SqlWalletStore final : public WalletStore {
 public:
  explicit SqlWalletStore(SqlSession& session) : session_(session) {}
  Result<WalletRecord> Get(std::int64_t user_id) override;
  Result<WalletRecord> Lock(std::int64_t user_id) override;
  Status SaveStreak(const WalletRecord& wallet) override;
  // Creates the wallet if missing. FailedPrecondition if the user or the referrer does not exist.
  Result<bool> SetReferredBy(std::int64_t user_id, std::int64_t referrer_id) override;
  Status LockReferrals() override;
  Result<std::optional<std::int64_t>> FindByReferralCode(std::string_view code) override;
  // NotFound for an unknown user.
  Result<std::string> ReferralCode(std::int64_t user_id) override;
  // InvalidArgument for an empty code; NotFound for an unknown user. AlreadyExists is found by a
  // lookup first, so the transaction stays usable for another attempt with a new code.
  Result<std::string> SetReferralCode(std::int64_t user_id, std::string_view code) override;

 private:
  Result<std::optional<WalletRecord>> Select(std::int64_t user_id, bool for_update);
  SqlSession& session_;
};

class SqlCheckInStore final : public CheckInStore {
 public:
  explicit SqlCheckInStore(SqlSession& session) : session_(session) {}
  // FailedPrecondition if the user does not exist.
  Result<std::int64_t> Insert(std::int64_t user_id, const CheckInRecord& record) override;
  Result<std::optional<CheckInRecord>> GetOnDay(std::int64_t user_id, const CivilDate& day) override;
  Result<std::vector<CheckInRecord>> ListSince(std::int64_t user_id, const CivilDate& day) override;

 private:
  SqlSession& session_;
};

class SqlShopStore final : public ShopStore {
 public:
  explicit SqlShopStore(SqlSession& session) : session_(session) {}
  Result<std::int64_t> Insert(const ShopItem& item) override;
  // An item with an empty key is simply inserted.
  Result<std::int64_t> UpsertByKey(const ShopItem& item) override;
  Result<ShopItem> Get(std::int64_t id) override;
  Result<std::vector<ShopItem>> List(bool include_inactive) override;
  Status Update(const ShopItem& item) override;
  Status Delete(std::int64_t id) override;
  // FailedPrecondition if the user or the item does not exist.
  Result<bool> InsertPurchase(std::int64_t user_id, std::int64_t item_id, std::int64_t cost, Timestamp now) override;
  Result<std::vector<std::int64_t>> OwnedItemIds(std::int64_t user_id) override;
  Result<std::vector<PurchaseRecord>> Purchases(std::int64_t user_id) override;

 private:
  SqlSession& session_;
};

class SqlPaymentStore final : public PaymentStore {
 public:
  explicit SqlPaymentStore(SqlSession& session) : session_(session) {}
  // FailedPrecondition if the user does not exist.
  Result<std::int64_t> Insert(const PaymentRecord& payment) override;
  Result<PaymentRecord> LockByOrder(std::string_view order_id) override;
  Status MarkSucceeded(std::string_view order_id, std::string_view payment_id, Timestamp now) override;

 private:
  SqlSession& session_;
};

class SqlAchievementStore final : public AchievementStore {
 public:
  explicit SqlAchievementStore(SqlSession& session) : session_(session) {}
  Result<std::int64_t> Upsert(const Achievement& achievement) override;
  Result<std::vector<Achievement>> List() override;
  Result<Achievement> GetBySlug(std::string_view slug) override;
  // FailedPrecondition if the user or the achievement does not exist.
  Result<bool> Grant(std::int64_t user_id, std::int64_t achievement_id, Timestamp now) override;
  Result<std::vector<std::pair<std::int64_t, Timestamp>>> Unlocked(std::int64_t user_id) override;

 private:
  SqlSession& session_;
};

}  // namespace clash::internal
