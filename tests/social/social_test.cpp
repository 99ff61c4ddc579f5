// Social on every backend: public profiles, the follow toggle (its notification, its event, double
// clicks, self, blocked and deleted users), paged follower lists, suggestions and contributions.
#include <future>
#include <set>

#include "clash/social.h"
#include "support/engine_fixture.h"

namespace clash {
namespace {

using ::clash::testing::BackendParamName;
using ::clash::testing::EngineTest;
using ::clash::testing::IsOk;
using ::clash::testing::StatusIs;
using ::testing::ElementsAre;

class SocialTest : public EngineTest {
 protected:
  void Block(const User& u) {
    ASSERT_THAT(storage().Transact([&](StorageTransaction& tx) -> Status {
      User copy = u;
      copy.is_active = false;
      return tx.users().Update(copy);
    }),
                IsOk());
  }
  std::vector<std::string> Verbs(const User& u) {
    auto page = engine().notifications().List(u.id, {});
    EXPECT_THAT(page, IsOk());
    std::vector<std::string> out;
    for (const Notification& n : page.value_or(NotificationPage{}).results) {
      out.push_back((n.actor ? n.actor->username : "-") + " " + n.verb);
    }
    return out;
  }
};

TEST_P(SocialTest, ProfileShowsCountsXpAndWhetherTheViewerFollows) {
  User ada = CreateUser("ada");
  User bob = CreateUser("bob");
  ASSERT_THAT(engine().ledger().Apply({.user_id = ada.id, .amount = 120, .source = XpSource::kAdminAdjustment,
                                       .reference = "t", .idempotency_key = "k"}),
              IsOk());
  ASSERT_THAT(engine().social().ToggleFollow(bob, "ada"), IsOk());
  auto as_bob = engine().social().Profile("ada", bob.id);
  ASSERT_THAT(as_bob, IsOk());
  EXPECT_EQ(as_bob->user.id, ada.id);
  EXPECT_EQ(as_bob->xp, 120);
  EXPECT_EQ(as_bob->counts.followers, 1);
  EXPECT_EQ(as_bob->counts.following, 0);
  EXPECT_TRUE(as_bob->is_following);
  EXPECT_FALSE(engine().social().Profile("ada", std::nullopt)->is_following);
  EXPECT_FALSE(engine().social().Profile("ada", ada.id)->is_following);
  EXPECT_EQ(engine().social().Profile("bob", ada.id)->counts.following, 1);
  EXPECT_THAT(engine().social().Profile("nobody", bob.id), StatusIs(StatusCode::kNotFound));
  Block(ada);
  EXPECT_THAT(engine().social().Profile("ada", bob.id), StatusIs(StatusCode::kNotFound));
}

TEST_P(SocialTest, FollowToggleNotifiesTheTargetAndPublishesTheEvent) {
  User ada = CreateUser("ada");
  User bob = CreateUser("bob");
  auto followed = engine().social().ToggleFollow(bob, "ada");
  ASSERT_THAT(followed, IsOk());
  EXPECT_TRUE(followed->created);
  EXPECT_TRUE(followed->is_following);
  EXPECT_EQ(followed->target_counts.followers, 1);
  EXPECT_THAT(Verbs(ada), ElementsAre("bob started following you"));
  EXPECT_TRUE(Verbs(bob).empty());  // never for yourself
  // The Followed event reached the achievements: following one user unlocks "socializer".
  auto views = engine().achievements().ForViewer(bob.id);
  ASSERT_THAT(views, IsOk());
  bool socializer = false;
  for (const AchievementView& v : *views) socializer = socializer || (v.achievement.slug == "socializer" && v.is_unlocked);
  EXPECT_TRUE(socializer);

  auto unfollowed = engine().social().ToggleFollow(bob, "ada");
  ASSERT_THAT(unfollowed, IsOk());
  EXPECT_FALSE(unfollowed->created);
  EXPECT_FALSE(unfollowed->is_following);
  EXPECT_EQ(unfollowed->target_counts.followers, 0);
  EXPECT_EQ(Verbs(ada).size(), 1u);  // unfollowing notifies nobody
}

TEST_P(SocialTest, RefusesSelfBlockedAndDeletedTargets) {
  User ada = CreateUser("ada");
  User bob = CreateUser("bob");
  User gone = CreateUser("gone");
  EXPECT_THAT(engine().social().ToggleFollow(ada, "ada"), StatusIs(StatusCode::kInvalidArgument));
  Block(bob);
  EXPECT_THAT(engine().social().ToggleFollow(ada, "bob"), StatusIs(StatusCode::kNotFound));
  ASSERT_THAT(engine().auth().DeleteAccount(gone.id), IsOk());
  EXPECT_THAT(engine().social().ToggleFollow(ada, "gone"), StatusIs(StatusCode::kNotFound));
  EXPECT_EQ(engine().social().Profile("ada", std::nullopt)->counts.following, 0);
  EXPECT_TRUE(Verbs(bob).empty());
}

// A double click: two toggles at once act as two toggles in a row — one follow created and undone,
// one notification, counters back at zero.
TEST_P(SocialTest, ConcurrentTogglesActAsTwoTogglesInARow) {
  User ada = CreateUser("ada");
  User bob = CreateUser("bob");
  for (int round = 0; round < 5; ++round) {
    std::promise<void> go;
    std::shared_future<void> start = go.get_future().share();
    auto toggle = [&] {
      start.wait();
      return engine().social().ToggleFollow(bob, "ada");
    };
    auto a = std::async(std::launch::async, toggle);
    auto b = std::async(std::launch::async, toggle);
    go.set_value();
    Result<FollowOutcome> ra = a.get(), rb = b.get();
    ASSERT_THAT(ra, IsOk());
    ASSERT_THAT(rb, IsOk());
    EXPECT_NE(ra->created, rb->created);  // exactly one of them followed
    auto profile = engine().social().Profile("ada", bob.id);
    ASSERT_THAT(profile, IsOk());
    EXPECT_FALSE(profile->is_following);
    EXPECT_EQ(profile->counts.followers, 0);
    EXPECT_EQ(Verbs(ada).size(), static_cast<std::size_t>(round + 1));
  }
}

TEST_P(SocialTest, FollowerListsArePagedAndShowTheViewersFollows) {
  User ada = CreateUser("ada");
  User viewer = CreateUser("viewer");
  std::vector<User> fans;
  for (int i = 0; i < 5; ++i) {
    fans.push_back(CreateUser("fan" + std::to_string(i)));
    clock_.Advance(std::chrono::seconds(1));
    ASSERT_THAT(engine().social().ToggleFollow(fans.back(), "ada"), IsOk());
  }
  ASSERT_THAT(engine().social().ToggleFollow(viewer, "fan3"), IsOk());
  auto page1 = engine().social().Followers("ada", viewer.id, 1, 2);
  ASSERT_THAT(page1, IsOk());
  EXPECT_EQ(page1->count, 5);
  EXPECT_EQ(page1->total_pages, 3);
  ASSERT_EQ(page1->results.size(), 2u);
  EXPECT_EQ(page1->results[0].username, "fan4");
  EXPECT_EQ(page1->results[1].username, "fan3");
  EXPECT_FALSE(page1->results[0].is_following);
  EXPECT_TRUE(page1->results[1].is_following);
  auto past_end = engine().social().Followers("ada", viewer.id, 4, 2);
  ASSERT_THAT(past_end, IsOk());
  EXPECT_TRUE(past_end->results.empty());
  EXPECT_EQ(past_end->count, 5);
  auto following = engine().social().Following("fan0", std::nullopt, 1, 50);
  ASSERT_THAT(following, IsOk());
  ASSERT_EQ(following->results.size(), 1u);
  EXPECT_EQ(following->results[0].username, "ada");
  EXPECT_THAT(engine().social().Followers("nobody", std::nullopt, 1, 50), StatusIs(StatusCode::kNotFound));
}

TEST_P(SocialTest, SuggestionsSampleActivePlayersTheViewerDoesNotFollow) {
  User me = CreateUser("me");
  User staff = CreateUser("staffer", /*is_staff=*/true);
  User blocked = CreateUser("blocked");
  Block(blocked);
  for (int i = 0; i < 60; ++i) CreateUser("p" + std::to_string(i));
  ASSERT_THAT(engine().social().ToggleFollow(me, "p7"), IsOk());
  auto s = engine().social().Suggestions(me);
  ASSERT_THAT(s, IsOk());
  EXPECT_EQ(s->size(), 50u);
  std::set<std::string> names;
  for (const UserCard& c : *s) names.insert(c.username);
  EXPECT_EQ(names.size(), 50u);
  for (const char* excluded : {"me", "staffer", "blocked", "p7"}) EXPECT_EQ(names.count(excluded), 0u) << excluded;
}

TEST_P(SocialTest, ContributionsCountCompletionsAndCheckInsPerDayForAYear) {
  User ada = CreateUser("ada");
  int key = 0;
  auto activity = [&](XpSource source) {
    ASSERT_THAT(engine().ledger().Apply({.user_id = ada.id, .amount = 5, .source = source, .reference = "r",
                                         .idempotency_key = "k" + std::to_string(++key)}),
                IsOk());
  };
  activity(XpSource::kChallengeCompletion);  // 400 days ago: outside the heatmap
  clock_.Advance(std::chrono::hours(24 * 398));
  activity(XpSource::kCheckIn);              // two days ago
  clock_.Advance(std::chrono::hours(48));
  activity(XpSource::kChallengeCompletion);  // today, twice, and a purchase that is not activity
  activity(XpSource::kChallengeCompletion);
  activity(XpSource::kAdminAdjustment);
  auto days = engine().social().Contributions("ada");
  ASSERT_THAT(days, IsOk());
  const CivilDate today = TimeZone().LocalDate(clock_.Now());
  ASSERT_EQ(days->size(), 2u);
  EXPECT_EQ((*days)[0].date, today);
  EXPECT_EQ((*days)[0].count, 2);
  EXPECT_EQ((*days)[1].date, CivilDate::FromDaysSinceEpoch(today.DaysSinceEpoch() - 2));
  EXPECT_EQ((*days)[1].count, 1);
  EXPECT_THAT(engine().social().Contributions("nobody"), StatusIs(StatusCode::kNotFound));
}

INSTANTIATE_TEST_SUITE_P(Backends, SocialTest, ::testing::ValuesIn(AllBackends()), BackendParamName);

}  // namespace
}  // namespace clash
