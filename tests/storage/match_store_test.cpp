// The MatchStore contract on every backend: match rows and their updates, members with usernames,
// one active match per user (also under concurrent claims on two pools), submissions, the event
// log, ratings and the leaderboard, the matchmaking queue, timers due.
#include "clash/storage.h"

#include <atomic>

#include "storage/economy_store_fixture.h"

namespace clash::store_test {
namespace {

using ::clash::testing::IsOk;
using ::clash::testing::IsOkAndHolds;
using ::clash::testing::StatusIs;

class MatchStoreTest : public EconomyStoreTest {
 protected:
  MatchRecord NewMatch(const std::string& id, std::int64_t host, MatchState state = MatchState::kLobby) {
    MatchRecord m{.id = id, .mode = MatchMode::kShortest, .puzzle_slug = "echo-reverse", .host_id = host,
                  .is_public = true, .state = state, .time_limit_seconds = 600, .max_players = 4,
                  .created_at = At(1)};
    EXPECT_THAT(Do([&](StorageTransaction& tx) { return tx.matches().InsertMatch(m); }), IsOk());
    return m;
  }
};

TEST_P(MatchStoreTest, MatchesRoundTripAndUpdate) {
  MatchRecord m = NewMatch("m1", alice_);
  auto got = Read([&](StorageTransaction& tx) { return tx.matches().GetMatch("m1", false); });
  ASSERT_THAT(got, IsOk());
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ(**got, m);
  m.state = MatchState::kRunning;
  m.started_at = At(10);
  m.ends_at = At(610);
  m.countdown_ends_at = At(10);
  m.last_seq = 7;
  EXPECT_THAT(Do([&](StorageTransaction& tx) { return tx.matches().UpdateMatch(m); }), IsOk());
  got = Write([&](StorageTransaction& tx) { return tx.matches().GetMatch("m1", true); });  // a lock needs a write transaction
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ(**got, m);
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.matches().GetMatch("nope", false); }),
              IsOkAndHolds(std::optional<MatchRecord>()));
  MatchRecord unknown = m;
  unknown.id = "nope";
  EXPECT_THAT(Do([&](StorageTransaction& tx) { return tx.matches().UpdateMatch(unknown); }),
              StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(Do([&](StorageTransaction& tx) { return tx.matches().InsertMatch(m); }),
              StatusIs(StatusCode::kAlreadyExists));
  MatchRecord orphan = m;
  orphan.id = "m2";
  orphan.host_id = 999999;
  EXPECT_THAT(Do([&](StorageTransaction& tx) { return tx.matches().InsertMatch(orphan); }),
              StatusIs(StatusCode::kFailedPrecondition));
}

TEST_P(MatchStoreTest, JoinCodesAreUniqueAndFound) {
  MatchRecord m = NewMatch("m1", alice_);
  m.is_public = false;
  m.join_code = "ABCD2345";
  ASSERT_THAT(Do([&](StorageTransaction& tx) { return tx.matches().UpdateMatch(m); }), IsOk());
  NewMatch("m2", bob_);  // public: no code, and several matches may have none
  NewMatch("m3", bob_);
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.matches().FindByCode("ABCD2345"); }),
              IsOkAndHolds(std::optional<std::string>("m1")));
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.matches().FindByCode("ZZZZ2345"); }),
              IsOkAndHolds(std::optional<std::string>()));
  MatchRecord clash = m;
  clash.id = "m4";
  EXPECT_THAT(Do([&](StorageTransaction& tx) { return tx.matches().InsertMatch(clash); }),
              StatusIs(StatusCode::kAlreadyExists));
}

