// The campaign part of the storage contract (LevelStore's personalised levels, CampaignStore,
// TaskStore): every backend must pass these tests (SQLite file and :memory:, PostgreSQL). The
// concurrency tests use two Storage objects (two pools) on one database where the backend persists.
#include <atomic>

#include "storage/economy_store_fixture.h"

namespace clash::store_test {
namespace {

using ::clash::testing::IsOk;
using ::clash::testing::IsOkAndHolds;
using ::clash::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;
using ::testing::Optional;
using ::testing::SizeIs;

class CampaignStoreTest : public EconomyStoreTest {
 protected:
  void SetUp() override {
    EconomyStoreTest::SetUp();
    level1_ = AddLevel("python-001", 1, std::nullopt);
    level2_ = AddLevel("python-002", 2, std::nullopt);
  }

  std::int64_t AddLevel(const std::string& slug, int order, std::optional<std::int64_t> owner) {
    Level l;
    l.slug = slug;
    l.order = order;
    l.title = slug;
    l.description = "D";
    l.test_code = "assert f() == 1\n";
    l.xp_reward = 10 * order;
    l.created_for_user = owner;
    l.secrets.cases_json = "{}";
    Result<std::int64_t> id = Write([&](StorageTransaction& tx) { return tx.levels().Upsert(l); });
    EXPECT_THAT(id, IsOk());
    return id.ok() ? *id : 0;
  }
  Result<ProgressRecord> Start(std::int64_t user, std::int64_t level, int at) {
    return Write([&](StorageTransaction& tx) { return tx.campaign().StartAndLock(user, level, At(at)); });
  }
  Result<bool> Complete(std::int64_t user, std::int64_t level, int stars, int at) {
    return Write([&](StorageTransaction& tx) { return tx.campaign().Complete(user, level, stars, At(at)); });
  }
  Certificate MakeCertificate(const std::string& id, std::int64_t user) {
    return Certificate{.id = id, .user_id = user, .username = "alice", .issued_at = At(5), .completion_count = 60,
                       .is_valid = true, .key_id = "0123456789abcdef", .signature = "sig"};
  }
  Result<LeaderboardVersion> Version() {
    return Read([&](StorageTransaction& tx) { return tx.campaign().LeaderboardVersionNow(); });
  }
  Result<std::vector<LeaderboardRow>> Board(int limit) {
    return Read([&](StorageTransaction& tx) { return tx.campaign().Leaderboard(limit); });
  }
  void Credit(std::int64_t user, std::int64_t amount, const std::string& key) {
    ASSERT_THAT(Write([&](StorageTransaction& tx) -> Result<bool> {
                  LedgerEntry e = Entry(user, amount, key);
                  CLASH_ASSIGN_OR_RETURN(auto id, tx.ledger().InsertEntry(e));
                  CLASH_ASSIGN_OR_RETURN(auto balance, tx.ledger().AddToBalance(user, amount));
                  return id.has_value() && balance.has_value();
                }),
                IsOkAndHolds(true));
  }

  std::int64_t level1_ = 0;
  std::int64_t level2_ = 0;
};

TEST_P(CampaignStoreTest, PersonalisedLevelsAreListedForTheirOwnerOnly) {
  const std::int64_t mine = AddLevel("alice-extra", 1, alice_);
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.levels().ListGlobal(); }),
              IsOkAndHolds(ElementsAre(Field(&Level::slug, "python-001"), Field(&Level::slug, "python-002"))));
  Result<std::vector<Level>> alices = Read([&](StorageTransaction& tx) { return tx.levels().ListFor(alice_); });
  ASSERT_THAT(alices, IsOk());
  ASSERT_THAT(*alices, SizeIs(1));
  EXPECT_EQ(alices->at(0).id, mine);
  EXPECT_EQ(alices->at(0).created_for_user, alice_);
  EXPECT_TRUE(alices->at(0).secrets.cases_json.empty());
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.levels().ListFor(bob_); }), IsOkAndHolds(IsEmpty()));
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.levels().PersonalOwners(); }),
              IsOkAndHolds(ElementsAre(alice_)));
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.levels().List(false); }), IsOkAndHolds(SizeIs(3)));
  Level orphan;
  orphan.slug = "orphan";
  orphan.order = 1;
  orphan.title = "T";
  orphan.description = "D";
  orphan.created_for_user = 999'999;
  EXPECT_THAT(Write([&](StorageTransaction& tx) { return tx.levels().Upsert(orphan); }),
              StatusIs(StatusCode::kFailedPrecondition));
}

