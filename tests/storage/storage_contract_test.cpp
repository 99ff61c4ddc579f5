// The storage contract: every backend must pass these tests. They run against SQLite (file and
// :memory:) and, when CLASH_TEST_POSTGRES_URL is set (the test command always sets it), PostgreSQL.
#include <atomic>
#include <thread>

#include "clash/storage.h"
#include "storage/storage_fixture.h"
#include "support/test_support.h"

namespace clash {
namespace {

using ::clash::testing::IsOk;
using ::clash::testing::IsOkAndHolds;
using ::clash::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;
using ::testing::SizeIs;

Level MakeLevel(const std::string& slug, int order) {
  Level l;
  l.slug = slug;
  l.order = order;
  l.title = "Title " + slug;
  l.description = "Do the thing for " + slug;
  l.initial_code = "def f():\n    pass\n";
  l.test_code = "assert f() == 1\n";
  l.xp_reward = 10 * order;
  l.time_limit_seconds = 10;
  l.target_time_seconds = 120;
  l.stage = 1;
  l.topics = {"functions", "return values"};
  l.secrets.cases_json = R"({"mode":"function","entry":"f","cases":[{"args":[],"expected":1,"public":true}]})";
  l.secrets.solution = "def f():\n    return 1\n";
  l.secrets.hints = {"think", "harder", "return 1"};
  return l;
}

class StorageContractTest : public ::testing::TestWithParam<BackendParam> {
 protected:
  void SetUp() override {
    backend_ = GetParam().make();
    ASSERT_TRUE(backend_ != nullptr);
    auto opened = OpenStorage(backend_->url());
    ASSERT_THAT(opened, IsOk());
    storage_ = std::move(opened).value();
  }

