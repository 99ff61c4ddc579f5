// The ChatStore contract on every backend: per-room sequence numbers and unique timestamps (also
// under concurrent writers on two pools), messages with their authors, edit and delete
// tombstones, atomic reaction toggles, history pages, the event log and its pruning, pins, mutes.
#include "clash/storage.h"

#include <set>

#include "storage/economy_store_fixture.h"

namespace clash::store_test {
namespace {

using ::clash::testing::IsOk;
using ::clash::testing::IsOkAndHolds;
using ::clash::testing::StatusIs;
using ::testing::ElementsAre;

class ChatStoreTest : public EconomyStoreTest {
 protected:
  // Takes the next position and stores a message of `user` there, as Chat::Post does.
  Result<ChatMessage> Post(std::int64_t user, const std::string& text, int at = 0, const std::string& room = "global",
                           Storage* storage = nullptr) {
    ChatMessage m;
    Status s = (storage ? *storage : *storage_).Transact([&](StorageTransaction& tx) -> Status {
      CLASH_ASSIGN_OR_RETURN(ChatPosition pos, tx.chat().NextEvent(room, At(at)));
      m.room = room;
      m.seq = pos.seq;
      m.user_id = user;
      m.text = text;
      m.created_at = pos.at;
      CLASH_ASSIGN_OR_RETURN(m.id, tx.chat().InsertMessage(m));
      return tx.chat().AppendEvent(room, {pos.seq, pos.at, "frame " + text});
    });
    if (!s.ok()) return s;
    return m;
  }
  std::vector<std::string> Texts(std::optional<std::int64_t> before = std::nullopt, int limit = 50) {
    auto h = Read([&](StorageTransaction& tx) { return tx.chat().History("global", before, limit); });
    EXPECT_THAT(h, IsOk());
    std::vector<std::string> out;
    for (const ChatMessage& m : h.value_or(std::vector<ChatMessage>{})) out.push_back(m.text);
    return out;
  }
};

TEST_P(ChatStoreTest, SequenceNumbersAndTimestampsAreUniquePerRoom) {
  auto a = Post(alice_, "one", 5);
  auto b = Post(bob_, "two", 5);  // same clock reading: the store moves it 1 us on
  auto c = Post(alice_, "three", 1);  // an earlier clock reading never goes back
  auto other = Post(alice_, "elsewhere", 5, "lobby");
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  ASSERT_THAT(c, IsOk());
  ASSERT_THAT(other, IsOk());
  EXPECT_EQ(a->seq, 1);
  EXPECT_EQ(b->seq, 2);
  EXPECT_EQ(c->seq, 3);
  EXPECT_EQ(other->seq, 1);
  EXPECT_EQ(a->created_at, At(5));
  EXPECT_EQ(b->created_at.unix_micros(), At(5).unix_micros() + 1);
  EXPECT_EQ(c->created_at.unix_micros(), At(5).unix_micros() + 2);
  auto room = Read([&](StorageTransaction& tx) { return tx.chat().Room("global"); });
  ASSERT_THAT(room, IsOk());
  EXPECT_EQ(room->last_seq, 3);
  EXPECT_FALSE(room->pinned_message_id.has_value());
  auto fresh = Read([&](StorageTransaction& tx) { return tx.chat().Room("never"); });
  ASSERT_THAT(fresh, IsOk());
  EXPECT_EQ(fresh->last_seq, 0);
}

TEST_P(ChatStoreTest, ConcurrentWritersGetDistinctGaplessSequenceNumbers) {
  constexpr int kThreads = 8;
  std::mutex mu;
  std::set<std::int64_t> seqs;
  std::set<std::int64_t> stamps;
  RunConcurrently(kThreads, [&](int i) {
    for (int k = 0; k < 5; ++k) {
      auto m = Post(i % 2 ? alice_ : bob_, "m" + std::to_string(i) + "-" + std::to_string(k), 1, "global",
                    &StorageFor(i));
      ASSERT_THAT(m, IsOk());
      std::lock_guard<std::mutex> lock(mu);
      seqs.insert(m->seq);
      stamps.insert(m->created_at.unix_micros());
    }
  });
  EXPECT_EQ(seqs.size(), 40u);
  EXPECT_EQ(*seqs.begin(), 1);
  EXPECT_EQ(*seqs.rbegin(), 40);
  EXPECT_EQ(stamps.size(), 40u);
  // The log holds every event, in order.
  auto events = Read([&](StorageTransaction& tx) { return tx.chat().EventsAfter("global", 0, 100); });
  ASSERT_THAT(events, IsOk());
  ASSERT_EQ(events->size(), 40u);
  for (std::size_t i = 0; i < events->size(); ++i) EXPECT_EQ((*events)[i].seq, static_cast<std::int64_t>(i + 1));
}

TEST_P(ChatStoreTest, MessagesCarryTheirAuthorAndTombstonesStayFindable) {
  auto m = Post(alice_, "hello", 1);
  ASSERT_THAT(m, IsOk());
  auto got = Read([&](StorageTransaction& tx) { return tx.chat().GetMessage("global", m->id); });
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ(got->username, "alice");
  EXPECT_EQ(got->text, "hello");
  EXPECT_FALSE(got->edited_at.has_value());
  auto by_time = Read([&](StorageTransaction& tx) { return tx.chat().FindMessage("global", m->created_at); });
  ASSERT_THAT(by_time, IsOk());
  EXPECT_EQ(by_time->id, m->id);
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.chat().GetMessage("lobby", m->id); }),
              StatusIs(StatusCode::kNotFound));

  ASSERT_THAT(Do([&](StorageTransaction& tx) { return tx.chat().EditMessage(m->id, "hello!", At(2)); }), IsOk());
  got = Read([&](StorageTransaction& tx) { return tx.chat().GetMessage("global", m->id); });
  EXPECT_EQ(got->text, "hello!");
  EXPECT_EQ(got->edited_at, At(2));
  ASSERT_THAT(Do([&](StorageTransaction& tx) { return tx.chat().DeleteMessage(m->id, bob_, At(3)); }), IsOk());
  got = Read([&](StorageTransaction& tx) { return tx.chat().GetMessage("global", m->id); });
  ASSERT_THAT(got, IsOk());
  EXPECT_TRUE(got->deleted);
  EXPECT_EQ(got->text, "");
  EXPECT_TRUE(Texts().empty());  // history skips tombstones
  EXPECT_THAT(Do([&](StorageTransaction& tx) { return tx.chat().EditMessage(9999, "x", At(4)); }),
              StatusIs(StatusCode::kNotFound));
}

