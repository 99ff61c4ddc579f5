// The economy under concurrency: 16 threads x 200 mixed operations (store purchases of the same
// items, hint-style spends, check-ins, awards with repeated idempotency keys) on a handful of users,
// through two engines (two storage pools, as two hosts would be) where the backend allows it.
// Afterwards, for every user: balance == sum of ledger entries == what the successful operations
// add up to, never negative, no item charged twice or owned without its charge, every award applied
// exactly once. Runs on SQLite (file and :memory:) and PostgreSQL.
#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "clash/engine.h"
#include "clash/storage.h"
#include "economy/economy_fixture.h"
#include "storage/storage_fixture.h"
#include "support/test_support.h"

namespace clash {
namespace {

using ::clash::testing::IsOk;

constexpr int kThreads = 16;
constexpr int kOpsPerThread = 200;
constexpr int kUsers = 4;
constexpr std::int64_t kStartingXp = 1500;
constexpr int kLevels = 12;

struct Tally {
  std::mutex mu;
  std::map<std::int64_t, std::int64_t> expected;            // user -> sum of applied amounts
  std::map<std::pair<std::int64_t, std::string>, int> applied_keys;  // (user, key) -> times applied
  std::set<std::pair<std::int64_t, std::int64_t>> bought;   // (user, item)
  std::map<std::int64_t, int> best_streak;                  // user -> longest check-in streak seen
  int unexpected = 0;
  std::string first_unexpected;

  void Applied(std::int64_t user, const std::string& key, std::int64_t amount) {
    std::lock_guard lock(mu);
    expected[user] += amount;
    applied_keys[{user, key}] += 1;
  }
  void Unexpected(const std::string& what) {
    std::lock_guard lock(mu);
    if (unexpected++ == 0) first_unexpected = what;
  }
};

class EconomyRaceTest : public ::testing::TestWithParam<BackendParam> {
 protected:
  void SetUp() override {
    backend_ = GetParam().make();
    ASSERT_TRUE(backend_ != nullptr);
    // Two engines on one database where a second connection sees the same data.
    const int engines = GetParam().persistent ? 2 : 1;
    for (int i = 0; i < engines; ++i) {
      EngineOptions options;
      options.storage_url = backend_->url();
      options.clock = &clock_;
      options.rng = &rng_;
      options.data_dir = (dir_.path() / ("data" + std::to_string(i))).string();
      options.auth.secret_key = std::string(40, 'k');
      options.token_keys = testing::SharedTokenKeys();
      auto engine = Engine::Open(std::move(options));
      ASSERT_THAT(engine, IsOk());
      engines_.push_back(std::move(engine).value());
    }
    Engine& e = *engines_[0];
    ASSERT_THAT(e.storage().Transact([&](StorageTransaction& tx) -> Status {
      for (int i = 0; i <= kUsers; ++i) {
        NewUser u;
        u.username = i == 0 ? "staff" : "player" + std::to_string(i);
        u.email = u.username + "@example.com";
        u.is_staff = i == 0;
        u.created_at = clock_.Now();
        CLASH_ASSIGN_OR_RETURN(User created, tx.users().Create(u));
        if (i == 0) {
          staff_ = created;
        } else {
          users_.push_back(created.id);
        }
      }
      return Status::Ok();
    }),
                IsOk());
    const std::int64_t costs[] = {100, 150, 200, 250, 300, 400};
    for (std::int64_t cost : costs) {
      ShopItem item;
      item.name = "Item " + std::to_string(cost);
      item.cost = cost;
      item.category = ShopCategory::kTheme;
      item.item_data_json = R"({"theme_key": "t)" + std::to_string(cost) + R"("})";
      auto created = e.shop().Create(staff_, item);
      ASSERT_THAT(created, IsOk());
      items_.push_back(created->id);
    }
    for (std::int64_t user : users_) {
      auto seeded = e.ledger().Apply({user, kStartingXp, XpSource::kAdminAdjustment, "seed", "seed"});
      ASSERT_THAT(seeded, IsOk());
      tally_.Applied(user, "seed", kStartingXp);
    }
  }

