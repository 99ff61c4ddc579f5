// Achievements on every backend: the built-in catalogue, grants from published events and from a
// real check-in streak (once each, XP through the ledger), and the read views.
#include "clash/achievements.h"

#include <atomic>
#include <set>
#include <thread>

#include "economy/economy_fixture.h"

namespace clash {
namespace {

using ::clash::testing::BackendParamName;
using ::clash::testing::IsOk;
using ::clash::testing::StatusIs;

class AchievementsTest : public testing::EconomyTest {
 protected:
  Status Publish(const Event& event) { return engine().events().PublishNow(event); }

  static LevelCompleted Completion(std::int64_t user_id, int completed_levels, int stars = 1,
                                   std::optional<std::int64_t> solve_seconds = std::nullopt) {
    LevelCompleted e;
    e.user_id = user_id;
    e.level_slug = "python-" + std::to_string(completed_levels);
    e.stars = stars;
    e.completed_levels = completed_levels;
    e.solve_seconds = solve_seconds;
    return e;
  }

  // Slugs the user has unlocked, per ForViewer.
  std::set<std::string> UnlockedSlugs(std::int64_t user_id) {
    std::set<std::string> out;
    auto views = engine().achievements().ForViewer(user_id);
    EXPECT_THAT(views, IsOk());
    if (!views.ok()) return out;
    for (const AchievementView& v : *views) {
      if (v.is_unlocked) out.insert(v.achievement.slug);
    }
    return out;
  }

