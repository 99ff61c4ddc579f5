// The fixture of the economy suites: EngineTest (one Engine per test on every storage backend)
// starting at a midnight, with helpers for balances, ledger entries, wallets and grants.
//
// Usage:
//   class ShopTest : public EconomyTest {};
//   TEST_P(ShopTest, Buys) { User u = CreateUser("ada"); ... engine().shop()... }
//   INSTANTIATE_TEST_SUITE_P(Backends, ShopTest, ::testing::ValuesIn(AllBackends()), BackendParamName);
// To change the engine's options (check-in zone, Razorpay keys, an HTTP client), override
// Configure(); it runs in SetUp() before the engine is opened.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "clash/engine.h"
#include "support/engine_fixture.h"

namespace clash {

// Readable failure messages for dates ("2026-11-27").
inline void PrintTo(const CivilDate& d, std::ostream* os) { *os << d.ToString(); }

}  // namespace clash

namespace clash::testing {

// 2027-01-15T00:00:00Z: a fixed, recent start for every test's clock.
inline constexpr std::int64_t kEconomyEpochSeconds = 1'800'000'000 - (1'800'000'000 % 86'400);

class EconomyTest : public EngineTest {
 protected:
  EconomyTest() : EngineTest(Timestamp::FromUnixSeconds(kEconomyEpochSeconds), /*seed=*/7) {}

  User MakeStaff(const std::string& username) { return CreateUser(username, /*is_staff=*/true); }
  User MakeSuperuser(const std::string& username) { return CreateUser(username, true, /*is_superuser=*/true); }

  // The materialised balance and the sum of the ledger entries (they must agree), or -1 on error.
  std::int64_t BalanceOf(std::int64_t user_id) {
    Result<std::int64_t> b = engine_->ledger().Balance(user_id);
    EXPECT_THAT(b, IsOk());
    return b.ok() ? *b : -1;
  }
  std::int64_t SumOfEntries(std::int64_t user_id) {
    std::int64_t sum = -1;
    Status s = storage().Read([&](StorageTransaction& tx) -> Status {
      CLASH_ASSIGN_OR_RETURN(sum, tx.ledger().SumEntries(user_id));
      return Status::Ok();
    });
    EXPECT_THAT(s, IsOk());
    return sum;
  }
  // Every ledger entry of the user, newest first (up to 200).
  std::vector<LedgerEntry> EntriesOf(std::int64_t user_id) {
    Result<LedgerPage> page = engine_->ledger().History(user_id, 200);
    EXPECT_THAT(page, IsOk());
    return page.ok() ? page->entries : std::vector<LedgerEntry>{};
  }
  // The wallet as stored (read-only).
  WalletRecord WalletOf(std::int64_t user_id) {
    WalletRecord w;
    Status s = storage().Read([&](StorageTransaction& tx) -> Status {
      CLASH_ASSIGN_OR_RETURN(w, tx.wallets().Get(user_id));
      return Status::Ok();
    });
    EXPECT_THAT(s, IsOk());
    return w;
  }
  // Credits `amount` XP (source admin_adjustment) so a test can spend it.
  void Grant(std::int64_t user_id, std::int64_t amount, const std::string& key) {
    EXPECT_THAT(engine_->ledger().Apply({.user_id = user_id,
                                         .amount = amount,
                                         .source = XpSource::kAdminAdjustment,
                                         .reference = "test grant",
                                         .idempotency_key = key}),
                IsOk());
  }
};

}  // namespace clash::testing
