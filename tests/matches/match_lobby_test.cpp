// The lobby and the queue through the library: every refused action answers a clear error and
// changes nothing (members, state and the event log stay as they were).
#include "matches/match_fixture.h"

namespace clash::testing {
namespace {

using ::testing::ElementsAre;

class MatchLobbyTest : public MatchTest {
 protected:
  // The parts of a match a refused action must leave alone.
  struct Snapshot {
    MatchState state;
    std::int64_t host_id;
    std::int64_t last_seq;
    std::vector<std::int64_t> members;
    bool operator==(const Snapshot&) const = default;
  };
  Snapshot Snap(const std::string& id) {
    MatchView v = View(id);
    Snapshot s{v.match.state, v.match.host_id, v.match.last_seq, {}};
    for (const MatchPlayerRecord& p : v.players) s.members.push_back(p.user_id);
    return s;
  }
};

TEST_P(MatchLobbyTest, CreateValidatesSettings) {
  User ada = CreateUser("ada");
  EXPECT_THAT(matches().Create(ada.id, {.time_limit_minutes = 7}), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(matches().Create(ada.id, {.max_players = 1}), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(matches().Create(ada.id, {.max_players = 9}), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(matches().Create(ada.id, {.puzzle_slug = "no-such-puzzle"}), StatusIs(StatusCode::kInvalidArgument));
  // knight-moves does not suit reverse (docs/puzzles.md).
  EXPECT_THAT(matches().Create(ada.id, {.mode = MatchMode::kReverse, .puzzle_slug = "knight-moves"}),
              StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(matches().Create(987654, {}), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(matches().CurrentMatch(ada.id), IsOkAndHolds(std::optional<std::string>()));
  Result<MatchView> m = matches().Create(ada.id, {.mode = MatchMode::kReverse, .time_limit_minutes = 15});
  ASSERT_THAT(m, IsOk());
  EXPECT_EQ(m->match.time_limit_seconds, 900);
  EXPECT_TRUE(m->match.join_code.empty());
  EXPECT_EQ(m->match.state, MatchState::kLobby);
  EXPECT_EQ(m->players.size(), 1u);
  EXPECT_FALSE(m->statement.has_value());
  EXPECT_THAT(matches().CurrentMatch(ada.id), IsOkAndHolds(std::optional<std::string>(m->match.id)));
}

TEST_P(MatchLobbyTest, APlayerCannotBeInTwoMatchesAtOnce) {
  User ada = CreateUser("ada");
  User bob = CreateUser("bob");
  const std::string first = Lobby(ada, {});
  const std::string second = Lobby(bob, {});
  const Snapshot before = Snap(second);
  EXPECT_THAT(matches().Create(ada.id, {}), StatusIs(StatusCode::kAlreadyExists));
  EXPECT_THAT(matches().Join(ada.id, second, {}), StatusIs(StatusCode::kAlreadyExists));
  EXPECT_THAT(matches().Join(ada.id, first, {}), StatusIs(StatusCode::kAlreadyExists));
  EXPECT_EQ(Snap(second), before);
  // Watching another match is fine.
  EXPECT_THAT(matches().Join(ada.id, second, {.spectator = true}), IsOk());
  // After leaving, joining works.
  ASSERT_THAT(matches().Leave(ada.id, first), IsOk());
  ASSERT_THAT(matches().Leave(ada.id, second), IsOk());
  EXPECT_THAT(matches().Join(ada.id, second, {}), IsOk());
}

TEST_P(MatchLobbyTest, AFullLobbyRefusesPlayersButTakesSpectators) {
  User ada = CreateUser("ada");
  User bob = CreateUser("bob");
  User cyd = CreateUser("cyd");
  const std::string id = Lobby(ada, {bob}, MatchMode::kFastest, /*max_players=*/2);
  const Snapshot before = Snap(id);
  EXPECT_THAT(matches().Join(cyd.id, id, {}), StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_EQ(Snap(id), before);
  EXPECT_THAT(matches().CurrentMatch(cyd.id), IsOkAndHolds(std::optional<std::string>()));
  EXPECT_THAT(matches().Join(cyd.id, id, {.spectator = true}), IsOk());
  EXPECT_THAT(matches().Join(cyd.id, id, {.spectator = true}), StatusIs(StatusCode::kAlreadyExists));
}

TEST_P(MatchLobbyTest, PrivateMatchesNeedTheirCode) {
  User ada = CreateUser("ada");
  User bob = CreateUser("bob");
  User cyd = CreateUser("cyd");
  Result<MatchView> m = matches().Create(ada.id, {.is_public = false, .puzzle_slug = "echo-reverse"});
  ASSERT_THAT(m, IsOk());
  const std::string code = m->match.join_code;
  ASSERT_EQ(code.size(), 8u);
  EXPECT_TRUE(View(m->match.id, 0).match.join_code.empty());  // only members see it
  Result<std::vector<MatchView>> open = matches().ListOpen(std::nullopt);
  ASSERT_THAT(open, IsOk());
  EXPECT_TRUE(open->empty());
  const Snapshot before = Snap(m->match.id);
  EXPECT_THAT(matches().Join(bob.id, m->match.id, {}), StatusIs(StatusCode::kPermissionDenied));
  EXPECT_THAT(matches().Join(bob.id, m->match.id, {.join_code = "WRONG234"}), StatusIs(StatusCode::kPermissionDenied));
  EXPECT_THAT(matches().JoinByCode(bob.id, "WRONG234"), StatusIs(StatusCode::kNotFound));
  EXPECT_EQ(Snap(m->match.id), before);
  Result<MatchView> joined = matches().JoinByCode(bob.id, code);
  ASSERT_THAT(joined, IsOk());
  EXPECT_EQ(joined->match.join_code, code);
  EXPECT_THAT(matches().Join(cyd.id, m->match.id, {.spectator = true, .join_code = code}), IsOk());
}

TEST_P(MatchLobbyTest, OnlyTheHostKicksAndStarts) {
  User ada = CreateUser("ada");
  User bob = CreateUser("bob");
  User cyd = CreateUser("cyd");
  const std::string id = Lobby(ada, {bob, cyd});
  const Snapshot before = Snap(id);
  EXPECT_THAT(matches().Kick(bob.id, id, cyd.id), StatusIs(StatusCode::kPermissionDenied));
  EXPECT_THAT(matches().Start(bob.id, id), StatusIs(StatusCode::kPermissionDenied));
  EXPECT_THAT(matches().Kick(ada.id, id, ada.id), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(matches().Kick(ada.id, id, 424242), StatusIs(StatusCode::kNotFound));
  EXPECT_EQ(Snap(id), before);
  ASSERT_THAT(matches().Kick(ada.id, id, cyd.id), IsOk());
  EXPECT_THAT(matches().CurrentMatch(cyd.id), IsOkAndHolds(std::optional<std::string>()));
  EXPECT_EQ(View(id).players.size(), 2u);
  ASSERT_THAT(matches().Start(ada.id, id), IsOk());
  const Snapshot counting = Snap(id);
  EXPECT_THAT(matches().Kick(ada.id, id, bob.id), StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_THAT(matches().Start(ada.id, id), StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_THAT(matches().SetReady(bob.id, id, false), StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_THAT(matches().Join(cyd.id, id, {}), StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_EQ(Snap(id), counting);
}

TEST_P(MatchLobbyTest, StartNeedsTwoPlayersAllReady) {
  User ada = CreateUser("ada");
  User bob = CreateUser("bob");
  const std::string id = Lobby(ada, {});
  EXPECT_THAT(matches().Start(ada.id, id), StatusIs(StatusCode::kFailedPrecondition));
  ASSERT_THAT(matches().Join(bob.id, id, {}), IsOk());
  const Snapshot before = Snap(id);
  EXPECT_THAT(matches().Start(ada.id, id), StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_EQ(Snap(id), before);
  ASSERT_THAT(matches().SetReady(bob.id, id, true), IsOk());
  EXPECT_THAT(matches().Start(ada.id, id), IsOk());
  EXPECT_EQ(View(id).match.state, MatchState::kCountdown);
}

TEST_P(MatchLobbyTest, LeavingPassesTheHostAndAnEmptyLobbyIsCancelled) {
  User ada = CreateUser("ada");
  User bob = CreateUser("bob");
  const std::string id = Lobby(ada, {bob});
  ASSERT_THAT(matches().Leave(ada.id, id), IsOk());
  EXPECT_EQ(View(id).match.host_id, bob.id);
  EXPECT_THAT(matches().Leave(ada.id, id), StatusIs(StatusCode::kFailedPrecondition));
  ASSERT_THAT(matches().Leave(bob.id, id), IsOk());
  EXPECT_EQ(View(id).match.state, MatchState::kCancelled);
  EXPECT_THAT(matches().Join(ada.id, id, {}), StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_THAT(EventTypes(id), ElementsAre("joined", "joined", "ready", "left", "host", "left", "cancelled"));
}

TEST_P(MatchLobbyTest, LeavingARunningMatchKeepsThePlayerInTheResults) {
  User ada = CreateUser("ada");
  User bob = CreateUser("bob");
  const std::string id = Running(ada, {bob});
  ASSERT_THAT(matches().Leave(bob.id, id), IsOk());
  EXPECT_THAT(matches().CurrentMatch(bob.id), IsOkAndHolds(std::optional<std::string>()));
  EXPECT_THAT(matches().Submit(bob.id, id, "python3", kEchoPython), StatusIs(StatusCode::kFailedPrecondition));
  Advance(std::chrono::seconds(300));
  ASSERT_THAT(matches().Tick(Now()), IsOkAndHolds(1));
  Result<MatchResult> r = matches().Results(id, ada.id);
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->players.size(), 2u);
  EXPECT_THAT(matches().Leave(ada.id, id), StatusIs(StatusCode::kFailedPrecondition));
  Result<std::vector<MatchView>> history = matches().History(bob.id);
  ASSERT_THAT(history, IsOk());
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ(history->at(0).match.id, id);
}

TEST_P(MatchLobbyTest, ListOpenShowsPublicLobbies) {
  User ada = CreateUser("ada");
  User bob = CreateUser("bob");
  const std::string a = Lobby(ada, {});
  Advance(std::chrono::seconds(1));
  ASSERT_THAT(matches().Create(bob.id, {.mode = MatchMode::kShortest}), IsOk());
  Result<std::vector<MatchView>> all = matches().ListOpen(std::nullopt);
  ASSERT_THAT(all, IsOk());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ(all->at(1).match.id, a);
  Result<std::vector<MatchView>> fastest = matches().ListOpen(MatchMode::kFastest);
  ASSERT_THAT(fastest, IsOk());
  ASSERT_EQ(fastest->size(), 1u);
  EXPECT_EQ(fastest->at(0).puzzle_title, "Echo Reverse");
  EXPECT_THAT(matches().ListOpen(std::nullopt, 0), StatusIs(StatusCode::kInvalidArgument));
}

TEST_P(MatchLobbyTest, TheQueueMatchesCloseRatingsAndWidensItsBandWithWaiting) {
  User ada = CreateUser("ada");
  User bob = CreateUser("bob");
  User cyd = CreateUser("cyd");
  ASSERT_THAT(matches().SetRating(cyd.id, MatchMode::kFastest, 2400), IsOk());
  ASSERT_THAT(matches().SetRating(bob.id, MatchMode::kFastest, 1560), IsOk());
  ASSERT_THAT(matches().Enqueue(ada.id, MatchMode::kFastest), IsOk());  // default 1500
  ASSERT_THAT(matches().Enqueue(cyd.id, MatchMode::kFastest), IsOk());
  Result<QueueStatus> q = matches().Queue(ada.id);
  ASSERT_THAT(q, IsOk());
  EXPECT_TRUE(q->queued);
  EXPECT_EQ(q->rating, 1500);
  // ada and cyd are 900 apart: the band (100, +50 per 10 s waited) reaches 900 after 160 s.
  Advance(std::chrono::seconds(150));
  EXPECT_THAT(matches().Tick(Now()), IsOkAndHolds(0));
  ASSERT_THAT(matches().Enqueue(bob.id, MatchMode::kFastest), IsOk());
  // ada (waited 150 s) and bob (new: band 100) are 60 apart: a match once ada waited 30 s.
  Result<int> formed = matches().Tick(Now());
  ASSERT_THAT(formed, IsOkAndHolds(1));
  Result<QueueStatus> ada_q = matches().Queue(ada.id);
  Result<QueueStatus> bob_q = matches().Queue(bob.id);
  ASSERT_THAT(ada_q, IsOk());
  ASSERT_THAT(bob_q, IsOk());
  EXPECT_FALSE(ada_q->queued);
  ASSERT_TRUE(ada_q->match_id.has_value());
  EXPECT_EQ(ada_q->match_id, bob_q->match_id);
  MatchView m = View(*ada_q->match_id, ada.id);
  EXPECT_EQ(m.match.state, MatchState::kCountdown);
  EXPECT_EQ(m.players.size(), 2u);
  // cyd is still queued; in a match, queueing is refused.
  Result<QueueStatus> cyd_q = matches().Queue(cyd.id);
  ASSERT_THAT(cyd_q, IsOk());
  EXPECT_TRUE(cyd_q->queued);
  EXPECT_THAT(matches().Enqueue(ada.id, MatchMode::kFastest), StatusIs(StatusCode::kAlreadyExists));
  EXPECT_THAT(matches().Dequeue(ada.id), StatusIs(StatusCode::kFailedPrecondition));
  ASSERT_THAT(matches().Dequeue(cyd.id), IsOk());
  EXPECT_THAT(matches().Queue(cyd.id), IsOkAndHolds(::testing::Field(&QueueStatus::queued, false)));
}

TEST_P(MatchLobbyTest, FarApartRatingsMeetOnceTheBandHasWidened) {
  User ada = CreateUser("ada");
  User cyd = CreateUser("cyd");
  ASSERT_THAT(matches().SetRating(cyd.id, MatchMode::kShortest, 2400), IsOk());
  ASSERT_THAT(matches().Enqueue(ada.id, MatchMode::kShortest), IsOk());
  ASSERT_THAT(matches().Enqueue(cyd.id, MatchMode::kShortest), IsOk());
  Advance(std::chrono::seconds(159));
  EXPECT_THAT(matches().Tick(Now()), IsOkAndHolds(0));
  Advance(std::chrono::seconds(1));
  EXPECT_THAT(matches().Tick(Now()), IsOkAndHolds(1));
  Result<std::optional<std::string>> m = matches().CurrentMatch(cyd.id);
  ASSERT_THAT(m, IsOk());
  EXPECT_TRUE(m->has_value());
}

TEST_P(MatchLobbyTest, LeaderboardListsRatingsWithWins) {
  User ada = CreateUser("ada");
  User bob = CreateUser("bob");
  ASSERT_THAT(matches().SetRating(ada.id, MatchMode::kFastest, 1510), IsOk());
  ASSERT_THAT(matches().SetRating(bob.id, MatchMode::kFastest, 1490), IsOk());
  const std::string id = Running(ada, {bob});
  ASSERT_THAT(matches().Submit(bob.id, id, "python3", kEchoWrong), IsOk());
  Advance(std::chrono::seconds(300));
  ASSERT_THAT(matches().Tick(Now()), IsOkAndHolds(1));
  Result<std::vector<MatchLeaderboardEntry>> board = matches().Leaderboard(MatchMode::kFastest);
  ASSERT_THAT(board, IsOk());
  ASSERT_EQ(board->size(), 2u);
  EXPECT_EQ(board->at(0), (MatchLeaderboardEntry{.user_id = ada.id, .username = "ada", .rating = 1510, .played = 1, .wins = 0}));
  EXPECT_EQ(board->at(1), (MatchLeaderboardEntry{.user_id = bob.id, .username = "bob", .rating = 1490, .played = 1, .wins = 1}));
  EXPECT_THAT(matches().Rating(ada.id, MatchMode::kShortest), IsOkAndHolds(1500.0));
}

INSTANTIATE_TEST_SUITE_P(Backends, MatchLobbyTest, ::testing::ValuesIn(AllBackends()), BackendParamName);

}  // namespace
}  // namespace clash::testing
