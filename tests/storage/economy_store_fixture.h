// Shared by the economy storage contract tests (economy_store_test.cpp: ledger, wallets,
// check-ins; shop_store_test.cpp: shop, payments, achievements). Every test gets a fresh database
// on each backend of AllBackends() and two users, alice_ and bob_.
#pragma once

#include <functional>
#include <latch>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "clash/storage.h"
#include "storage/storage_fixture.h"
#include "support/test_support.h"

// Everything here is in its own namespace: the test executable links other economy tests.
namespace clash::store_test {

inline constexpr Timestamp kT0 = Timestamp::FromUnixSeconds(1'700'000'000);
inline Timestamp At(int seconds) { return Timestamp::FromUnixMicros(kT0.unix_micros() + seconds * 1'000'000LL); }

// Runs fn(i) for i in [0, n) on n threads released together.
inline void RunConcurrently(int n, const std::function<void(int)>& fn) {
  std::latch start(n);
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      fn(i);
    });
  }
  for (auto& t : threads) t.join();
}

// Runs `f(tx)`, which returns a Result, in one write (or read) transaction and returns its result.
template <typename F>
auto RunIn(Storage& storage, bool write, F f) -> std::invoke_result_t<F&, StorageTransaction&> {
  using R = std::invoke_result_t<F&, StorageTransaction&>;
  std::optional<R> out;
  TransactionFn fn = [&](StorageTransaction& tx) -> Status {
    out.emplace(f(tx));
    return out->ok() ? Status::Ok() : out->status();
  };
  Status s = write ? storage.Transact(fn) : storage.Read(fn);
  if (!s.ok()) return R(s);
  return std::move(*out);
}

inline CivilDate Day(int year, int month, int day) { return CivilDate{year, month, day}; }

class EconomyStoreTest : public ::testing::TestWithParam<BackendParam> {
 protected:
  void SetUp() override {
    backend_ = GetParam().make();
    ASSERT_TRUE(backend_ != nullptr);
    auto opened = OpenStorage(backend_->url());
    ASSERT_THAT(opened, ::clash::testing::IsOk());
    storage_ = std::move(opened).value();
    if (GetParam().persistent) {  // a second pool on the same database, as a second process has
      auto second = OpenStorage(backend_->url());
      ASSERT_THAT(second, ::clash::testing::IsOk());
      second_ = std::move(second).value();
    }
    alice_ = NewUserId("alice");
    bob_ = NewUserId("bob");
  }

  // The storage thread `i` of a concurrency test uses: both pools alternately where there are two.
  Storage& StorageFor(int i) { return (second_ && i % 2 == 1) ? *second_ : *storage_; }

  template <typename F>
  auto Write(F f) { return RunIn(*storage_, true, f); }
  template <typename F>
  auto Read(F f) { return RunIn(*storage_, false, f); }
  Status Do(const TransactionFn& fn) { return storage_->Transact(fn); }

  std::int64_t NewUserId(const std::string& name) {
    NewUser u;
    u.username = name;
    u.email = name + "@example.com";
    u.created_at = kT0;
    Result<User> created = Write([&](StorageTransaction& tx) { return tx.users().Create(u); });
    EXPECT_THAT(created, ::clash::testing::IsOk());
    return created.ok() ? created->id : 0;
  }

  static LedgerEntry Entry(std::int64_t user, std::int64_t amount, const std::string& key, int at = 0) {
    return LedgerEntry{.id = 0, .user_id = user, .amount = amount, .source = XpSource::kChallengeCompletion,
                       .reference = "python-001", .idempotency_key = key, .created_at = At(at)};
  }
  Result<std::optional<std::int64_t>> Insert(const LedgerEntry& e) {
    return Write([&](StorageTransaction& tx) { return tx.ledger().InsertEntry(e); });
  }
  Result<std::optional<std::int64_t>> Add(std::int64_t user, std::int64_t delta) {
    return Write([&](StorageTransaction& tx) { return tx.ledger().AddToBalance(user, delta); });
  }
  Result<std::int64_t> Balance(std::int64_t user) {
    return Read([&](StorageTransaction& tx) { return tx.ledger().Balance(user); });
  }
  Result<WalletRecord> Wallet(std::int64_t user) {
    return Read([&](StorageTransaction& tx) { return tx.wallets().Get(user); });
  }

  static ShopItem Item(const std::string& key, int at = 0) {
    ShopItem i;
    i.key = key;
    i.name = "Item " + key;
    i.description = "A cosmetic";
    i.cost = 150;
    i.category = ShopCategory::kFont;
    i.icon_name = "Type";
    i.image = "/static/" + key + ".png";
    i.item_data_json = R"({"font_family":"JetBrains Mono"})";
    i.featured = true;
    i.created_at = At(at);
    return i;
  }
  Result<std::int64_t> AddItem(const ShopItem& item) {
    return Write([&](StorageTransaction& tx) { return tx.shop().Insert(item); });
  }

  static Achievement MakeAchievement(const std::string& slug, int order) {
    return Achievement{.id = 0, .slug = slug, .title = "Title " + slug, .description = "Do " + slug,
                       .icon = "Zap", .category = "streak", .xp_reward = 30, .is_secret = order % 2 == 0,
                       .order = order};
  }

  std::unique_ptr<ScratchBackend> backend_;
  std::unique_ptr<Storage> storage_;
  std::unique_ptr<Storage> second_;
  std::int64_t alice_ = 0;
  std::int64_t bob_ = 0;
};

inline std::string BackendParamName(const ::testing::TestParamInfo<BackendParam>& p) { return p.param.name; }

}  // namespace clash::store_test