  void Worker(int thread) {
    Engine& engine = *engines_[thread % engines_.size()];
    std::mt19937 gen(1234 + thread);
    auto pick = [&](int n) { return static_cast<int>(gen() % static_cast<unsigned>(n)); };
    for (int op = 0; op < kOpsPerThread; ++op) {
      std::int64_t user_id = users_[pick(kUsers)];
      switch (pick(4)) {
        case 0: {  // buy one of the same few items
          std::int64_t item_id = items_[pick(static_cast<int>(items_.size()))];
          Result<User> user = engine.auth().GetUser(user_id);
          if (!user.ok()) return tally_.Unexpected(user.status().ToString());
          Result<PurchaseOutcome> r = engine.shop().Buy(*user, item_id);
          if (r.ok()) {
            tally_.Applied(user_id, "store:" + std::to_string(item_id), -r->item.cost);
            std::lock_guard lock(tally_.mu);
            if (!tally_.bought.insert({user_id, item_id}).second) tally_.unexpected++;
          } else if (r.status().code() != StatusCode::kFailedPrecondition &&
                     r.status().code() != StatusCode::kInsufficientFunds) {
            tally_.Unexpected("buy: " + r.status().ToString());
          }
          break;
        }
        case 1: {  // a hint-style spend: hint n of a level costs 10*n, bought once
          int level = pick(kLevels);
          int n = 1 + pick(3);
          std::string key = "hint:level-" + std::to_string(level) + ":" + std::to_string(n);
          Result<LedgerResult> r = engine.ledger().Apply(
              {user_id, -10 * n, XpSource::kHintPurchase, "level-" + std::to_string(level), key});
          if (r.ok()) {
            if (r->applied) tally_.Applied(user_id, key, -10 * n);
          } else if (r.status().code() != StatusCode::kInsufficientFunds) {
            tally_.Unexpected("hint: " + r.status().ToString());
          }
          break;
        }
        case 2: {  // check-in; thread 0 moves the calendar on now and then
          if (thread == 0 && op % 40 == 39) clock_.Advance(std::chrono::hours(24));
          Result<CheckInOutcome> r = engine.check_ins().CheckIn(user_id);
          if (r.ok()) {
            tally_.Applied(user_id, "check-in:" + r->check_in.date.ToString(), r->check_in.xp_earned);
            std::lock_guard lock(tally_.mu);
            int& best = tally_.best_streak[user_id];
            best = std::max(best, r->check_in.streak);
          } else if (r.status().code() != StatusCode::kFailedPrecondition) {
            tally_.Unexpected("check-in: " + r.status().ToString());
          }
          break;
        }
        default: {  // an award whose key many threads repeat (a level's completion reward)
          int level = pick(kLevels);
          std::string key = "level:" + std::to_string(level);
          Result<LedgerResult> r = engine.ledger().Apply(
              {user_id, 10 * (level + 1), XpSource::kChallengeCompletion, "level-" + std::to_string(level), key});
          if (!r.ok()) {
            tally_.Unexpected("award: " + r.status().ToString());
          } else if (r->applied) {
            tally_.Applied(user_id, key, 10 * (level + 1));
          }
          break;
        }
      }
    }
  }

