// Matches end to end through the library with the real sandbox judge running code on a puzzle of
// data/puzzles/: the timers under a FakeClock (never a sleep), the three modes' rankings, best
// submission counts, results with code reveal, XP exactly once (also under concurrent ticks), the
// achievements hook and the live events on the pub/sub.
#include <condition_variable>
#include <latch>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "clash/pubsub.h"
#include "matches/match_fixture.h"

namespace clash::testing {
namespace {

using ::testing::ElementsAre;

class MatchPlayTest : public MatchTest {};

TEST_P(MatchPlayTest, FastestMatchRunsOnTheServerClockAndRanksByTestsThenTime) {
  User ada = CreateUser("ada");
  User bob = CreateUser("bob");
  User cyd = CreateUser("cyd");
  const std::string id = Lobby(ada, {bob, cyd});
  EXPECT_THAT(matches().Submit(bob.id, id, "python3", kEchoPython), StatusIs(StatusCode::kFailedPrecondition));
  ASSERT_THAT(matches().Start(ada.id, id), IsOk());
  EXPECT_EQ(View(id).match.state, MatchState::kCountdown);
  EXPECT_FALSE(View(id, bob.id).statement.has_value());
  Advance(std::chrono::seconds(9));
  EXPECT_THAT(matches().Tick(Now()), IsOkAndHolds(0));
  EXPECT_EQ(View(id).match.state, MatchState::kCountdown);
  Advance(std::chrono::seconds(1));
  EXPECT_THAT(matches().Tick(Now()), IsOkAndHolds(1));
  MatchView running = View(id, bob.id);
  ASSERT_EQ(running.match.state, MatchState::kRunning);
  ASSERT_TRUE(running.statement.has_value());
  EXPECT_NE(running.statement->find("### Goal"), std::string::npos);
  EXPECT_EQ(running.sample_cases.size(), 3u);
  EXPECT_EQ(running.match.ends_at->unix_micros() - running.match.started_at->unix_micros(), 300'000'000);

  Advance(std::chrono::seconds(20));
  Result<SubmitOutcome> partial = matches().Submit(bob.id, id, "python3", kEchoPartial);
  ASSERT_THAT(partial, IsOk());
  EXPECT_EQ(partial->verdict, Verdict::kWrongAnswer);
  EXPECT_EQ(partial->submission.tests_passed, 2);
  EXPECT_EQ(partial->submission.tests_total, kEchoCases);
  EXPECT_EQ(partial->submission.elapsed_ms, 20'000);
  EXPECT_TRUE(partial->best);
  Advance(std::chrono::seconds(10));
  Result<SubmitOutcome> cyd_full = matches().Submit(cyd.id, id, "javascript", kEchoJavascript);
  ASSERT_THAT(cyd_full, IsOk());
  EXPECT_EQ(cyd_full->verdict, Verdict::kAccepted);
  EXPECT_EQ(cyd_full->submission.tests_passed, kEchoCases);
  Advance(std::chrono::seconds(10));
  ASSERT_THAT(matches().Submit(bob.id, id, "python3", kEchoPython), IsOk());  // full pass, later than cyd
  Advance(std::chrono::seconds(5));
  Result<SubmitOutcome> worse = matches().Submit(bob.id, id, "python3", kEchoWrong);
  ASSERT_THAT(worse, IsOk());
  EXPECT_EQ(worse->submission.tests_passed, 0);
  EXPECT_FALSE(worse->best);  // the best submission still counts

  MatchView mid = View(id, ada.id);
  ASSERT_EQ(mid.progress.size(), 3u);
  EXPECT_EQ(mid.progress[1], (PlayerProgress{.user_id = bob.id, .submissions = 3, .best_passed = 10, .tests_total = 10}));
  EXPECT_FALSE(mid.result.has_value());

  // The timer ends at 300 s; ada never submitted.
  Advance(std::chrono::seconds(300 - 45 - 1));
  EXPECT_THAT(matches().Tick(Now()), IsOkAndHolds(0));
  Advance(std::chrono::seconds(1));
  EXPECT_THAT(matches().Tick(Now()), IsOkAndHolds(1));
  MatchView done = View(id, bob.id);
  ASSERT_EQ(done.match.state, MatchState::kFinished);
  ASSERT_TRUE(done.result.has_value());
  const std::vector<PlayerResult>& r = done.result->players;
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].user_id, cyd.id);
  EXPECT_EQ(r[0].rank, 1);
  EXPECT_EQ(r[0].elapsed_ms, 30'000);
  EXPECT_EQ(r[1].user_id, bob.id);
  EXPECT_EQ(r[1].rank, 2);
  EXPECT_EQ(r[1].elapsed_ms, 40'000);
  EXPECT_EQ(r[1].score, 100);
  EXPECT_EQ(r[2].user_id, ada.id);
  EXPECT_EQ(r[2].rank, 3);
  EXPECT_FALSE(r[2].elapsed_ms.has_value());
  // XP: 10 + (3 - rank) * 5, +20 for the winner's full pass; nothing without a submission.
  EXPECT_EQ(Xp(cyd), 10 + 10 + 20);
  EXPECT_EQ(Xp(bob), 10 + 5);
  EXPECT_EQ(Xp(ada), 0);
  EXPECT_EQ(r[0].xp, 40);
  // Nobody is in a match any more; a finished match refuses submissions and joins.
  EXPECT_THAT(matches().CurrentMatch(bob.id), IsOkAndHolds(std::optional<std::string>()));
  EXPECT_THAT(matches().Submit(bob.id, id, "python3", kEchoPython), StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_THAT(matches().Tick(Now() + std::chrono::hours(1)), IsOkAndHolds(0));
  EXPECT_EQ(Xp(cyd), 40);
  EXPECT_THAT(EventTypes(id), ElementsAre("joined", "joined", "ready", "joined", "ready", "countdown", "started",
                                          "submitted", "progress", "submitted", "progress", "submitted", "progress",
                                          "submitted", "progress", "finished", "results"));
}

TEST_P(MatchPlayTest, SubmittingAfterTheEndIsRefusedBeforeTheTickAndNothingIsStored) {
  User ada = CreateUser("ada");
  User bob = CreateUser("bob");
  const std::string id = Running(ada, {bob});
  Advance(std::chrono::seconds(300));
  EXPECT_THAT(matches().Submit(bob.id, id, "python3", kEchoPython), StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_EQ(View(id).match.state, MatchState::kRunning);
  EXPECT_EQ(View(id).progress[1].submissions, 0);
  ASSERT_THAT(matches().Tick(Now()), IsOkAndHolds(1));
  EXPECT_EQ(View(id).match.state, MatchState::kFinished);
  EXPECT_EQ(Xp(bob), 0);
}

TEST_P(MatchPlayTest, SpectatorsAndStrangersCannotSubmitAndBadCodeIsRefused) {
  User ada = CreateUser("ada");
  User bob = CreateUser("bob");
  User eve = CreateUser("eve");
  User zed = CreateUser("zed");
  const std::string id = Lobby(ada, {bob});
  ASSERT_THAT(matches().Join(eve.id, id, {.spectator = true}), IsOk());
  ASSERT_THAT(matches().Start(ada.id, id), IsOk());
  Advance(std::chrono::seconds(10));
  ASSERT_THAT(matches().Tick(Now()), IsOkAndHolds(1));
  EXPECT_THAT(matches().Submit(eve.id, id, "python3", kEchoPython), StatusIs(StatusCode::kPermissionDenied));
  EXPECT_THAT(matches().Submit(zed.id, id, "python3", kEchoPython), StatusIs(StatusCode::kPermissionDenied));
  EXPECT_THAT(matches().Submit(bob.id, id, "cobol", "x"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(matches().Submit(bob.id, id, "python3", ""), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(matches().Submit(bob.id, id, "python3", std::string(65 * 1024, '#')),
              StatusIs(StatusCode::kPayloadTooLarge));
  EXPECT_THAT(matches().Submit(bob.id, "unknown", "python3", kEchoPython), StatusIs(StatusCode::kNotFound));
  for (const PlayerProgress& p : View(id).progress) EXPECT_EQ(p.submissions, 0);
}

TEST_P(MatchPlayTest, ShortestRanksFullPassesByLengthAndRevealsCodeOnlyWhereAllowed) {
  User ada = CreateUser("ada");
  User bob = CreateUser("bob");
  User eve = CreateUser("eve");
  const std::string id = Lobby(ada, {bob}, MatchMode::kShortest);
  ASSERT_THAT(matches().Join(eve.id, id, {.spectator = true}), IsOk());
  ASSERT_THAT(matches().Start(ada.id, id), IsOk());
  Advance(std::chrono::seconds(10));
  ASSERT_THAT(matches().Tick(Now()), IsOkAndHolds(1));
  ASSERT_THAT(matches().SetRevealCode(ada.id, id, true), IsOk());
  Advance(std::chrono::seconds(5));
  ASSERT_THAT(matches().Submit(ada.id, id, "python3", kEchoPython), IsOk());  // first, but longer
  Advance(std::chrono::seconds(5));
  Result<SubmitOutcome> s = matches().Submit(bob.id, id, "python3", kEchoPythonShort);
  ASSERT_THAT(s, IsOk());
  ASSERT_EQ(s->verdict, Verdict::kAccepted);
  EXPECT_EQ(s->submission.chars, static_cast<int>(std::string(kEchoPythonShort).size()));
  // shortest never ends early: everyone may still shorten their code.
  EXPECT_EQ(View(id).match.state, MatchState::kRunning);
  Advance(std::chrono::seconds(300));
  ASSERT_THAT(matches().Tick(Now()), IsOkAndHolds(1));
  Result<MatchResult> for_bob = matches().Results(id, bob.id);
  ASSERT_THAT(for_bob, IsOk());
  ASSERT_EQ(for_bob->players.size(), 2u);
  EXPECT_EQ(for_bob->players[0].user_id, bob.id);
  EXPECT_EQ(for_bob->players[0].code, std::string(kEchoPythonShort));  // own code
  EXPECT_EQ(for_bob->players[1].user_id, ada.id);
  EXPECT_EQ(for_bob->players[1].rank, 2);
  EXPECT_EQ(for_bob->players[1].code, std::string(kEchoPython));  // ada allowed it
  Result<MatchResult> for_ada = matches().Results(id, ada.id);
  ASSERT_THAT(for_ada, IsOk());
  EXPECT_FALSE(for_ada->players[0].code.has_value());  // bob did not allow it
  Result<MatchResult> for_eve = matches().Results(id, eve.id);
  ASSERT_THAT(for_eve, IsOk());
  EXPECT_FALSE(for_eve->players[1].code.has_value());  // revealed to players, not spectators
  Result<MatchResult> anonymous = matches().Results(id, 0);
  ASSERT_THAT(anonymous, IsOk());
  for (const PlayerResult& p : anonymous->players) EXPECT_FALSE(p.code.has_value());
  // No event ever carries code.
  Result<std::vector<MatchEventRecord>> events = matches().EventsSince(id, 0);
  ASSERT_THAT(events, IsOk());
  for (const MatchEventRecord& e : *events) EXPECT_EQ(e.data_json.find("sys.stdin"), std::string::npos) << e.type;
}

TEST_P(MatchPlayTest, ReverseHidesTheStatementAndFastestEndsWhenEveryonePassed) {
  User ada = CreateUser("ada");
  User bob = CreateUser("bob");
  const std::string id = Running(ada, {bob}, MatchMode::kReverse);
  MatchView v = View(id, ada.id);
  EXPECT_FALSE(v.statement.has_value());
  EXPECT_EQ(v.sample_cases.size(), 3u);
  Result<std::vector<MatchEventRecord>> started = matches().EventsSince(id, 0);
  ASSERT_THAT(started, IsOk());
  for (const MatchEventRecord& e : *started) {
    if (e.type == "started") {
      EXPECT_TRUE(nlohmann::json::parse(e.data_json)["statement"].is_null());
    }
  }
  Advance(std::chrono::seconds(30));
  ASSERT_THAT(matches().Submit(ada.id, id, "python3", kEchoPython), IsOk());
  EXPECT_EQ(View(id).match.state, MatchState::kRunning);
  Advance(std::chrono::seconds(30));
  ASSERT_THAT(matches().Submit(bob.id, id, "python3", kEchoPythonShort), IsOk());
  MatchView done = View(id, ada.id);
  EXPECT_EQ(done.match.state, MatchState::kFinished);
  ASSERT_TRUE(done.result.has_value());
  EXPECT_EQ(done.result->players[0].user_id, ada.id);
  EXPECT_EQ(Xp(ada), 10 + 5 + 20);
}

TEST_P(MatchPlayTest, XpIsAwardedExactlyOnceUnderConcurrentTicks) {
  User ada = CreateUser("ada");
  User bob = CreateUser("bob");
  const std::string id = Running(ada, {bob});
  ASSERT_THAT(matches().Submit(bob.id, id, "python3", kEchoPython), IsOk());
  Advance(std::chrono::seconds(300));
  const Timestamp at = Now();
  std::atomic<int> finished{0};
  std::atomic<int> failed{0};
  std::latch go(6);
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&] {
      go.arrive_and_wait();
      Result<int> n = matches().Tick(at);
      if (!n.ok()) {
        ++failed;
      } else {
        finished += *n;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(finished.load(), 1);
  EXPECT_EQ(Xp(bob), 10 + 5 + 20);
  Result<LedgerPage> page = engine().ledger().History(bob.id, 50);
  ASSERT_THAT(page, IsOk());
  ASSERT_EQ(page->entries.size(), 1u);
  EXPECT_EQ(page->entries[0].source, XpSource::kMatch);
  EXPECT_EQ(page->entries[0].reference, id);
}

TEST_P(MatchPlayTest, TheAchievementsHookHearsEveryPlayersResult) {
  std::mutex mu;
  std::vector<MatchPlayed> heard;
  engine().events().Subscribe([&](StorageTransaction&, const Event& e, Timestamp) -> Status {
    if (const MatchPlayed* p = std::get_if<MatchPlayed>(&e)) {
      std::lock_guard lock(mu);
      heard.push_back(*p);
    }
    return Status::Ok();
  });
  User ada = CreateUser("ada");
  User bob = CreateUser("bob");
  const std::string id = Running(ada, {bob});
  ASSERT_THAT(matches().Submit(bob.id, id, "python3", kEchoPython), IsOk());
  Advance(std::chrono::seconds(300));
  ASSERT_THAT(matches().Tick(Now()), IsOkAndHolds(1));
  std::lock_guard lock(mu);
  ASSERT_EQ(heard.size(), 2u);
  EXPECT_EQ(heard[0].user_id, bob.id);
  EXPECT_EQ(heard[0].rank, 1);
  EXPECT_TRUE(heard[0].full_pass);
  EXPECT_EQ(heard[0].players, 2);
  EXPECT_EQ(heard[1].user_id, ada.id);
  EXPECT_EQ(heard[1].rank, 2);
  EXPECT_EQ(heard[1].mode, "fastest");
}

TEST_P(MatchPlayTest, LiveEventsArePublishedOnTheMatchTopicWithTheirSequence) {
  User ada = CreateUser("ada");
  User bob = CreateUser("bob");
  Result<MatchView> m = matches().Create(ada.id, {.puzzle_slug = "echo-reverse"});
  ASSERT_THAT(m, IsOk());
  std::mutex mu;
  std::condition_variable cv;
  std::vector<nlohmann::json> got;
  auto sub = engine().pubsub().Subscribe(Matches::Topic(m->match.id), [&](const PubSubMessage& msg) {
    std::lock_guard lock(mu);
    got.push_back(nlohmann::json::parse(msg.payload));
    cv.notify_all();
  });
  ASSERT_THAT(sub, IsOk());
  ASSERT_THAT(matches().Join(bob.id, m->match.id, {}), IsOk());
  ASSERT_THAT(matches().SetReady(bob.id, m->match.id, true), IsOk());
  std::unique_lock lock(mu);
  ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(30), [&] { return got.size() >= 2; }));
  EXPECT_EQ(got[0]["type"], "joined");
  EXPECT_EQ(got[0]["seq"], 2);
  EXPECT_EQ(got[0]["data"]["username"], "bob");
  EXPECT_EQ(got[1]["type"], "ready");
  EXPECT_EQ(got[1]["seq"], 3);
  EXPECT_EQ(got[1]["match_id"], m->match.id);
}

INSTANTIATE_TEST_SUITE_P(Backends, MatchPlayTest, ::testing::ValuesIn(AllBackends()), BackendParamName);

}  // namespace
}  // namespace clash::testing