TEST_P(ChatStoreTest, HistoryPagesNewestFirstBelowASequenceNumber) {
  for (int i = 1; i <= 5; ++i) ASSERT_THAT(Post(alice_, "m" + std::to_string(i), i), IsOk());
  EXPECT_THAT(Texts(), ElementsAre("m5", "m4", "m3", "m2", "m1"));
  EXPECT_THAT(Texts(std::nullopt, 2), ElementsAre("m5", "m4"));
  EXPECT_THAT(Texts(4, 2), ElementsAre("m3", "m2"));
  EXPECT_THAT(Texts(1, 10), ElementsAre());
}

TEST_P(ChatStoreTest, ReactionsToggleAtomicallyAndListInOrder) {
  auto m = Post(alice_, "react to me", 1);
  ASSERT_THAT(m, IsOk());
  auto toggle = [&](std::int64_t user, const std::string& emoji, Storage* s = nullptr) {
    return RunIn(s ? *s : *storage_, true,
                 [&](StorageTransaction& tx) { return tx.chat().ToggleReaction(m->id, emoji, user, At(2)); });
  };
  EXPECT_THAT(toggle(alice_, "👍"), IsOkAndHolds(true));
  EXPECT_THAT(toggle(bob_, "👍"), IsOkAndHolds(true));
  EXPECT_THAT(toggle(bob_, "🎉"), IsOkAndHolds(true));
  EXPECT_THAT(toggle(alice_, "👍"), IsOkAndHolds(false));
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.chat().ReactionEmojiCount(m->id); }), IsOkAndHolds(2));
  auto r = Read([&](StorageTransaction& tx) { return tx.chat().Reactions({m->id}); });
  ASSERT_THAT(r, IsOk());
  EXPECT_THAT((*r)[m->id]["👍"], ElementsAre("bob"));
  EXPECT_THAT((*r)[m->id]["🎉"], ElementsAre("bob"));
  // An even number of concurrent toggles by one user (each in a transaction that first takes the
  // room's position, as Chat does) leaves the reaction as it was.
  RunConcurrently(6, [&](int i) {
    Status s = StorageFor(i).Transact([&](StorageTransaction& tx) -> Status {
      Result<ChatPosition> pos = tx.chat().NextEvent("global", At(3));
      if (!pos.ok()) return pos.status();
      Result<bool> toggled = tx.chat().ToggleReaction(m->id, "🔥", alice_, At(3));
      return toggled.ok() ? Status::Ok() : toggled.status();
    });
    EXPECT_THAT(s, IsOk());
  });
  r = Read([&](StorageTransaction& tx) { return tx.chat().Reactions({m->id}); });
  EXPECT_FALSE((*r)[m->id].contains("🔥"));
}