TEST_P(MatchStoreTest, ListOpenShowsPublicLobbiesNewestFirstByMode) {
  MatchRecord a = NewMatch("a", alice_);
  MatchRecord b = NewMatch("b", bob_);
  b.created_at = At(5);
  // created_at is not updated; insert c later instead.
  MatchRecord c{.id = "c", .mode = MatchMode::kFastest, .puzzle_slug = "bit-count", .host_id = bob_,
                .is_public = true, .state = MatchState::kLobby, .time_limit_seconds = 300, .max_players = 2,
                .created_at = At(9)};
  MatchRecord d = c;
  d.id = "d";
  d.state = MatchState::kRunning;
  ASSERT_THAT(Do([&](StorageTransaction& tx) -> Status {
                CLASH_RETURN_IF_ERROR(tx.matches().InsertMatch(c));
                return tx.matches().InsertMatch(d);
              }),
              IsOk());
  auto all = Read([&](StorageTransaction& tx) { return tx.matches().ListOpen(std::nullopt, 10); });
  ASSERT_THAT(all, IsOk());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].id, "c");
  auto fastest = Read([&](StorageTransaction& tx) { return tx.matches().ListOpen(MatchMode::kFastest, 10); });
  ASSERT_THAT(fastest, IsOk());
  ASSERT_EQ(fastest->size(), 1u);
  EXPECT_EQ((*fastest)[0].id, "c");
  auto one = Read([&](StorageTransaction& tx) { return tx.matches().ListOpen(std::nullopt, 1); });
  ASSERT_THAT(one, IsOk());
  EXPECT_EQ(one->size(), 1u);
}

TEST_P(MatchStoreTest, MembersCarryUsernamesAndReplaceOnPut) {
  NewMatch("m1", alice_);
  MatchPlayerRecord p{.match_id = "m1", .user_id = bob_, .joined_at = At(3)};
  MatchPlayerRecord h{.match_id = "m1", .user_id = alice_, .ready = true, .joined_at = At(2)};
  ASSERT_THAT(Do([&](StorageTransaction& tx) -> Status {
                CLASH_RETURN_IF_ERROR(tx.matches().PutPlayer(p));
                return tx.matches().PutPlayer(h);
              }),
              IsOk());
  p.ready = true;
  p.rank = 2;
  p.score = 40;
  p.xp = 15;
  p.reveal_code = true;
  p.left = true;
  ASSERT_THAT(Do([&](StorageTransaction& tx) { return tx.matches().PutPlayer(p); }), IsOk());
  auto members = Read([&](StorageTransaction& tx) { return tx.matches().ListPlayers("m1"); });
  ASSERT_THAT(members, IsOk());
  ASSERT_EQ(members->size(), 2u);
  EXPECT_EQ((*members)[0].user_id, alice_);
  EXPECT_EQ((*members)[0].username, "alice");
  MatchPlayerRecord want = p;
  want.username = "bob";
  EXPECT_EQ((*members)[1], want);
  EXPECT_THAT(Write([&](StorageTransaction& tx) { return tx.matches().DeletePlayer("m1", bob_); }), IsOkAndHolds(true));
  EXPECT_THAT(Write([&](StorageTransaction& tx) { return tx.matches().DeletePlayer("m1", bob_); }), IsOkAndHolds(false));
  MatchPlayerRecord ghost{.match_id = "zz", .user_id = bob_, .joined_at = At(3)};
  EXPECT_THAT(Do([&](StorageTransaction& tx) { return tx.matches().PutPlayer(ghost); }),
              StatusIs(StatusCode::kFailedPrecondition));
}

