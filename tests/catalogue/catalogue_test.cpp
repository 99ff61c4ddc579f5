#include "clash/catalogue.h"

#include <fstream>

#include "clash/engine.h"
#include "support/test_support.h"

namespace clash {
namespace {

using ::clash::testing::IsOk;
using ::clash::testing::IsOkAndHolds;
using ::clash::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::SizeIs;

std::unique_ptr<Engine> OpenMemoryEngine() {
  EngineOptions opts;
  opts.storage_url = "sqlite::memory:";
  auto engine = Engine::Open(std::move(opts));
  EXPECT_THAT(engine, IsOk());
  return std::move(engine).value();
}

void WriteLevel(const std::filesystem::path& root, const std::string& slug, const std::string& meta) {
  auto dir = root / slug;
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "level.json") << meta;
  std::ofstream(dir / "statement.md") << "Return 1.";
  std::ofstream(dir / "starter.py") << "def f():\n    pass\n";
  std::ofstream(dir / "tests_public.py") << "assert f() == 1\n";
  std::ofstream(dir / "tests_hidden.py") << "assert f() + 1 == 2\n";
  std::ofstream(dir / "solution.py") << "def f():\n    return 1\n";
}

TEST(CatalogueTest, LoadsTheRepositoryLevels) {
  auto engine = OpenMemoryEngine();
  Result<int> loaded = engine->catalogue().LoadFromDirectory(std::string(CLASH_SOURCE_DIR) + "/data/levels");
  ASSERT_THAT(loaded, IsOkAndHolds(::testing::Ge(3)));
  auto levels = engine->catalogue().List();
  ASSERT_THAT(levels, IsOk());
  ASSERT_THAT(*levels, SizeIs(*loaded));
  EXPECT_EQ(levels->at(0).slug, "python-001");
  EXPECT_EQ(levels->at(0).order, 1);
  EXPECT_EQ(levels->at(0).xp_reward, 10);
  EXPECT_EQ(levels->at(0).target_time_seconds, 120);
  for (const Level& l : *levels) {
    EXPECT_EQ(l.xp_reward, 10 * l.order) << l.slug;
    EXPECT_TRUE(l.secrets.solution.empty()) << "List() must not expose secrets";
  }
  auto judged = engine->catalogue().GetForJudging("python-001");
  ASSERT_THAT(judged, IsOk());
  EXPECT_FALSE(judged->secrets.solution.empty());
  EXPECT_FALSE(judged->secrets.hidden_tests.empty());
  EXPECT_THAT(judged->secrets.hints, SizeIs(3));
}

TEST(CatalogueTest, LoadingTwiceReplacesRatherThanDuplicates) {
  auto engine = OpenMemoryEngine();
  std::string dir = std::string(CLASH_SOURCE_DIR) + "/data/levels";
  ASSERT_THAT(engine->catalogue().LoadFromDirectory(dir), IsOk());
  Result<int> again = engine->catalogue().LoadFromDirectory(dir);
  ASSERT_THAT(again, IsOk());
  EXPECT_THAT(engine->catalogue().List(), IsOkAndHolds(SizeIs(*again)));
}

TEST(CatalogueTest, OneBadLevelLoadsNothing) {
  testing::TempDir dir;
  WriteLevel(dir.path(), "a-good", R"({"slug":"a-good","order":1,"title":"Good","xp_reward":10,"target_time_seconds":120})");
  WriteLevel(dir.path(), "b-bad", R"({"slug":"b-bad","order":0,"title":"Bad","xp_reward":10,"target_time_seconds":120})");
  auto engine = OpenMemoryEngine();
  Result<int> r = engine->catalogue().LoadFromDirectory(dir.path().string());
  EXPECT_THAT(r, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(r.status().message(), HasSubstr("b-bad"));
  EXPECT_THAT(engine->catalogue().List(), IsOkAndHolds(SizeIs(0)));
}

TEST(CatalogueTest, MalformedFilesNameTheFile) {
  testing::TempDir dir;
  WriteLevel(dir.path(), "lvl", "{not json");
  auto r = ReadLevelDirectory(dir.path().string());
  EXPECT_THAT(r, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(r.status().message(), HasSubstr("level.json"));

  testing::TempDir dir2;
  WriteLevel(dir2.path(), "lvl", R"({"slug":"other","order":1,"title":"T","xp_reward":1,"target_time_seconds":1})");
  EXPECT_THAT(ReadLevelDirectory(dir2.path().string()), StatusIs(StatusCode::kInvalidArgument));

  testing::TempDir dir3;
  WriteLevel(dir3.path(), "lvl", R"({"slug":"lvl","order":"1","title":"T","xp_reward":1,"target_time_seconds":1})");
  EXPECT_THAT(ReadLevelDirectory(dir3.path().string()), StatusIs(StatusCode::kInvalidArgument));

  testing::TempDir dir4;
  WriteLevel(dir4.path(), "lvl", R"({"slug":"lvl","order":1,"title":"T","xp_reward":1,"target_time_seconds":1})");
  std::filesystem::remove(dir4.path() / "lvl" / "solution.py");
  auto missing = ReadLevelDirectory(dir4.path().string());
  EXPECT_THAT(missing, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(missing.status().message(), HasSubstr("solution.py"));

  EXPECT_THAT(ReadLevelDirectory("/no/such/dir"), StatusIs(StatusCode::kInvalidArgument));
}

TEST(CatalogueTest, ValidateLevelNamesTheField) {
  Level l;
  l.slug = "Bad Slug";
  EXPECT_THAT(ValidateLevel(l), StatusIs(StatusCode::kInvalidArgument));
  l.slug = "ok";
  l.order = 1;
  l.title = "T";
  l.description = "D";
  l.xp_reward = -1;
  Status s = ValidateLevel(l);
  EXPECT_THAT(s, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(s.message(), HasSubstr("xp_reward"));
  l.xp_reward = 0;
  EXPECT_THAT(ValidateLevel(l), IsOk());
}

TEST(CatalogueTest, UpsertRejectsDuplicateSlugs) {
  auto engine = OpenMemoryEngine();
  Level l;
  l.slug = "dup";
  l.order = 1;
  l.title = "T";
  l.description = "D";
  EXPECT_THAT(engine->catalogue().Upsert({l, l}), StatusIs(StatusCode::kInvalidArgument));
}

TEST(CatalogueTest, NewPlayerMapUnlocksOnlyTheFirstLevel) {
  auto engine = OpenMemoryEngine();
  ASSERT_THAT(engine->catalogue().LoadFromDirectory(std::string(CLASH_SOURCE_DIR) + "/data/levels"), IsOk());
  auto map = engine->catalogue().MapForNewPlayer();
  ASSERT_THAT(map, IsOk());
  ASSERT_GE(map->size(), 3u);
  EXPECT_EQ(map->at(0).level.slug, "python-001");
  EXPECT_EQ(LevelStateName(map->at(0).state), "UNLOCKED");
  for (std::size_t i = 1; i < map->size(); ++i) {
    EXPECT_EQ(map->at(i).state, LevelState::kLocked);
    EXPECT_EQ(map->at(i).stars, 0);
    EXPECT_TRUE(map->at(i).level.secrets.hidden_tests.empty());
  }
}

TEST(CatalogueTest, ReadsComeFromASnapshotThatOtherWritersRefreshAfterTheTtl) {
  auto storage = OpenStorage("sqlite::memory:");
  ASSERT_THAT(storage, IsOk());
  FakeClock clock;
  Catalogue host_a(**storage, clock, std::chrono::seconds(2));
  Catalogue host_b(**storage, clock, std::chrono::seconds(2));
  Level l;
  l.slug = "first";
  l.order = 1;
  l.title = "T";
  l.description = "D";
  ASSERT_THAT(host_a.Upsert({l}), IsOk());
  EXPECT_THAT(host_a.List(), IsOkAndHolds(SizeIs(1)));
  l.slug = "second";
  l.order = 2;
  ASSERT_THAT(host_b.Upsert({l}), IsOk());
  EXPECT_THAT(host_b.List(), IsOkAndHolds(SizeIs(2))) << "a writer sees its own write at once";
  EXPECT_THAT(host_a.List(), IsOkAndHolds(SizeIs(1))) << "another host's write waits for the TTL";
  clock.Advance(std::chrono::seconds(2));
  EXPECT_THAT(host_a.List(), IsOkAndHolds(SizeIs(2)));
  Catalogue uncached(**storage, clock, std::chrono::milliseconds(0));
  l.slug = "third";
  l.order = 3;
  ASSERT_THAT(host_b.Upsert({l}), IsOk());
  EXPECT_THAT(uncached.List(), IsOkAndHolds(SizeIs(3)));
}

TEST(CatalogueTest, GetUnknownIsNotFound) {
  auto engine = OpenMemoryEngine();
  EXPECT_THAT(engine->catalogue().Get("python-999"), StatusIs(StatusCode::kNotFound));
}

class DownStorage : public StorageWrapper {
 public:
  DownStorage(std::unique_ptr<Storage> inner) : StorageWrapper(*inner), inner_(std::move(inner)) {}
  Status Ping() override { return Status::Unavailable("connection refused by 10.0.0.1"); }

 private:
  std::unique_ptr<Storage> inner_;
};

TEST(EngineTest, HealthReportsAFailingDatabaseWithoutDriverText) {
  auto inner = OpenStorage("sqlite::memory:");
  ASSERT_THAT(inner, IsOk());
  EngineOptions opts;
  opts.storage = std::make_unique<DownStorage>(std::move(inner).value());
  auto engine = Engine::Open(std::move(opts));
  ASSERT_THAT(engine, IsOk());
  auto checks = (*engine)->CheckHealth();
  ASSERT_EQ(checks.size(), 2u);  // database, pubsub
  EXPECT_EQ(checks[0].name, "database");
  EXPECT_FALSE(checks[0].ok);
  EXPECT_EQ(checks[0].detail, "unreachable");
}

TEST(EngineTest, HealthyEngine) {
  auto engine = OpenMemoryEngine();
  auto checks = engine->CheckHealth();
  ASSERT_EQ(checks.size(), 2u);
  EXPECT_TRUE(checks[0].ok);
  EXPECT_EQ(checks[0].detail, "ok");
  EXPECT_EQ(checks[1].name, "pubsub");
  EXPECT_TRUE(checks[1].ok);
  EXPECT_EQ(checks[1].detail, "ok");
}

}  // namespace
}  // namespace clash