TEST_P(CampaignStoreTest, StartCreatesTheRowOnceAndKeepsTheFirstTime) {
  Result<ProgressRecord> first = Start(alice_, level1_, 1);
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(first->started_at, At(1));
  EXPECT_EQ(first->completed_at, std::nullopt);
  EXPECT_EQ(first->stars, 0);
  EXPECT_EQ(first->hints_purchased, 0);
  EXPECT_THAT(Start(alice_, level1_, 9), IsOkAndHolds(Field(&ProgressRecord::started_at, At(1))));
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.campaign().ListProgress(alice_); }), IsOkAndHolds(SizeIs(1)));
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.campaign().GetProgress(bob_, level1_); }),
              IsOkAndHolds(std::nullopt));
  EXPECT_THAT(Start(alice_, 424242, 1), StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_THAT(Start(999'999, level1_, 1), StatusIs(StatusCode::kFailedPrecondition));
}

TEST_P(CampaignStoreTest, HintsMoveOnlyFromTheExpectedCount) {
  ASSERT_THAT(Start(alice_, level1_, 1), IsOk());
  auto set = [&](int from, int to) {
    return Write([&](StorageTransaction& tx) { return tx.campaign().SetHintsPurchased(alice_, level1_, from, to); });
  };
  EXPECT_THAT(set(0, 1), IsOkAndHolds(true));
  EXPECT_THAT(set(0, 1), IsOkAndHolds(false));
  EXPECT_THAT(set(1, 2), IsOkAndHolds(true));
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.campaign().GetProgress(alice_, level1_); }),
              IsOkAndHolds(Optional(Field(&ProgressRecord::hints_purchased, 2))));
}

TEST_P(CampaignStoreTest, TheFirstCompletionIsRecordedOnceAndStarsOnlyRise) {
  ASSERT_THAT(Start(alice_, level1_, 1), IsOk());
  EXPECT_THAT(Complete(alice_, level1_, 2, 10), IsOkAndHolds(true));
  EXPECT_THAT(Complete(alice_, level1_, 1, 20), IsOkAndHolds(false));
  EXPECT_THAT(Complete(alice_, level1_, 3, 30), IsOkAndHolds(false));
  Result<std::optional<ProgressRecord>> p =
      Read([&](StorageTransaction& tx) { return tx.campaign().GetProgress(alice_, level1_); });
  ASSERT_THAT(p, IsOk());
  EXPECT_EQ((*p)->completed_at, At(10));
  EXPECT_EQ((*p)->stars, 3);
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.campaign().CompletionTimes(alice_, At(0)); }),
              IsOkAndHolds(ElementsAre(At(10))));
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.campaign().CompletionTimes(alice_, At(11)); }),
              IsOkAndHolds(IsEmpty()));
  EXPECT_THAT(Complete(bob_, level1_, 3, 1), StatusIs(StatusCode::kNotFound)) << "no row: not started";
}

TEST_P(CampaignStoreTest, ConcurrentCompletionsHaveOneFirst) {
  ASSERT_THAT(Start(alice_, level2_, 1), IsOk());
  std::atomic<int> firsts{0};
  RunConcurrently(8, [&](int i) {
    Result<bool> first = RunIn(StorageFor(i), true, [&](StorageTransaction& tx) {
      return tx.campaign().Complete(alice_, level2_, 3, At(2));
    });
    ASSERT_THAT(first, IsOk());
    if (*first) firsts++;
  });
  EXPECT_EQ(firsts.load(), 1);
}