  // The user's achievement ledger entries by idempotency key.
  std::multiset<std::string> AchievementKeys(std::int64_t user_id) {
    std::multiset<std::string> out;
    for (const LedgerEntry& e : EntriesOf(user_id)) {
      if (e.source == XpSource::kAchievement) out.insert(e.idempotency_key);
    }
    return out;
  }
};

TEST_P(AchievementsTest, TheCatalogueIsSyncedWhenTheEngineOpens) {
  const std::vector<Achievement>& builtin = BuiltinAchievements();
  ASSERT_EQ(builtin.size(), 10u);
  auto views = engine().achievements().ForViewer(0);
  ASSERT_THAT(views, IsOk());
  ASSERT_EQ(views->size(), 10u);
  std::int64_t total_xp = 0;
  for (std::size_t i = 0; i < builtin.size(); ++i) {
    const Achievement& a = (*views)[i].achievement;
    EXPECT_EQ(a.slug, builtin[i].slug);
    EXPECT_EQ(a.title, builtin[i].title);
    EXPECT_EQ(a.xp_reward, builtin[i].xp_reward);
    EXPECT_EQ(a.order, builtin[i].order);
    EXPECT_FALSE(a.is_secret);
    EXPECT_GT(a.id, 0);
    EXPECT_FALSE((*views)[i].is_unlocked);
    EXPECT_EQ((*views)[i].unlocked_at, std::nullopt);
    total_xp += a.xp_reward;
  }
  EXPECT_EQ(total_xp, 25 + 50 + 100 + 250 + 75 + 50 + 30 + 100 + 10 + 50);
  EXPECT_EQ(builtin.front().slug, "first-blood");
  EXPECT_EQ(builtin.back().slug, "networker");
  // Syncing again changes nothing (ids stay).
  ASSERT_THAT(engine().achievements().SyncCatalogue(), IsOk());
  auto again = engine().achievements().ForViewer(0);
  ASSERT_THAT(again, IsOk());
  ASSERT_EQ(again->size(), 10u);
  for (std::size_t i = 0; i < 10; ++i) EXPECT_EQ((*again)[i].achievement.id, (*views)[i].achievement.id);
}

TEST_P(AchievementsTest, AFastPerfectFirstLevelGrantsThreeAchievementsOnce) {
  User ada = CreateUser("ada");
  ASSERT_THAT(Publish(Completion(ada.id, 1, /*stars=*/3, /*solve_seconds=*/90)), IsOk());
  EXPECT_EQ(UnlockedSlugs(ada.id), (std::set<std::string>{"first-blood", "speed-demon", "perfectionist"}));
  EXPECT_EQ(BalanceOf(ada.id), 25 + 75 + 50);
  EXPECT_EQ(AchievementKeys(ada.id), (std::multiset<std::string>{"achievement:first-blood", "achievement:speed-demon",
                                                                 "achievement:perfectionist"}));
  for (const LedgerEntry& e : EntriesOf(ada.id)) {
    EXPECT_EQ(e.reference, e.idempotency_key.substr(std::string("achievement:").size()));
  }

  clock_.Advance(std::chrono::hours(1));
  ASSERT_THAT(Publish(Completion(ada.id, 1, 3, 90)), IsOk());  // the same event again
  EXPECT_EQ(BalanceOf(ada.id), 150);
  EXPECT_EQ(SumOfEntries(ada.id), 150);
  EXPECT_EQ(EntriesOf(ada.id).size(), 3u);
  auto views = engine().achievements().ForViewer(ada.id);
  ASSERT_THAT(views, IsOk());
  for (const AchievementView& v : *views) {
    if (v.is_unlocked) {
      EXPECT_EQ(v.unlocked_at, std::optional<Timestamp>(Timestamp::FromUnixSeconds(testing::kEconomyEpochSeconds)))
          << v.achievement.slug;
    } else {
      EXPECT_EQ(v.unlocked_at, std::nullopt);
    }
  }
  // Another user's view is unaffected.
  User bob = CreateUser("bob");
  EXPECT_TRUE(UnlockedSlugs(bob.id).empty());
  EXPECT_TRUE(UnlockedSlugs(0).empty());
}

TEST_P(AchievementsTest, LevelCountThresholdsAndTheirEdges) {
  User ada = CreateUser("ada");
  ASSERT_THAT(Publish(Completion(ada.id, 4, 2, 120)), IsOk());  // 120 s is not under 120 s; 2 stars
  EXPECT_EQ(UnlockedSlugs(ada.id), (std::set<std::string>{"first-blood"}));
  ASSERT_THAT(Publish(Completion(ada.id, 5)), IsOk());
  EXPECT_EQ(UnlockedSlugs(ada.id), (std::set<std::string>{"first-blood", "rising-coder"}));
  ASSERT_THAT(Publish(Completion(ada.id, 9, 1, 119)), IsOk());
  EXPECT_EQ(UnlockedSlugs(ada.id), (std::set<std::string>{"first-blood", "rising-coder", "speed-demon"}));
  ASSERT_THAT(Publish(Completion(ada.id, 10)), IsOk());
  ASSERT_THAT(Publish(Completion(ada.id, 24)), IsOk());
  EXPECT_EQ(UnlockedSlugs(ada.id).count("legend"), 0u);
  ASSERT_THAT(Publish(Completion(ada.id, 25)), IsOk());
  EXPECT_EQ(UnlockedSlugs(ada.id),
            (std::set<std::string>{"first-blood", "rising-coder", "speed-demon", "challenge-veteran", "legend"}));
  EXPECT_EQ(BalanceOf(ada.id), 25 + 50 + 75 + 100 + 250);

  // A jump straight to 25 (levels imported) grants every threshold at once.
  User bob = CreateUser("bob");
  ASSERT_THAT(Publish(Completion(bob.id, 25)), IsOk());
  EXPECT_EQ(UnlockedSlugs(bob.id), (std::set<std::string>{"first-blood", "rising-coder", "challenge-veteran", "legend"}));
  EXPECT_EQ(BalanceOf(bob.id), 25 + 50 + 100 + 250);
}

TEST_P(AchievementsTest, FollowsGrantToTheFollower) {
  User ada = CreateUser("ada");
  User bob = CreateUser("bob");
  ASSERT_THAT(Publish(Followed{.follower_id = ada.id, .following_id = bob.id, .following_count = 1}), IsOk());
  EXPECT_EQ(UnlockedSlugs(ada.id), (std::set<std::string>{"socializer"}));
  EXPECT_TRUE(UnlockedSlugs(bob.id).empty());
  EXPECT_EQ(BalanceOf(ada.id), 10);
  ASSERT_THAT(Publish(Followed{.follower_id = ada.id, .following_id = bob.id, .following_count = 9}), IsOk());
  EXPECT_EQ(BalanceOf(ada.id), 10);
  ASSERT_THAT(Publish(Followed{.follower_id = ada.id, .following_id = bob.id, .following_count = 10}), IsOk());
  EXPECT_EQ(UnlockedSlugs(ada.id), (std::set<std::string>{"socializer", "networker"}));
  EXPECT_EQ(BalanceOf(ada.id), 60);
  EXPECT_EQ(BalanceOf(bob.id), 0);
  // Unfollowing back to 0 and following again does not grant again.
  ASSERT_THAT(Publish(Followed{.follower_id = ada.id, .following_id = bob.id, .following_count = 1}), IsOk());
  EXPECT_EQ(BalanceOf(ada.id), 60);
}

TEST_P(AchievementsTest, CheckInStreakEventsGrantStreakAchievements) {
  User ada = CreateUser("ada");
  ASSERT_THAT(Publish(CheckedIn{.user_id = ada.id, .cycle_day = 2, .streak = 2}), IsOk());
  EXPECT_TRUE(UnlockedSlugs(ada.id).empty());
  ASSERT_THAT(Publish(CheckedIn{.user_id = ada.id, .cycle_day = 3, .streak = 3}), IsOk());
  EXPECT_EQ(UnlockedSlugs(ada.id), (std::set<std::string>{"streak-starter"}));
  ASSERT_THAT(Publish(CheckedIn{.user_id = ada.id, .cycle_day = 7, .streak = 7}), IsOk());
  EXPECT_EQ(UnlockedSlugs(ada.id), (std::set<std::string>{"streak-starter", "streak-master"}));
  EXPECT_EQ(BalanceOf(ada.id), 130);
}

TEST_P(AchievementsTest, ARealThreeDayCheckInStreakGrantsStreakStarterOnce) {
  User ada = CreateUser("ada");
  std::int64_t check_in_xp = 0;
  for (int day = 1; day <= 4; ++day) {
    auto outcome = engine().check_ins().CheckIn(ada.id);
    ASSERT_THAT(outcome, IsOk()) << "day " << day;
    EXPECT_EQ(outcome->check_in.streak, day);
    check_in_xp += outcome->check_in.xp_earned;
    EXPECT_EQ(UnlockedSlugs(ada.id).count("streak-starter"), day >= 3 ? 1u : 0u) << "day " << day;
    clock_.Advance(std::chrono::hours(24));
  }
  EXPECT_EQ(AchievementKeys(ada.id), (std::multiset<std::string>{"achievement:streak-starter"}));
  EXPECT_EQ(BalanceOf(ada.id), check_in_xp + 30);
  EXPECT_EQ(SumOfEntries(ada.id), check_in_xp + 30);
  EXPECT_EQ(UnlockedSlugs(ada.id), (std::set<std::string>{"streak-starter"}));
}

TEST_P(AchievementsTest, SecretAchievementsShowOnlyOnceUnlocked) {
  User ada = CreateUser("ada");
  User bob = CreateUser("bob");
  std::int64_t secret_id = 0;
  ASSERT_THAT(storage().Transact([&](StorageTransaction& tx) -> Status {
    Achievement secret;
    secret.slug = "night-owl";
    secret.title = "Night Owl";
    secret.description = "Solve a level at 3 a.m.";
    secret.category = "special";
    secret.is_secret = true;
    secret.order = 30;
    CLASH_ASSIGN_OR_RETURN(secret_id, tx.achievements().Upsert(secret));
    CLASH_ASSIGN_OR_RETURN(bool granted, tx.achievements().Grant(ada.id, secret_id, clock_.Now()));
    return granted ? Status::Ok() : Status::Internal("not granted");
  }),
              IsOk());
  auto mine = engine().achievements().ForViewer(ada.id);
  ASSERT_THAT(mine, IsOk());
  ASSERT_EQ(mine->size(), 11u);
  EXPECT_EQ(mine->back().achievement.slug, "night-owl");  // catalogue order
  EXPECT_TRUE(mine->back().is_unlocked);
  auto theirs = engine().achievements().ForViewer(bob.id);
  ASSERT_THAT(theirs, IsOk());
  EXPECT_EQ(theirs->size(), 10u);
  auto anonymous = engine().achievements().ForViewer(0);
  ASSERT_THAT(anonymous, IsOk());
  EXPECT_EQ(anonymous->size(), 10u);
}

TEST_P(AchievementsTest, OfUserListsUnlocksNewestFirst) {
  User ada = CreateUser("ada");
  User bob = CreateUser("bob");
  ASSERT_THAT(Publish(Completion(ada.id, 1)), IsOk());
  const Timestamp first = clock_.Now();
  clock_.Advance(std::chrono::minutes(5));
  ASSERT_THAT(Publish(Followed{.follower_id = ada.id, .following_id = bob.id, .following_count = 1}), IsOk());
  const Timestamp second = clock_.Now();

  auto unlocked = engine().achievements().OfUser("ada");
  ASSERT_THAT(unlocked, IsOk());
  ASSERT_EQ(unlocked->size(), 2u);
  EXPECT_EQ((*unlocked)[0].achievement.slug, "socializer");
  EXPECT_EQ((*unlocked)[0].unlocked_at, second);
  EXPECT_EQ((*unlocked)[0].achievement.xp_reward, 10);
  EXPECT_EQ((*unlocked)[1].achievement.slug, "first-blood");
  EXPECT_EQ((*unlocked)[1].unlocked_at, first);

  auto none = engine().achievements().OfUser("bob");
  ASSERT_THAT(none, IsOk());
  EXPECT_TRUE(none->empty());
  auto missing = engine().achievements().OfUser("nobody");
  EXPECT_THAT(missing, StatusIs(StatusCode::kNotFound));
  EXPECT_EQ(missing.status().message(), "User not found");
}

TEST_P(AchievementsTest, ConcurrentPublishesOfOneEventGrantOnce) {
  User ada = CreateUser("ada");
  constexpr int kThreads = 8;
  std::atomic<int> ready{0}, failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      ready.fetch_add(1);
      while (ready.load() < kThreads) std::this_thread::yield();
      Status s = Publish(Completion(ada.id, 1, 3));
      if (!s.ok()) {
        ADD_FAILURE() << s;
        failures.fetch_add(1);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(UnlockedSlugs(ada.id), (std::set<std::string>{"first-blood", "perfectionist"}));
  EXPECT_EQ(BalanceOf(ada.id), 75);
  EXPECT_EQ(SumOfEntries(ada.id), 75);
  EXPECT_EQ(AchievementKeys(ada.id),
            (std::multiset<std::string>{"achievement:first-blood", "achievement:perfectionist"}));
  auto unlocked = engine().achievements().OfUser("ada");
  ASSERT_THAT(unlocked, IsOk());
  EXPECT_EQ(unlocked->size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Backends, AchievementsTest, ::testing::ValuesIn(AllBackends()), BackendParamName);

}  // namespace
}  // namespace clash
