// The campaign on every backend: the map and its locks, first opens, submissions (verdicts, stars,
// XP once, the legacy switch), personalised levels, queued judging and per-day counts.
#include <latch>
#include <thread>

#include "campaign/campaign_fixture.h"

namespace clash::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

class CampaignMapTest : public CampaignTest {};

TEST_P(CampaignMapTest, ANewPlayerHasTheFirstLevelUnlockedAndTheRestLocked) {
  User ada = CreateUser("ada");
  EXPECT_THAT(States(ada), ElementsAre("lvl-1=UNLOCKED", "lvl-2=LOCKED", "lvl-3=LOCKED"));
  EXPECT_THAT(campaign().Open(ada, "lvl-2"), StatusIs(StatusCode::kPermissionDenied));
  EXPECT_THAT(SubmitCode(ada, "lvl-2", "# accept"), StatusIs(StatusCode::kPermissionDenied));
  EXPECT_THAT(campaign().BuyHint(ada, "lvl-3"), StatusIs(StatusCode::kPermissionDenied));
  EXPECT_THAT(campaign().Open(ada, "nope"), StatusIs(StatusCode::kNotFound));
}

TEST_P(CampaignMapTest, CompletingALevelUnlocksTheNextOne) {
  User ada = CreateUser("ada");
  SubmissionOutcome o = Solve(ada, "lvl-1");
  EXPECT_EQ(o.status, SubmissionStatus::kCompleted);
  EXPECT_EQ(o.next_level_slug, "lvl-2");
  EXPECT_THAT(States(ada), ElementsAre("lvl-1=COMPLETED", "lvl-2=UNLOCKED", "lvl-3=LOCKED"));
  EXPECT_THAT(campaign().Open(ada, "lvl-2"), IsOk());
  EXPECT_THAT(SubmitCode(ada, "lvl-3", "# accept"), StatusIs(StatusCode::kPermissionDenied));
}

TEST_P(CampaignMapTest, TheFirstOpenRecordsStartedAtOnce) {
  User ada = CreateUser("ada");
  Result<PlayerLevel> first = campaign().Open(ada, "lvl-1");
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(first->state, LevelState::kUnlocked);
  EXPECT_EQ(first->started_at, clock_.Now());
  const Timestamp opened = clock_.Now();
  clock_.Advance(std::chrono::minutes(5));
  Result<PlayerLevel> again = campaign().Open(ada, "lvl-1");
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(again->started_at, opened);
  EXPECT_TRUE(again->level.secrets.cases_json.empty()) << "Open() never returns secrets";
  EXPECT_EQ(again->level.test_code, "assert add(1, 2) == 3\n\nassert add(2, 2) == 4\n");
}

TEST_P(CampaignMapTest, StaffMayOpenLockedLevels) {
  User root = CreateUser("root", /*is_staff=*/true);
  EXPECT_THAT(campaign().Open(root, "lvl-3"), IsOk());
}

