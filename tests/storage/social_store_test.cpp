// The SocialStore contract on every backend: follows and their counters (also under concurrent
// follows of one pair), follower lists with the viewer's is_following, suggestion candidates and
// activity times.
#include "clash/storage.h"
#include <algorithm>
#include <atomic>

#include "storage/economy_store_fixture.h"

namespace clash::store_test {
namespace {

using ::clash::testing::IsOk;
using ::clash::testing::IsOkAndHolds;
using ::clash::testing::StatusIs;
using ::testing::ElementsAre;

class SocialStoreTest : public EconomyStoreTest {
 protected:
  Result<bool> Follow(std::int64_t a, std::int64_t b, int at = 0) {
    return Write([&](StorageTransaction& tx) { return tx.social().Follow(a, b, At(at)); });
  }
  Result<bool> Unfollow(std::int64_t a, std::int64_t b) {
    return Write([&](StorageTransaction& tx) { return tx.social().Unfollow(a, b); });
  }
  std::pair<long long, long long> Counts(std::int64_t u) {
    auto c = Read([&](StorageTransaction& tx) { return tx.social().Counts(u); });
    EXPECT_THAT(c, IsOk());
    if (!c.ok()) return {-1, -1};
    return {c->followers, c->following};
  }
  std::vector<std::string> Names(std::int64_t user, bool followers, std::optional<std::int64_t> viewer,
                                 std::int64_t offset = 0, int limit = 50) {
    auto list = Read([&](StorageTransaction& tx) { return tx.social().ListFollows(user, followers, viewer, offset, limit); });
    EXPECT_THAT(list, IsOk());
    std::vector<std::string> out;
    for (const UserCard& c : list.value_or({})) out.push_back(c.username + (c.is_following ? "*" : ""));
    return out;
  }
};

TEST_P(SocialStoreTest, FollowsAndCountersMoveTogether) {
  const std::int64_t carol = NewUserId("carol");
  EXPECT_THAT(Follow(alice_, bob_, 1), IsOkAndHolds(true));
  EXPECT_THAT(Follow(alice_, bob_, 2), IsOkAndHolds(false));  // already following: nothing changes
  EXPECT_THAT(Follow(carol, bob_, 3), IsOkAndHolds(true));
  EXPECT_THAT(Follow(bob_, alice_, 4), IsOkAndHolds(true));
  EXPECT_EQ(Counts(bob_), std::make_pair(2LL, 1LL));
  EXPECT_EQ(Counts(alice_), std::make_pair(1LL, 1LL));
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.social().IsFollowing(alice_, bob_); }), IsOkAndHolds(true));
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.social().IsFollowing(bob_, carol); }), IsOkAndHolds(false));
  // Newest follow first; is_following as seen by alice.
  EXPECT_THAT(Names(bob_, true, alice_), ElementsAre("carol", "alice"));
  EXPECT_THAT(Names(bob_, true, bob_), ElementsAre("carol", "alice*"));
  EXPECT_THAT(Names(bob_, true, std::nullopt, 1, 5), ElementsAre("alice"));
  EXPECT_TRUE(Names(bob_, true, std::nullopt, 2, 5).empty());
  EXPECT_THAT(Names(alice_, false, carol), ElementsAre("bob*"));  // carol follows bob too
  EXPECT_THAT(Unfollow(alice_, bob_), IsOkAndHolds(true));
  EXPECT_THAT(Unfollow(alice_, bob_), IsOkAndHolds(false));
  EXPECT_EQ(Counts(bob_), std::make_pair(1LL, 1LL));
  EXPECT_EQ(Counts(alice_), std::make_pair(1LL, 0LL));
  EXPECT_EQ(Counts(999'999), std::make_pair(0LL, 0LL));
}

TEST_P(SocialStoreTest, RefusesSelfAndUnknownUsers) {
  EXPECT_THAT(Follow(alice_, alice_), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(Follow(alice_, 999'999), StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_EQ(Counts(alice_), std::make_pair(0LL, 0LL));
}

TEST_P(SocialStoreTest, ConcurrentFollowsOfOnePairCreateOneFollow) {
  std::atomic<int> created{0};
  RunConcurrently(8, [&](int i) {
    Result<bool> r = RunIn(StorageFor(i), true, [&](StorageTransaction& tx) { return tx.social().Follow(alice_, bob_, At(i)); });
    EXPECT_THAT(r, IsOk());
    if (r.ok() && *r) ++created;
  });
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(Counts(bob_), std::make_pair(1LL, 0LL));
  EXPECT_EQ(Counts(alice_), std::make_pair(0LL, 1LL));
}

TEST_P(SocialStoreTest, SuggestionCandidatesSkipSelfStaffBlockedAndFollowed) {
  const std::int64_t carol = NewUserId("carol");
  const std::int64_t dave = NewUserId("dave");
  const std::int64_t erin = NewUserId("erin");
  const std::int64_t staff = NewUserId("staff");
  ASSERT_THAT(Do([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(User s, tx.users().GetById(staff));
    s.is_staff = true;
    CLASH_RETURN_IF_ERROR(tx.users().Update(s));
    CLASH_ASSIGN_OR_RETURN(User e, tx.users().GetById(erin));
    e.is_active = false;
    return tx.users().Update(e);
  }),
              IsOk());
  ASSERT_THAT(Follow(alice_, carol), IsOk());
  auto names = [&](int limit) {
    auto c = Read([&](StorageTransaction& tx) { return tx.social().SuggestionCandidates(alice_, limit); });
    EXPECT_THAT(c, IsOk());
    std::vector<std::string> out;
    for (const UserCard& u : c.value_or({})) out.push_back(u.username);
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_THAT(names(50), ElementsAre("bob", "dave"));
  EXPECT_EQ(names(1).size(), 1u);
  (void)dave;
}

TEST_P(SocialStoreTest, ActivityTimesCountCompletionsCheckInsAndPostsOnly) {
  auto entry = [&](XpSource source, const std::string& key, int at) {
    LedgerEntry e = Entry(alice_, 10, key, at);
    e.source = source;
    return Write([&](StorageTransaction& tx) { return tx.ledger().InsertEntry(e); });
  };
  ASSERT_THAT(entry(XpSource::kChallengeCompletion, "a", 100), IsOk());
  ASSERT_THAT(entry(XpSource::kCheckIn, "b", 200), IsOk());
  ASSERT_THAT(entry(XpSource::kStorePurchase, "c", 300), IsOk());
  ASSERT_THAT(entry(XpSource::kChallengeCompletion, "d", 5), IsOk());  // before `since`
  auto times = Read([&](StorageTransaction& tx) { return tx.social().ActivityTimes(alice_, At(50)); });
  ASSERT_THAT(times, IsOk());
  std::vector<std::int64_t> got;
  for (Timestamp t : *times) got.push_back(t.unix_micros());
  std::sort(got.begin(), got.end());
  EXPECT_THAT(got, ElementsAre(At(100).unix_micros(), At(200).unix_micros()));
}

INSTANTIATE_TEST_SUITE_P(Backends, SocialStoreTest, ::testing::ValuesIn(AllBackends()), BackendParamName);

}  // namespace
}  // namespace clash::store_test