TEST_P(MatchStoreTest, OneActiveMatchPerUserEvenUnderConcurrentClaims) {
  NewMatch("m1", alice_);
  NewMatch("m2", bob_);
  std::atomic<int> won{0};
  std::atomic<int> refused{0};
  RunConcurrently(8, [&](int i) {
    Status s = StorageFor(i).Transact([&](StorageTransaction& tx) {
      return tx.matches().ClaimActive(alice_, i % 2 == 0 ? "m1" : "m2");
    });
    if (s.ok()) ++won;
    if (s.code() == StatusCode::kAlreadyExists) ++refused;
  });
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(refused.load(), 7);
  auto active = Read([&](StorageTransaction& tx) { return tx.matches().ActiveMatch(alice_); });
  ASSERT_THAT(active, IsOk());
  ASSERT_TRUE(active->has_value());
  const std::string other = **active == "m1" ? "m2" : "m1";
  EXPECT_THAT(Write([&](StorageTransaction& tx) { return tx.matches().ReleaseActive(alice_, other); }),
              IsOkAndHolds(false));
  EXPECT_THAT(Write([&](StorageTransaction& tx) { return tx.matches().ReleaseActive(alice_, **active); }),
              IsOkAndHolds(true));
  ASSERT_THAT(Do([&](StorageTransaction& tx) -> Status {
                CLASH_RETURN_IF_ERROR(tx.matches().ClaimActive(alice_, "m1"));
                return tx.matches().ClaimActive(bob_, "m1");
              }),
              IsOk());
  EXPECT_THAT(Write([&](StorageTransaction& tx) { return tx.matches().ReleaseAllActive("m1"); }), IsOkAndHolds(2));
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.matches().ActiveMatch(bob_); }),
              IsOkAndHolds(std::optional<std::string>()));
}

TEST_P(MatchStoreTest, SubmissionsAndEventsKeepTheirOrder) {
  NewMatch("m1", alice_);
  MatchSubmissionRecord s{.match_id = "m1", .user_id = bob_, .language = "python3", .code = "print(1)",
                          .tests_passed = 3, .tests_total = 10, .chars = 8, .submitted_at = At(40),
                          .elapsed_ms = 30000};
  auto id1 = Write([&](StorageTransaction& tx) { return tx.matches().InsertSubmission(s); });
  auto id2 = Write([&](StorageTransaction& tx) { return tx.matches().InsertSubmission(s); });
  ASSERT_THAT(id1, IsOk());
  ASSERT_THAT(id2, IsOk());
  EXPECT_LT(*id1, *id2);
  auto subs = Read([&](StorageTransaction& tx) { return tx.matches().ListSubmissions("m1"); });
  ASSERT_THAT(subs, IsOk());
  ASSERT_EQ(subs->size(), 2u);
  s.id = *id1;
  EXPECT_EQ((*subs)[0], s);
  for (int seq = 1; seq <= 3; ++seq) {
    MatchEventRecord e{.match_id = "m1", .seq = seq, .type = "t" + std::to_string(seq), .data_json = "{}", .at = At(seq)};
    ASSERT_THAT(Do([&](StorageTransaction& tx) { return tx.matches().InsertEvent(e); }), IsOk());
  }
  MatchEventRecord dup{.match_id = "m1", .seq = 2, .type = "dup", .data_json = "{}", .at = At(9)};
  EXPECT_THAT(Do([&](StorageTransaction& tx) { return tx.matches().InsertEvent(dup); }),
              StatusIs(StatusCode::kAlreadyExists));
  auto events = Read([&](StorageTransaction& tx) { return tx.matches().ListEvents("m1", 1); });
  ASSERT_THAT(events, IsOk());
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].type, "t2");
  EXPECT_EQ((*events)[1].type, "t3");
  EXPECT_EQ((*events)[1].at, At(3));
}

