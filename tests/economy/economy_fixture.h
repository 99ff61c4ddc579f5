// A parameterised fixture for the economy suites: one Engine per test on every storage backend
// (SQLite file, SQLite :memory:, PostgreSQL), with a FakeClock, a SeededRng, a temporary data_dir
// and helpers to create users quickly.
//
// Usage:
//   class ShopTest : public EconomyTest {};
//   TEST_P(ShopTest, Buys) { User u = CreateUser("ada"); ... engine().shop()... }
//   INSTANTIATE_TEST_SUITE_P(Backends, ShopTest, ::testing::ValuesIn(AllBackends()), EconomyParamName);
// To change the engine's options (check-in zone, Razorpay keys, an HTTP client), override
// Configure(); it runs in SetUp() before the engine is opened.
#pragma once

#include <cstdlib>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <utility>

#include "clash/engine.h"
#include "storage/storage_fixture.h"
#include "support/test_support.h"

namespace clash {

// Readable failure messages for dates ("2026-11-27").
inline void PrintTo(const CivilDate& d, std::ostream* os) { *os << d.ToString(); }

}  // namespace clash

namespace clash::testing {

// One signing key for every economy test (RSA generation is slow under sanitizers).
inline const TokenKeys& EconomySuiteKeys() {
  static const TokenKeys* keys = [] {
    auto* k = new TokenKeys();
    if (!k->Rotate().ok()) std::abort();
    return k;
  }();
  return *keys;
}

inline std::string EconomyParamName(const ::testing::TestParamInfo<BackendParam>& p) { return p.param.name; }

// 2027-01-15T00:00:00Z: a fixed, recent start for every test's clock.
inline constexpr std::int64_t kEconomyEpochSeconds = 1'800'000'000 - (1'800'000'000 % 86'400);

class EconomyTest : public ::testing::TestWithParam<BackendParam> {
 protected:
  void SetUp() override {
    backend_ = GetParam().make();
    EngineOptions opts;
    opts.storage_url = backend_->url();
    opts.clock = &clock_;
    opts.rng = &rng_;
    opts.data_dir = dir_.path().string();
    opts.token_keys = EconomySuiteKeys();
    opts.auth.secret_key = std::string(40, 'k');
    Configure(opts);
    auto engine = Engine::Open(std::move(opts));
    ASSERT_THAT(engine, IsOk());
    engine_ = std::move(engine).value();
  }

  // Adjusts the options before the engine opens (default: none).
  virtual void Configure(EngineOptions& /*opts*/) {}

  Engine& engine() { return *engine_; }
  Storage& storage() { return engine_->storage(); }

  // Creates a user directly in storage (no OTP round trip). Records a test failure and returns a
  // User with id 0 if the store refuses.
  User CreateUser(const std::string& username, bool is_staff = false, bool is_superuser = false) {
    clash::NewUser nu;
    nu.username = username;
    nu.email = username + "@example.com";
    nu.first_name = username;
    nu.is_staff = is_staff || is_superuser;
    nu.is_superuser = is_superuser;
    nu.created_at = clock_.Now();
    User out;
    Status s = storage().Transact([&](StorageTransaction& tx) -> Status {
      CLASH_ASSIGN_OR_RETURN(out, tx.users().Create(nu));
      return Status::Ok();
    });
    EXPECT_THAT(s, IsOk()) << "creating user " << username;
    return out;
  }
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

  TempDir dir_;
  FakeClock clock_{Timestamp::FromUnixSeconds(kEconomyEpochSeconds)};
  SeededRng rng_{7};
  std::unique_ptr<ScratchBackend> backend_;
  std::unique_ptr<Engine> engine_;
};

}  // namespace clash::testing