  Status Upsert(const Level& level) {
    return storage_->Transact([&](StorageTransaction& tx) -> Status {
      CLASH_RETURN_IF_ERROR(tx.levels().Upsert(level));
      return Status::Ok();
    });
  }
  Result<std::vector<Level>> List(bool secrets) {
    std::vector<Level> out;
    Status s = storage_->Read([&](StorageTransaction& tx) -> Status {
      CLASH_ASSIGN_OR_RETURN(out, tx.levels().List(secrets));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }
  Result<Level> Get(const std::string& slug, bool secrets) {
    Level out;
    Status s = storage_->Read([&](StorageTransaction& tx) -> Status {
      CLASH_ASSIGN_OR_RETURN(out, tx.levels().Get(slug, secrets));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return out;
  }

  std::unique_ptr<ScratchBackend> backend_;
  std::unique_ptr<Storage> storage_;
};

TEST_P(StorageContractTest, OpenAppliesEveryMigration) {
  EXPECT_THAT(storage_->SchemaVersion(), IsOkAndHolds(::testing::Ge(1)));
  EXPECT_THAT(storage_->Ping(), IsOk());
  EXPECT_EQ(storage_->backend_name(), GetParam().backend_name);
}

TEST_P(StorageContractTest, UpsertThenGetRoundTripsEveryField) {
  Level level = MakeLevel("python-001", 1);
  ASSERT_THAT(Upsert(level), IsOk());
  Result<Level> got = Get("python-001", /*secrets=*/true);
  ASSERT_THAT(got, IsOk());
  EXPECT_GT(got->id, 0);
  level.id = got->id;
  EXPECT_EQ(*got, level);
}

TEST_P(StorageContractTest, SecretsStayOutUnlessAskedFor) {
  ASSERT_THAT(Upsert(MakeLevel("python-001", 1)), IsOk());
  Result<Level> got = Get("python-001", /*secrets=*/false);
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ(got->secrets, LevelSecrets{});
  EXPECT_EQ(got->test_code, "assert f() == 1\n");
  Result<std::vector<Level>> all = List(/*secrets=*/false);
  ASSERT_THAT(all, IsOk());
  ASSERT_THAT(*all, SizeIs(1));
  EXPECT_THAT(all->at(0).secrets.hints, IsEmpty());
}

TEST_P(StorageContractTest, ListIsOrderedByOrderThenSlug) {
  ASSERT_THAT(Upsert(MakeLevel("c", 2)), IsOk());
  ASSERT_THAT(Upsert(MakeLevel("b", 1)), IsOk());
  ASSERT_THAT(Upsert(MakeLevel("a", 2)), IsOk());
  Result<std::vector<Level>> all = List(false);
  ASSERT_THAT(all, IsOk());
  EXPECT_THAT(*all, ElementsAre(Field(&Level::slug, "b"), Field(&Level::slug, "a"), Field(&Level::slug, "c")));
}

TEST_P(StorageContractTest, UpsertReplacesBySlugAndKeepsId) {
  ASSERT_THAT(Upsert(MakeLevel("python-001", 1)), IsOk());
  Result<Level> first = Get("python-001", true);
  ASSERT_THAT(first, IsOk());
  Level changed = MakeLevel("python-001", 7);
  changed.title = "Renamed";
  changed.secrets.hints = {"only one"};
  changed.topics = {"loops"};
  ASSERT_THAT(Upsert(changed), IsOk());
  Result<Level> second = Get("python-001", true);
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(second->id, first->id);
  EXPECT_EQ(second->title, "Renamed");
  EXPECT_EQ(second->order, 7);
  EXPECT_THAT(second->secrets.hints, ElementsAre("only one"));
  EXPECT_THAT(second->topics, ElementsAre("loops"));
  EXPECT_THAT(List(false), IsOkAndHolds(SizeIs(1)));
}

TEST_P(StorageContractTest, UnknownSlugIsNotFound) {
  EXPECT_THAT(Get("nope", false), StatusIs(StatusCode::kNotFound));
  Status removed = storage_->Transact([](StorageTransaction& tx) { return tx.levels().Remove("nope"); });
  EXPECT_THAT(removed, StatusIs(StatusCode::kNotFound));
}

TEST_P(StorageContractTest, RemoveDeletes) {
  ASSERT_THAT(Upsert(MakeLevel("python-001", 1)), IsOk());
  ASSERT_THAT(storage_->Transact([](StorageTransaction& tx) { return tx.levels().Remove("python-001"); }), IsOk());
  EXPECT_THAT(Get("python-001", false), StatusIs(StatusCode::kNotFound));
}

TEST_P(StorageContractTest, FailedTransactionLeavesNothingBehind) {
  Status s = storage_->Transact([&](StorageTransaction& tx) -> Status {
    CLASH_RETURN_IF_ERROR(tx.levels().Upsert(MakeLevel("python-001", 1)));
    CLASH_RETURN_IF_ERROR(tx.levels().Upsert(MakeLevel("python-002", 2)));
    return Status::InvalidArgument("changed my mind");
  });
  EXPECT_THAT(s, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(s.message(), "changed my mind");
  EXPECT_THAT(List(false), IsOkAndHolds(IsEmpty()));
}

TEST_P(StorageContractTest, ConstraintViolationRollsBackTheWholeTransaction) {
  Level bad = MakeLevel("python-002", 2);
  bad.xp_reward = -5;  // violates the CHECK constraint, bypassing catalogue validation
  Status s = storage_->Transact([&](StorageTransaction& tx) -> Status {
    CLASH_RETURN_IF_ERROR(tx.levels().Upsert(MakeLevel("python-001", 1)));
    CLASH_RETURN_IF_ERROR(tx.levels().Upsert(bad));
    return Status::Ok();
  });
  EXPECT_THAT(s, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(List(false), IsOkAndHolds(IsEmpty()));
}

TEST_P(StorageContractTest, ConcurrentWritersAllLand) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 10;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        int order = t * kPerThread + i + 1;
        if (!Upsert(MakeLevel("lvl-" + std::to_string(order), order)).ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_THAT(List(false), IsOkAndHolds(SizeIs(kThreads * kPerThread)));
}

TEST_P(StorageContractTest, ConcurrentReadersSeeCommittedData) {
  ASSERT_THAT(Upsert(MakeLevel("python-001", 1)), IsOk());
  std::atomic<int> bad{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        auto got = Get("python-001", false);
        if (!got.ok() || got->title != "Title python-001") ++bad;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(bad.load(), 0);
}

// Backends whose data outlives the Storage object (not :memory:).
class PersistentStorageContractTest : public StorageContractTest {};

TEST_P(PersistentStorageContractTest, ReopeningKeepsDataAndSchema) {
  ASSERT_THAT(Upsert(MakeLevel("python-001", 1)), IsOk());
  Result<int> version = storage_->SchemaVersion();
  ASSERT_THAT(version, IsOk());
  storage_.reset();
  auto reopened = OpenStorage(backend_->url());
  ASSERT_THAT(reopened, IsOk());
  EXPECT_THAT((*reopened)->SchemaVersion(), IsOkAndHolds(*version));
  Level out;
  Status s = (*reopened)->Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(out, tx.levels().Get("python-001", false));
    return Status::Ok();
  });
  EXPECT_THAT(s, IsOk());
  EXPECT_EQ(out.title, "Title python-001");
}

std::vector<BackendParam> PersistentBackends() {
  std::vector<BackendParam> out;
  for (const BackendParam& p : AllBackends()) {
    if (p.persistent) out.push_back(p);
  }
  return out;
}

std::string ParamName(const ::testing::TestParamInfo<BackendParam>& p) { return p.param.name; }

INSTANTIATE_TEST_SUITE_P(Backends, StorageContractTest, ::testing::ValuesIn(AllBackends()), ParamName);
INSTANTIATE_TEST_SUITE_P(Backends, PersistentStorageContractTest, ::testing::ValuesIn(PersistentBackends()), ParamName);

TEST(StorageBackends, PostgresRunsWhenRequired) {
  // The README test command sets CLASH_REQUIRE_POSTGRES=1 and starts a server: then the PostgreSQL
  // half of the contract must be instantiated, not silently left out.
  if (::clash::testing::PostgresRequired()) {
    EXPECT_TRUE(::clash::testing::PostgresUrl().has_value()) << "CLASH_TEST_POSTGRES_URL is not set";
    bool found = false;
    for (const BackendParam& p : AllBackends()) found |= p.backend_name == "postgresql";
    EXPECT_TRUE(found);
  } else {
    EXPECT_FALSE(AllBackends().empty());
  }
}

TEST(OpenStorage, RejectsUnknownSchemes) {
  EXPECT_THAT(OpenStorage("mysql://x"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(OpenStorage("sqlite://"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(OpenStorage(""), StatusIs(StatusCode::kInvalidArgument));
}

TEST(OpenStorage, UnopenableSqlitePathIsUnavailable) {
  EXPECT_THAT(OpenStorage("sqlite:///nonexistent-dir-for-clash/x/y.db"), StatusIs(StatusCode::kUnavailable));
}

}  // namespace
}  // namespace clash
