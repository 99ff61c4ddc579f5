// The NotificationStore contract on every backend: insert, list newest first with the actor and
// is_following, counts, isolation between recipients, read marks, deletes, FCM token upserts.
#include "clash/storage.h"
#include "storage/economy_store_fixture.h"

namespace clash::store_test {
namespace {

using ::clash::testing::IsOk;
using ::clash::testing::IsOkAndHolds;
using ::clash::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::Pair;

class NotificationStoreTest : public EconomyStoreTest {
 protected:
  Result<std::int64_t> Add(std::int64_t recipient, std::optional<std::int64_t> actor, const std::string& verb,
                           int at = 0) {
    NotificationRecord r{.recipient_id = recipient, .actor_id = actor, .verb = verb, .target_type = "post",
                         .target_id = 7, .target_preview = "/media/posts/x.png", .created_at = At(at)};
    return Write([&](StorageTransaction& tx) { return tx.notifications().Insert(r); });
  }
  std::vector<std::string> Verbs(std::int64_t recipient, std::int64_t offset = 0, int limit = 50) {
    auto list = Read([&](StorageTransaction& tx) { return tx.notifications().List(recipient, offset, limit); });
    EXPECT_THAT(list, IsOk());
    std::vector<std::string> out;
    if (list.ok()) {
      for (const Notification& n : *list) out.push_back(n.verb + (n.is_read ? "(read)" : ""));
    }
    return out;
  }
  Result<std::pair<std::int64_t, std::int64_t>> Counts(std::int64_t recipient) {
    return Read([&](StorageTransaction& tx) { return tx.notifications().Counts(recipient); });
  }
};

TEST_P(NotificationStoreTest, ListsNewestFirstWithTheActorAndCounts) {
  ASSERT_THAT(Add(alice_, bob_, "liked your post", 1), IsOk());
  ASSERT_THAT(Add(alice_, bob_, "started following you", 2), IsOk());
  ASSERT_THAT(Add(alice_, std::nullopt, "Maintenance tonight", 3), IsOk());
  ASSERT_THAT(Add(bob_, alice_, "liked your post", 4), IsOk());
  EXPECT_THAT(Verbs(alice_), ElementsAre("Maintenance tonight", "started following you", "liked your post"));
  EXPECT_THAT(Verbs(alice_, 1, 1), ElementsAre("started following you"));
  EXPECT_TRUE(Verbs(alice_, 3, 10).empty());  // past the end
  EXPECT_THAT(Counts(alice_), IsOkAndHolds(Pair(3, 3)));
  EXPECT_THAT(Counts(bob_), IsOkAndHolds(Pair(1, 1)));

  auto list = Read([&](StorageTransaction& tx) { return tx.notifications().List(alice_, 0, 50); });
  ASSERT_THAT(list, IsOk());
  EXPECT_FALSE((*list)[0].actor.has_value());
  ASSERT_TRUE((*list)[1].actor.has_value());
  EXPECT_EQ((*list)[1].actor->username, "bob");
  EXPECT_FALSE((*list)[1].actor->is_following);
  EXPECT_EQ((*list)[1].target_type, "post");
  EXPECT_EQ((*list)[1].target_id, 7);
  EXPECT_EQ((*list)[1].target_preview, "/media/posts/x.png");
  EXPECT_EQ((*list)[1].created_at, At(2));
}

TEST_P(NotificationStoreTest, ReadMarksAndDeletesTouchOnlyTheRecipientsOwn) {
  auto mine = Add(alice_, bob_, "a");
  auto theirs = Add(bob_, alice_, "b");
  ASSERT_THAT(mine, IsOk());
  ASSERT_THAT(theirs, IsOk());
  // Another recipient's id is NotFound, whatever the operation.
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.notifications().Get(alice_, *theirs); }),
              StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(Do([&](StorageTransaction& tx) { return tx.notifications().MarkRead(alice_, *theirs); }),
              StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(Do([&](StorageTransaction& tx) { return tx.notifications().Delete(alice_, *theirs); }),
              StatusIs(StatusCode::kNotFound));
  ASSERT_THAT(Do([&](StorageTransaction& tx) { return tx.notifications().MarkRead(alice_, *mine); }), IsOk());
  EXPECT_THAT(Verbs(alice_), ElementsAre("a(read)"));
  EXPECT_THAT(Verbs(bob_), ElementsAre("b"));
  ASSERT_THAT(Add(alice_, bob_, "c"), IsOk());
  EXPECT_THAT(Write([&](StorageTransaction& tx) { return tx.notifications().MarkAllRead(alice_); }),
              IsOkAndHolds(1));
  EXPECT_THAT(Counts(alice_), IsOkAndHolds(Pair(2, 0)));
  EXPECT_THAT(Counts(bob_), IsOkAndHolds(Pair(1, 1)));
  ASSERT_THAT(Do([&](StorageTransaction& tx) { return tx.notifications().Delete(alice_, *mine); }), IsOk());
  EXPECT_THAT(Write([&](StorageTransaction& tx) { return tx.notifications().DeleteAll(alice_); }), IsOkAndHolds(1));
  EXPECT_TRUE(Verbs(alice_).empty());
  EXPECT_THAT(Verbs(bob_), ElementsAre("b"));
}

TEST_P(NotificationStoreTest, UnknownRecipientOrActorIsRefused) {
  EXPECT_THAT(Add(999'999, bob_, "x"), StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_THAT(Add(alice_, 999'999, "x"), StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_THAT(Add(alice_, bob_, ""), StatusIs(StatusCode::kInvalidArgument));
}

TEST_P(NotificationStoreTest, DeletingTheActorDeletesTheirNotifications) {
  ASSERT_THAT(Add(alice_, bob_, "from bob"), IsOk());
  ASSERT_THAT(Add(alice_, std::nullopt, "from the system"), IsOk());
  ASSERT_THAT(Do([&](StorageTransaction& tx) { return tx.users().Delete(bob_); }), IsOk());
  EXPECT_THAT(Verbs(alice_), ElementsAre("from the system"));
}

TEST_P(NotificationStoreTest, FcmTokensAreUpsertedMovedAndDeleted) {
  auto upsert = [&](std::int64_t user, const std::string& token, const std::string& device, int at) {
    return Write([&](StorageTransaction& tx) { return tx.notifications().UpsertFcmToken(user, token, device, At(at)); });
  };
  auto tokens = [&](std::int64_t user) {
    return Read([&](StorageTransaction& tx) { return tx.notifications().FcmTokens(user); });
  };
  EXPECT_THAT(upsert(alice_, "tok-1", "Firefox", 1), IsOkAndHolds(true));
  EXPECT_THAT(upsert(alice_, "tok-2", "Chrome", 2), IsOkAndHolds(true));
  EXPECT_THAT(upsert(alice_, "tok-1", "Firefox 2", 3), IsOkAndHolds(false));
  EXPECT_THAT(tokens(alice_), IsOkAndHolds(ElementsAre("tok-1", "tok-2")));  // most recently updated first
  EXPECT_THAT(upsert(bob_, "tok-2", "Chrome", 4), IsOkAndHolds(false));      // the device changed hands
  EXPECT_THAT(tokens(alice_), IsOkAndHolds(ElementsAre("tok-1")));
  EXPECT_THAT(tokens(bob_), IsOkAndHolds(ElementsAre("tok-2")));
  EXPECT_THAT(Write([&](StorageTransaction& tx) { return tx.notifications().DeleteFcmToken("tok-1"); }),
              IsOkAndHolds(true));
  EXPECT_THAT(Write([&](StorageTransaction& tx) { return tx.notifications().DeleteFcmToken("tok-1"); }),
              IsOkAndHolds(false));
  EXPECT_THAT(tokens(alice_), IsOkAndHolds(ElementsAre()));
  EXPECT_THAT(upsert(999'999, "tok-3", "", 5), StatusIs(StatusCode::kFailedPrecondition));
}

INSTANTIATE_TEST_SUITE_P(Backends, NotificationStoreTest, ::testing::ValuesIn(AllBackends()), BackendParamName);

}  // namespace
}  // namespace clash::store_test