  FakeClock clock_{Timestamp::FromUnixSeconds(1'790'000'000)};
  SeededRng rng_{7};
  testing::TempDir dir_;
  std::unique_ptr<ScratchBackend> backend_;
  std::vector<std::unique_ptr<Engine>> engines_;
  User staff_;
  std::vector<std::int64_t> users_;
  std::vector<std::int64_t> items_;
  Tally tally_;
};

TEST_P(EconomyRaceTest, MixedOperationsKeepEveryBalanceExact) {
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) threads.emplace_back([this, t] { Worker(t); });
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(tally_.unexpected, 0) << tally_.first_unexpected;

  Engine& engine = *engines_[0];
  int purchases = 0;
  for (std::int64_t user : users_) {
    std::int64_t balance = -1, sum = -2;
    std::vector<std::int64_t> owned;
    ASSERT_THAT(engine.storage().Read([&](StorageTransaction& tx) -> Status {
      CLASH_ASSIGN_OR_RETURN(balance, tx.ledger().Balance(user));
      CLASH_ASSIGN_OR_RETURN(sum, tx.ledger().SumEntries(user));
      CLASH_ASSIGN_OR_RETURN(owned, tx.shop().OwnedItemIds(user));
      return Status::Ok();
    }),
                IsOk());
    SCOPED_TRACE("user " + std::to_string(user));
    // Check-in streaks grant achievements inside the check-in's transaction: exactly once each.
    for (const Achievement& a : BuiltinAchievements()) {
      if (a.category != "streak") continue;
      int needed = a.slug == "streak-starter" ? 3 : 7;
      Result<LedgerEntry> entry = Status::Internal("unread");
      ASSERT_THAT(engine.storage().Read([&](StorageTransaction& tx) -> Status {
        entry = tx.ledger().GetByKey(user, "achievement:" + a.slug);
        return Status::Ok();
      }),
                  IsOk());
      bool earned = tally_.best_streak[user] >= needed;
      EXPECT_EQ(entry.ok(), earned) << a.slug;
      if (entry.ok()) {
        EXPECT_EQ(entry->amount, a.xp_reward);
        tally_.expected[user] += entry->amount;
      }
    }
    EXPECT_GE(balance, 0);
    EXPECT_EQ(balance, sum) << "materialised balance differs from the ledger";
    EXPECT_EQ(balance, tally_.expected[user]) << "an applied change was lost or applied twice";
    EXPECT_THAT(engine.ledger().Balance(user), ::clash::testing::IsOkAndHolds(balance));

    // Every owned item was charged exactly once, and nothing not owned was charged.
    std::set<std::int64_t> owned_set(owned.begin(), owned.end());
    for (std::int64_t item : items_) {
      std::string key = "store:" + std::to_string(item);
      bool charged = false;
      ASSERT_THAT(engine.storage().Read([&](StorageTransaction& tx) -> Status {
        Result<LedgerEntry> entry = tx.ledger().GetByKey(user, key);
        if (entry.ok()) {
          charged = true;
          CLASH_ASSIGN_OR_RETURN(ShopItem shop_item, tx.shop().Get(item));
          if (entry->amount != -shop_item.cost) return Status::Internal("wrong charge for " + key);
          return Status::Ok();
        }
        return entry.status().code() == StatusCode::kNotFound ? Status::Ok() : entry.status();
      }),
                  IsOk());
      EXPECT_EQ(charged, owned_set.count(item) == 1) << key;
      EXPECT_EQ(tally_.bought.count({user, item}), owned_set.count(item)) << key;
    }
    purchases += static_cast<int>(owned.size());
  }
  // Every key was applied at most once, and every applied key has its entry.
  for (const auto& [user_key, times] : tally_.applied_keys) {
    EXPECT_EQ(times, 1) << user_key.second << " applied " << times << " times for user " << user_key.first;
    Status found = engine.storage().Read([&](StorageTransaction& tx) -> Status {
      return tx.ledger().GetByKey(user_key.first, user_key.second).status();
    });
    EXPECT_THAT(found, IsOk()) << user_key.second;
  }
  // The workload really contended: purchases and repeated keys happened.
  EXPECT_GT(purchases, 0);
  EXPECT_GT(tally_.applied_keys.size(), static_cast<std::size_t>(kUsers * 4));
}

INSTANTIATE_TEST_SUITE_P(Backends, EconomyRaceTest, ::testing::ValuesIn(AllBackends()),
                         testing::BackendParamName);

}  // namespace
}  // namespace clash