TEST_P(ChatStoreTest, EventLogReadsAfterASequenceAndPrunes) {
  for (int i = 1; i <= 6; ++i) ASSERT_THAT(Post(alice_, "m" + std::to_string(i), i * 10), IsOk());
  auto after = Read([&](StorageTransaction& tx) { return tx.chat().EventsAfter("global", 3, 2); });
  ASSERT_THAT(after, IsOk());
  ASSERT_EQ(after->size(), 2u);
  EXPECT_EQ((*after)[0].seq, 4);
  EXPECT_EQ((*after)[0].frame, "frame m4");
  EXPECT_EQ((*after)[1].seq, 5);
  EXPECT_THAT(Do([&](StorageTransaction& tx) { return tx.chat().AppendEvent("global", {6, At(99), "dup"}); }),
              StatusIs(StatusCode::kAlreadyExists));
  // seq <= 2 goes, and so does what is older than At(40) (seq 3).
  EXPECT_THAT(Write([&](StorageTransaction& tx) { return tx.chat().PruneEvents("global", 2, At(40)); }),
              IsOkAndHolds(3));
  after = Read([&](StorageTransaction& tx) { return tx.chat().EventsAfter("global", 0, 100); });
  ASSERT_EQ(after->size(), 3u);
  EXPECT_EQ(after->front().seq, 4);
}

TEST_P(ChatStoreTest, PinsAndMutes) {
  auto m = Post(alice_, "pin me", 1);
  ASSERT_THAT(m, IsOk());
  ASSERT_THAT(Do([&](StorageTransaction& tx) { return tx.chat().SetPin("global", m->id, bob_); }), IsOk());
  auto room = Read([&](StorageTransaction& tx) { return tx.chat().Room("global"); });
  EXPECT_EQ(room->pinned_message_id, m->id);
  EXPECT_EQ(room->pinned_by, bob_);
  ASSERT_THAT(Do([&](StorageTransaction& tx) { return tx.chat().SetPin("global", std::nullopt, std::nullopt); }), IsOk());
  room = Read([&](StorageTransaction& tx) { return tx.chat().Room("global"); });
  EXPECT_FALSE(room->pinned_message_id.has_value());
  EXPECT_THAT(Do([&](StorageTransaction& tx) { return tx.chat().SetPin("nowhere", m->id, bob_); }),
              StatusIs(StatusCode::kNotFound));

  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.chat().MutedUntil(alice_); }),
              IsOkAndHolds(std::optional<Timestamp>()));
  ASSERT_THAT(Do([&](StorageTransaction& tx) { return tx.chat().SetMute(alice_, At(100), bob_, At(1)); }), IsOk());
  ASSERT_THAT(Do([&](StorageTransaction& tx) { return tx.chat().SetMute(alice_, At(200), bob_, At(2)); }), IsOk());
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.chat().MutedUntil(alice_); }),
              IsOkAndHolds(std::optional<Timestamp>(At(200))));
  EXPECT_THAT(Write([&](StorageTransaction& tx) { return tx.chat().ClearMute(alice_); }), IsOkAndHolds(true));
  EXPECT_THAT(Write([&](StorageTransaction& tx) { return tx.chat().ClearMute(alice_); }), IsOkAndHolds(false));
  EXPECT_THAT(Do([&](StorageTransaction& tx) { return tx.chat().SetMute(424242, At(100), bob_, At(1)); }),
              StatusIs(StatusCode::kFailedPrecondition));
}

INSTANTIATE_TEST_SUITE_P(Backends, ChatStoreTest, ::testing::ValuesIn(AllBackends()), BackendParamName);

}  // namespace
}  // namespace clash::store_test