TEST_P(CampaignStoreTest, OneCertificatePerUserEvenWhenIssuedConcurrently) {
  std::atomic<int> inserted{0};
  RunConcurrently(8, [&](int i) {
    Certificate c = MakeCertificate("00000000-0000-4000-8000-00000000000" + std::to_string(i), alice_);
    Result<bool> r = RunIn(StorageFor(i), true, [&](StorageTransaction& tx) { return tx.campaign().InsertCertificate(c); });
    ASSERT_THAT(r, IsOk());
    if (*r) inserted++;
  });
  EXPECT_EQ(inserted.load(), 1);
  Result<std::optional<Certificate>> mine =
      Read([&](StorageTransaction& tx) { return tx.campaign().CertificateOf(alice_); });
  ASSERT_THAT(mine, IsOk());
  ASSERT_TRUE(mine->has_value());
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.campaign().GetCertificate((*mine)->id); }),
              IsOkAndHolds(Optional(**mine)));
  EXPECT_EQ((*mine)->issued_at, At(5));
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.campaign().GetCertificate("nope"); }),
              IsOkAndHolds(std::nullopt));
  EXPECT_THAT(Write([&](StorageTransaction& tx) {
                return tx.campaign().InsertCertificate(MakeCertificate("x", 999'999));
              }),
              StatusIs(StatusCode::kFailedPrecondition));
}

TEST_P(CampaignStoreTest, TheLeaderboardRanksXpThenCompletionsAndSkipsStaffBlockedAndZero) {
  NewUser staff;
  staff.username = "root";
  staff.email = "root@example.com";
  staff.is_staff = true;
  staff.created_at = kT0;
  Result<User> root = Write([&](StorageTransaction& tx) { return tx.users().Create(staff); });
  ASSERT_THAT(root, IsOk());
  const std::int64_t cat = NewUserId("cat");
  const std::int64_t dan = NewUserId("dan");
  NewUserId("idle");
  Credit(alice_, 50, "a");
  Credit(bob_, 70, "b");
  Credit(cat, 50, "c");
  Credit(dan, 10, "d");
  Credit(root->id, 1000, "r");
  ASSERT_THAT(Start(cat, level1_, 1), IsOk());
  ASSERT_THAT(Complete(cat, level1_, 3, 2), IsOk());
  EXPECT_THAT(Board(100), IsOkAndHolds(ElementsAre(Field(&LeaderboardRow::username, "bob"),
                                                   Field(&LeaderboardRow::username, "cat"),
                                                   Field(&LeaderboardRow::username, "alice"),
                                                   Field(&LeaderboardRow::username, "dan"))));
  Result<std::vector<LeaderboardRow>> top2 = Board(2);
  ASSERT_THAT(top2, IsOk());
  ASSERT_THAT(*top2, SizeIs(2));
  EXPECT_EQ(top2->at(1), (LeaderboardRow{.user_id = cat, .username = "cat", .avatar_url = "", .xp = 50,
                                         .completed_levels = 1}))
      << "the tie at the edge is decided by completed levels";
  ASSERT_THAT(Write([&](StorageTransaction& tx) -> Result<bool> {
                CLASH_ASSIGN_OR_RETURN(User bob, tx.users().GetById(bob_));
                bob.is_active = false;
                CLASH_RETURN_IF_ERROR(tx.users().Update(bob));
                return true;
              }),
              IsOk());
  EXPECT_THAT(Board(1), IsOkAndHolds(ElementsAre(Field(&LeaderboardRow::username, "cat"))));
}

TEST_P(CampaignStoreTest, TheLeaderboardVersionGrowsWithLedgerEntriesAndFirstCompletions) {
  Result<LeaderboardVersion> v0 = Version();
  ASSERT_THAT(v0, IsOk());
  Credit(alice_, 5, "k1");
  Result<LeaderboardVersion> v1 = Version();
  ASSERT_THAT(v1, IsOk());
  EXPECT_GT(v1->last_ledger_id, v0->last_ledger_id);
  EXPECT_EQ(v1->last_completion_id, v0->last_completion_id);
  ASSERT_THAT(Start(alice_, level1_, 1), IsOk());
  ASSERT_THAT(Complete(alice_, level1_, 3, 2), IsOk());
  Result<LeaderboardVersion> v2 = Version();
  ASSERT_THAT(v2, IsOk());
  EXPECT_GT(v2->last_completion_id, v1->last_completion_id);
  ASSERT_THAT(Complete(alice_, level1_, 3, 3), IsOk());
  EXPECT_THAT(Version(), IsOkAndHolds(*v2)) << "a repeated completion changes nothing";
}

TEST_P(CampaignStoreTest, TasksFinishOnceAndOldOnesArePruned) {
  TaskRecord t{.id = "t1", .user_id = alice_, .kind = "submission", .state = TaskState::kQueued, .result_json = "",
               .error = "", .created_at = At(1), .updated_at = At(1)};
  ASSERT_THAT(Do([&](StorageTransaction& tx) { return tx.tasks().Insert(t); }), IsOk());
  EXPECT_THAT(Do([&](StorageTransaction& tx) { return tx.tasks().Insert(t); }), StatusIs(StatusCode::kAlreadyExists));
  auto update = [&](TaskState s, const std::string& result) {
    return Write([&](StorageTransaction& tx) { return tx.tasks().Update("t1", s, result, "", At(2)); });
  };
  EXPECT_THAT(update(TaskState::kRunning, ""), IsOkAndHolds(true));
  EXPECT_THAT(update(TaskState::kSuccess, "{\"ok\":1}"), IsOkAndHolds(true));
  EXPECT_THAT(update(TaskState::kFailed, ""), IsOkAndHolds(false)) << "a finished task stays finished";
  Result<std::optional<TaskRecord>> got = Read([&](StorageTransaction& tx) { return tx.tasks().Get("t1"); });
  ASSERT_THAT(got, IsOk());
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ((*got)->state, TaskState::kSuccess);
  EXPECT_EQ((*got)->result_json, "{\"ok\":1}");
  EXPECT_EQ((*got)->updated_at, At(2));
  EXPECT_THAT(Write([&](StorageTransaction& tx) { return tx.tasks().DeleteOlderThan(bob_, At(100)); }), IsOkAndHolds(0));
  EXPECT_THAT(Write([&](StorageTransaction& tx) { return tx.tasks().DeleteOlderThan(alice_, At(100)); }), IsOkAndHolds(1));
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.tasks().Get("t1"); }), IsOkAndHolds(std::nullopt));
  t.user_id = 999'999;
  EXPECT_THAT(Do([&](StorageTransaction& tx) { return tx.tasks().Insert(t); }), StatusIs(StatusCode::kFailedPrecondition));
}

INSTANTIATE_TEST_SUITE_P(Backends, CampaignStoreTest, ::testing::ValuesIn(AllBackends()), BackendParamName);

}  // namespace
}  // namespace clash::store_test