TEST_P(MatchStoreTest, DueTimersAndHistory) {
  MatchRecord counting = NewMatch("c", alice_, MatchState::kCountdown);
  counting.countdown_ends_at = At(10);
  MatchRecord running = NewMatch("r", bob_, MatchState::kRunning);
  running.ends_at = At(20);
  ASSERT_THAT(Do([&](StorageTransaction& tx) -> Status {
                CLASH_RETURN_IF_ERROR(tx.matches().UpdateMatch(counting));
                return tx.matches().UpdateMatch(running);
              }),
              IsOk());
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.matches().ListDue(At(9), 10); }),
              IsOkAndHolds(std::vector<std::string>{}));
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.matches().ListDue(At(10), 10); }),
              IsOkAndHolds(std::vector<std::string>{"c"}));
  auto both = Read([&](StorageTransaction& tx) { return tx.matches().ListDue(At(25), 10); });
  ASSERT_THAT(both, IsOk());
  EXPECT_EQ(both->size(), 2u);
  running.state = MatchState::kFinished;
  running.finished_at = At(20);
  ASSERT_THAT(Do([&](StorageTransaction& tx) -> Status {
                CLASH_RETURN_IF_ERROR(tx.matches().UpdateMatch(running));
                CLASH_RETURN_IF_ERROR(tx.matches().PutPlayer({.match_id = "r", .user_id = alice_, .joined_at = At(1)}));
                return tx.matches().PutPlayer({.match_id = "c", .user_id = alice_, .joined_at = At(1)});
              }),
              IsOk());
  auto history = Read([&](StorageTransaction& tx) { return tx.matches().History(alice_, 10); });
  ASSERT_THAT(history, IsOk());
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].id, "r");
}

TEST_P(MatchStoreTest, RatingsLeaderboardAndQueue) {
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.matches().GetRating(alice_, MatchMode::kFastest); }),
              IsOkAndHolds(std::optional<double>()));
  ASSERT_THAT(Do([&](StorageTransaction& tx) -> Status {
                CLASH_RETURN_IF_ERROR(tx.matches().PutRating(alice_, MatchMode::kFastest, 1612.25));
                CLASH_RETURN_IF_ERROR(tx.matches().PutRating(bob_, MatchMode::kFastest, 1700.5));
                CLASH_RETURN_IF_ERROR(tx.matches().PutRating(alice_, MatchMode::kFastest, 1620.75));
                return tx.matches().PutRating(bob_, MatchMode::kReverse, 900);
              }),
              IsOk());
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.matches().GetRating(alice_, MatchMode::kFastest); }),
              IsOkAndHolds(std::optional<double>(1620.75)));
  auto board = Read([&](StorageTransaction& tx) { return tx.matches().Leaderboard(MatchMode::kFastest, 10); });
  ASSERT_THAT(board, IsOk());
  ASSERT_EQ(board->size(), 2u);
  EXPECT_EQ((*board)[0], (MatchLeaderboardEntry{.user_id = bob_, .username = "bob", .rating = 1700.5}));
  EXPECT_EQ((*board)[1].rating, 1620.75);

  QueueEntry q{.user_id = alice_, .mode = MatchMode::kShortest, .rating = 1500, .queued_at = At(5)};
  ASSERT_THAT(Do([&](StorageTransaction& tx) { return tx.matches().PutQueueEntry(q); }), IsOk());
  QueueEntry r{.user_id = bob_, .mode = MatchMode::kShortest, .rating = 1550, .queued_at = At(3)};
  ASSERT_THAT(Do([&](StorageTransaction& tx) { return tx.matches().PutQueueEntry(r); }), IsOk());
  auto queue = Read([&](StorageTransaction& tx) { return tx.matches().ListQueue(MatchMode::kShortest); });
  ASSERT_THAT(queue, IsOk());
  ASSERT_EQ(queue->size(), 2u);
  EXPECT_EQ((*queue)[0], r);
  EXPECT_EQ((*queue)[1], q);
  EXPECT_THAT(Write([&](StorageTransaction& tx) { return tx.matches().DeleteQueueEntry(bob_); }), IsOkAndHolds(true));
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.matches().GetQueueEntry(bob_); }),
              IsOkAndHolds(std::optional<QueueEntry>()));
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.matches().GetQueueEntry(alice_); }),
              IsOkAndHolds(std::optional<QueueEntry>(q)));
}

INSTANTIATE_TEST_SUITE_P(Backends, MatchStoreTest, ::testing::ValuesIn(AllBackends()), BackendParamName);

}  // namespace
}  // namespace clash::store_test