TEST_P(CampaignMapTest, PersonalisedLevelsAreVisibleToTheirOwnerOnly) {
  User ada = CreateUser("ada");
  User bob = CreateUser("bob");
  Level mine = MakeLevel("ada-extra", 2);
  mine.created_for_user = ada.id;
  ASSERT_THAT(engine().catalogue().Upsert({mine}), IsOk());
  // Ordered after lvl-1: locked until lvl-1 is done, and it never gates lvl-2.
  EXPECT_THAT(States(ada), ElementsAre("lvl-1=UNLOCKED", "ada-extra=LOCKED", "lvl-2=LOCKED", "lvl-3=LOCKED"));
  EXPECT_THAT(States(bob), ElementsAre("lvl-1=UNLOCKED", "lvl-2=LOCKED", "lvl-3=LOCKED"));
  EXPECT_THAT(campaign().Open(bob, "ada-extra"), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(SubmitCode(bob, "ada-extra", "# accept"), StatusIs(StatusCode::kNotFound));
  Solve(ada, "lvl-1");
  EXPECT_THAT(States(ada), ElementsAre("lvl-1=COMPLETED", "ada-extra=UNLOCKED", "lvl-2=UNLOCKED", "lvl-3=LOCKED"));
  EXPECT_EQ(Solve(ada, "ada-extra").status, SubmissionStatus::kCompleted);
}

TEST_P(CampaignMapTest, TheMapViewAgreesWithTheMapAndThePreviewIsANewPlayers) {
  User ada = CreateUser("ada");
  Level mine = MakeLevel("ada-extra", 2);
  mine.created_for_user = ada.id;
  ASSERT_THAT(engine().catalogue().Upsert({mine}), IsOk());
  Solve(ada, "lvl-1");
  Result<std::vector<PlayerLevel>> map = campaign().Map(ada);
  Result<PlayerMapView> view = campaign().MapView(ada);
  ASSERT_THAT(map, IsOk());
  ASSERT_THAT(view, IsOk());
  ASSERT_EQ(view->entries.size(), map->size());
  for (std::size_t i = 0; i < map->size(); ++i) {
    const PlayerMapView::Entry& e = view->entries[i];
    EXPECT_EQ(view->level(e).slug, (*map)[i].level.slug);
    EXPECT_EQ(e.state, (*map)[i].state);
    EXPECT_EQ(e.stars, (*map)[i].stars);
    EXPECT_EQ(e.personal, (*map)[i].level.created_for_user.has_value());
  }
  EXPECT_EQ(view->entries[1].personal, true);
  EXPECT_EQ(view->entries[0].stars, 3);
  // The preview: global levels only, the first unlocked, nothing of anyone's progress.
  Result<PlayerMapView> preview = campaign().PreviewView();
  ASSERT_THAT(preview, IsOk());
  std::vector<std::string> states;
  for (const PlayerMapView::Entry& e : preview->entries) {
    states.push_back(preview->level(e).slug + "=" + std::string(LevelStateName(e.state)));
  }
  EXPECT_THAT(states, ElementsAre("lvl-1=UNLOCKED", "lvl-2=LOCKED", "lvl-3=LOCKED"));
}

INSTANTIATE_TEST_SUITE_P(Backends, CampaignMapTest, ::testing::ValuesIn(AllBackends()), BackendParamName);

class SubmissionTest : public CampaignTest {};

TEST_P(SubmissionTest, AnAcceptedSubmissionPaysTheLevelsXpOnce) {
  User ada = CreateUser("ada");
  SubmissionOutcome first = Solve(ada, "lvl-1");
  EXPECT_EQ(first.status, SubmissionStatus::kCompleted);
  EXPECT_EQ(first.xp_earned, 10);
  EXPECT_EQ(first.stars, 3);
  EXPECT_EQ(first.total_xp, BalanceOf(ada.id));
  ASSERT_TRUE(first.verdict.has_value());
  EXPECT_EQ(first.verdict->verdict, Verdict::kAccepted);
  EXPECT_EQ(first.verdict->tests_total, 10);
  EXPECT_EQ(first.verdict->stdout_excerpt, "") << "accepted runs show no output";
  SubmissionOutcome second = Solve(ada, "lvl-1");
  EXPECT_EQ(second.status, SubmissionStatus::kAlreadyCompleted);
  EXPECT_EQ(second.xp_earned, 0);
  std::vector<LedgerEntry> entries = EntriesOf(ada.id);
  const auto completions = std::count_if(entries.begin(), entries.end(), [](const LedgerEntry& e) {
    return e.source == XpSource::kChallengeCompletion;
  });
  EXPECT_EQ(completions, 1);
  EXPECT_EQ(SumOfEntries(ada.id), BalanceOf(ada.id));
}

TEST_P(SubmissionTest, ConcurrentAcceptedSubmissionsCompleteOnceAndPayOnce) {
  User ada = CreateUser("ada");
  constexpr int kThreads = 6;
  std::latch start(kThreads);
  std::atomic<int> completed{0}, already{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      start.arrive_and_wait();
      Result<SubmitReply> r = SubmitCode(ada, "lvl-1", "# accept");
      ASSERT_THAT(r, IsOk());
      (r->outcome->status == SubmissionStatus::kCompleted ? completed : already)++;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(completed.load(), 1);
  EXPECT_EQ(already.load(), kThreads - 1);
  std::vector<LedgerEntry> entries = EntriesOf(ada.id);
  ASSERT_EQ(std::count_if(entries.begin(), entries.end(),
                          [](const LedgerEntry& e) { return e.source == XpSource::kChallengeCompletion; }),
            1)
      << "XP once";
  for (const LedgerEntry& e : entries) {
    if (e.source == XpSource::kChallengeCompletion) {
      EXPECT_EQ(e.amount, 10);
    }
  }
  EXPECT_EQ(SumOfEntries(ada.id), BalanceOf(ada.id));
}

TEST_P(SubmissionTest, AWrongSubmissionEarnsNothingAndShowsOnlyPublicDetails) {
  User ada = CreateUser("ada");
  Result<SubmitReply> r = SubmitCode(ada, "lvl-1", "# wrong-public");
  ASSERT_THAT(r, IsOk());
  const SubmissionOutcome& o = *r->outcome;
  EXPECT_EQ(o.status, SubmissionStatus::kFailed);
  EXPECT_EQ(o.xp_earned, 0);
  EXPECT_EQ(o.stars, 0);
  EXPECT_EQ(o.next_level_slug, std::nullopt);
  ASSERT_TRUE(o.verdict && o.verdict->first_failure);
  const FailedCase& f = *o.verdict->first_failure;
  EXPECT_TRUE(f.is_public);
  EXPECT_EQ(f.args, "[1,2]");
  EXPECT_EQ(f.expected, "3");
  EXPECT_EQ(f.actual, "999");
  EXPECT_EQ(f.input, "add(1, 2)");
  EXPECT_EQ(o.verdict->stdout_excerpt, "public run output") << "output comes from the run of the public cases";
  EXPECT_EQ(judge_->submitted(), 2);
  EXPECT_THAT(States(ada), ElementsAre("lvl-1=UNLOCKED", "lvl-2=LOCKED", "lvl-3=LOCKED"));
  EXPECT_EQ(BalanceOf(ada.id), 0);
}

TEST_P(SubmissionTest, NothingTheCodeWroteInARunWithHiddenCasesReachesThePlayer) {
  User ada = CreateUser("ada");
  Result<SubmitReply> r = SubmitCode(ada, "lvl-1", "# leak");
  ASSERT_THAT(r, IsOk());
  const std::string shown = EncodeSubmissionOutcome(*r->outcome);
  EXPECT_THAT(shown, Not(HasSubstr("LEAK")));
  EXPECT_THAT(shown, Not(HasSubstr("40")));  // the hidden case's argument
  EXPECT_THAT(shown, Not(HasSubstr("42")));  // and its expected value
  ASSERT_TRUE(r->outcome->verdict && r->outcome->verdict->first_failure);
  EXPECT_FALSE(r->outcome->verdict->first_failure->is_public);
  EXPECT_EQ(r->outcome->verdict->message, "wrong answer on case 3 (hidden)");
  EXPECT_EQ(r->outcome->verdict->stdout_excerpt, "public run output");
}

TEST_P(SubmissionTest, StarsFollowHintsAndSpeedAndTheBestIsKept) {
  User ada = CreateUser("ada");
  Grant(ada.id, 1000, "grant");
  ASSERT_THAT(campaign().Open(ada, "lvl-1"), IsOk());
  ASSERT_THAT(campaign().BuyHint(ada, "lvl-1"), IsOk());
  clock_.Advance(std::chrono::seconds(241));  // more than 2 x 120 s after the first open
  SubmissionOutcome slow = Solve(ada, "lvl-1");
  EXPECT_EQ(slow.stars, 1) << "3 - 1 hint - 1 for speed";
  ASSERT_THAT(campaign().BuyHint(ada, "lvl-1"), IsOk());
  ASSERT_THAT(campaign().BuyHint(ada, "lvl-1"), IsOk());
  EXPECT_EQ(Solve(ada, "lvl-1").stars, 1) << "never below one";
  // A fresh level solved fast without hints: three stars.
  ASSERT_THAT(campaign().Open(ada, "lvl-2"), IsOk());
  clock_.Advance(std::chrono::seconds(240));  // exactly 2 x target: not slower than it
  SubmissionOutcome fast = Solve(ada, "lvl-2");
  EXPECT_EQ(fast.stars, 3);
  EXPECT_EQ(fast.best_stars, 3);
  Result<std::vector<PlayerLevel>> map = campaign().Map(ada);
  ASSERT_THAT(map, IsOk());
  EXPECT_EQ(map->at(0).stars, 1);
  EXPECT_EQ(map->at(0).hints_purchased, 3);
  EXPECT_EQ(map->at(1).stars, 3);
}

TEST_P(SubmissionTest, ASubmissionWithoutCodeIsRefusedWithTheReason) {
  User ada = CreateUser("ada");
  Result<SubmitReply> r = campaign().Submit(ada, "lvl-1", Submission{.code = std::nullopt, .passed = true});
  ASSERT_THAT(r, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(r.status().message(), HasSubstr("judges submissions"));
  EXPECT_THAT(r.status().message(), HasSubstr("--trust-client-results"));
  EXPECT_EQ(r.status().StringDetail("status"), "failed");
  EXPECT_THAT(campaign().Submit(ada, "lvl-1", Submission{.code = "   \n", .passed = {}}),
              StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(campaign().Submit(ada, "lvl-1", Submission{.code = std::string(70'000, 'x'), .passed = {}}),
              StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(judge_->submitted(), 0);
  EXPECT_THAT(States(ada), ElementsAre("lvl-1=UNLOCKED", "lvl-2=LOCKED", "lvl-3=LOCKED"));
}

TEST_P(SubmissionTest, DecodeSubmissionReadsTheReferencesBooleans) {
  auto passed = [](std::string body, std::optional<std::string_view> q = std::nullopt) {
    Result<Submission> s = DecodeSubmission(body, q);
    EXPECT_THAT(s, IsOk());
    return s.ok() ? s->passed : std::optional<bool>(false);
  };
  EXPECT_EQ(passed(R"({"passed": true})"), true);
  EXPECT_EQ(passed(R"({"passed": "yes"})"), true);
  EXPECT_EQ(passed(R"({"passed": 1})"), true);
  EXPECT_EQ(passed(R"({"passed": "false"})"), false);
  EXPECT_EQ(passed("{}", "true"), true);
  EXPECT_EQ(passed(R"({"passed": false})", "true"), false) << "the body wins";
  EXPECT_EQ(passed("{}"), std::nullopt);
  EXPECT_THAT(DecodeSubmission(R"({"code": 5})", std::nullopt), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(DecodeSubmission("[1]", std::nullopt), StatusIs(StatusCode::kInvalidArgument));
  Result<Submission> code = DecodeSubmission(R"j({"code": "print(1)"})j", std::nullopt);
  ASSERT_THAT(code, IsOk());
  EXPECT_EQ(code->code, "print(1)");
}

TEST_P(SubmissionTest, OutcomesRoundTripThroughTheirJson) {
  User ada = CreateUser("ada");
  Result<SubmitReply> r = SubmitCode(ada, "lvl-1", "# wrong-public");
  ASSERT_THAT(r, IsOk());
  Result<SubmissionOutcome> back = DecodeSubmissionOutcome(EncodeSubmissionOutcome(*r->outcome));
  ASSERT_THAT(back, IsOk());
  EXPECT_EQ(EncodeSubmissionOutcome(*back), EncodeSubmissionOutcome(*r->outcome));
  EXPECT_THAT(DecodeSubmissionOutcome("{\"status\": \"maybe\"}"), StatusIs(StatusCode::kInvalidArgument));
}

INSTANTIATE_TEST_SUITE_P(Backends, SubmissionTest, ::testing::ValuesIn(AllBackends()), BackendParamName);

class TrustedClientTest : public CampaignTest {
 protected:
  TrustedClientTest() { trust_client_results_ = true; }
};

TEST_P(TrustedClientTest, TheLegacySwitchHonoursPassedTrue) {
  User ada = CreateUser("ada");
  Result<SubmitReply> r = campaign().Submit(ada, "lvl-1", Submission{.code = std::nullopt, .passed = true});
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->outcome->status, SubmissionStatus::kCompleted);
  EXPECT_EQ(r->outcome->xp_earned, 10);
  EXPECT_FALSE(r->outcome->verdict.has_value());
  Result<SubmitReply> failed = campaign().Submit(ada, "lvl-2", Submission{.code = std::nullopt, .passed = false});
  ASSERT_THAT(failed, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(failed.status().message(), "Client-side validation failed.");
  EXPECT_THAT(campaign().Submit(ada, "lvl-3", Submission{.code = std::nullopt, .passed = true}),
              StatusIs(StatusCode::kPermissionDenied))
      << "locks hold even for trusted clients";
  EXPECT_EQ(judge_->submitted(), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, TrustedClientTest, ::testing::ValuesIn(AllBackends()), BackendParamName);

class QueuedJudgingTest : public CampaignTest {};

TEST_P(QueuedJudgingTest, ABusyJudgeQueuesTheSubmissionAsATask) {
  User ada = CreateUser("ada");
  User bob = CreateUser("bob");
  judge_->busy = true;
  judge_->hold = true;
  Result<SubmitReply> r = SubmitCode(ada, "lvl-1", "# accept");
  ASSERT_THAT(r, IsOk());
  EXPECT_FALSE(r->outcome.has_value());
  ASSERT_EQ(r->task_id.size(), 32u);
  Result<TaskRecord> queued = engine().tasks().Get(ada.id, r->task_id);
  ASSERT_THAT(queued, IsOk());
  EXPECT_EQ(queued->state, TaskState::kQueued);
  EXPECT_EQ(queued->kind, "submission");
  EXPECT_THAT(engine().tasks().Get(bob.id, r->task_id), StatusIs(StatusCode::kNotFound)) << "owner only";
  EXPECT_EQ(BalanceOf(ada.id), 0) << "nothing is paid before the verdict";
  judge_->Release();
  Result<TaskRecord> done = engine().tasks().Get(ada.id, r->task_id);
  ASSERT_THAT(done, IsOk());
  EXPECT_EQ(done->state, TaskState::kSuccess);
  Result<SubmissionOutcome> outcome = DecodeSubmissionOutcome(done->result_json);
  ASSERT_THAT(outcome, IsOk());
  EXPECT_EQ(outcome->status, SubmissionStatus::kCompleted);
  EXPECT_EQ(outcome->xp_earned, 10);
  EXPECT_THAT(States(ada), ElementsAre("lvl-1=COMPLETED", "lvl-2=UNLOCKED", "lvl-3=LOCKED"));
}

TEST_P(QueuedJudgingTest, AnIdleJudgeAnswersAtOnce) {
  User ada = CreateUser("ada");
  Result<SubmitReply> r = SubmitCode(ada, "lvl-1", "# accept");
  ASSERT_THAT(r, IsOk());
  EXPECT_TRUE(r->outcome.has_value());
  EXPECT_EQ(r->task_id, "");
}

TEST_P(QueuedJudgingTest, AWrongQueuedSubmissionGetsItsPublicRunToo) {
  User ada = CreateUser("ada");
  judge_->busy = true;
  judge_->hold = true;
  Result<SubmitReply> r = SubmitCode(ada, "lvl-1", "# wrong-public");
  ASSERT_THAT(r, IsOk());
  judge_->Release();
  EXPECT_EQ(judge_->submitted(), 2);
  Result<TaskRecord> done = engine().tasks().Get(ada.id, r->task_id);
  ASSERT_THAT(done, IsOk());
  ASSERT_EQ(done->state, TaskState::kSuccess);
  Result<SubmissionOutcome> outcome = DecodeSubmissionOutcome(done->result_json);
  ASSERT_THAT(outcome, IsOk());
  EXPECT_EQ(outcome->status, SubmissionStatus::kFailed);
  EXPECT_EQ(outcome->verdict->first_failure->input, "add(1, 2)");
}

TEST_P(QueuedJudgingTest, ATaskItsHostNeverFinishedIsReportedLost) {
  User ada = CreateUser("ada");
  judge_->busy = true;
  judge_->hold = true;
  Result<SubmitReply> r = SubmitCode(ada, "lvl-1", "# accept");
  ASSERT_THAT(r, IsOk());
  clock_.Advance(std::chrono::minutes(11));
  Result<TaskRecord> lost = engine().tasks().Get(ada.id, r->task_id);
  ASSERT_THAT(lost, IsOk());
  EXPECT_EQ(lost->state, TaskState::kFailed);
  EXPECT_THAT(lost->error, HasSubstr("lost"));
}

INSTANTIATE_TEST_SUITE_P(Backends, QueuedJudgingTest, ::testing::ValuesIn(AllBackends()), BackendParamName);

class CompletionCountTest : public CampaignTest {};

TEST_P(CompletionCountTest, FirstCompletionsAreCountedPerDayNewestFirst) {
  User ada = CreateUser("ada");
  Solve(ada, "lvl-1");
  Solve(ada, "lvl-1");  // not a first completion
  clock_.Advance(std::chrono::hours(24));
  Solve(ada, "lvl-2");
  Solve(ada, "lvl-3");
  Result<std::vector<DayCount>> days = campaign().CompletionsPerDay(ada.id, 30);
  ASSERT_THAT(days, IsOk());
  ASSERT_EQ(days->size(), 2u);
  EXPECT_EQ(days->at(0).count, 2);
  EXPECT_EQ(days->at(1).count, 1);
  EXPECT_EQ(days->at(0).date.DaysSinceEpoch(), days->at(1).date.DaysSinceEpoch() + 1);
  EXPECT_THAT(campaign().CompletionsPerDay(ada.id, 0), StatusIs(StatusCode::kInvalidArgument));
  clock_.Advance(std::chrono::hours(24 * 40));
  EXPECT_THAT(campaign().CompletionsPerDay(ada.id, 30), IsOkAndHolds(::testing::IsEmpty()));
}

INSTANTIATE_TEST_SUITE_P(Backends, CompletionCountTest, ::testing::ValuesIn(AllBackends()), BackendParamName);

}  // namespace
}  // namespace clash::testing
