#include "clash/catalogue.h"

#include <fstream>

#include "clash/engine.h"
#include "clash/judge_cases.h"
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

constexpr const char* kCases =
    R"({"mode": "function", "entry": "f", "cases": [{"args": [], "expected": 1, "public": true},
        {"args": [], "expected": 1, "name": "hidden one"}]})";

void WriteLevel(const std::filesystem::path& root, const std::string& slug, const std::string& meta,
                const std::string& cases = kCases) {
  auto dir = root / slug;
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "level.json") << meta;
  std::ofstream(dir / "statement.md") << "Return 1.";
  std::ofstream(dir / "starter.py") << "def f():\n    pass\n";
  std::ofstream(dir / "cases.json") << cases;
  std::ofstream(dir / "solution.py") << "def f():\n    return 1\n";
}

Level SimpleLevel(const std::string& slug, int order) {
  Level l;
  l.slug = slug;
  l.order = order;
  l.title = "T";
  l.description = "D";
  l.secrets.cases_json = kCases;
  return l;
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
  EXPECT_THAT(judged->secrets.hints, SizeIs(3));
  // Format 2: the cases are data; test_code is rendered from the public ones.
  Result<DataCases> cases = ParseCasesJson(judged->secrets.cases_json);
  ASSERT_THAT(cases, IsOk());
  EXPECT_EQ(cases->entry, "greet");
  EXPECT_GE(cases->cases.size(), 10u);
  EXPECT_EQ(judged->test_code, "assert greet('Ada') == 'Hello, Ada!'\n\nassert greet('Arena') == 'Hello, Arena!'\n");
  EXPECT_EQ(judged->stage, 1);
  EXPECT_THAT(judged->topics, ::testing::ElementsAre("strings", "return values"));
  EXPECT_EQ(judged->time_limit_seconds, 5);
  EXPECT_EQ(judged->created_for_user, std::nullopt);
  EXPECT_EQ(levels->size(), 60u);
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

  testing::TempDir dir5;
  WriteLevel(dir5.path(), "lvl", R"({"slug":"lvl","order":1,"title":"T","xp_reward":1,"target_time_seconds":1})",
             R"({"mode": "function", "entry": "f", "cases": [{"args": [], "expected": {"$bogus": 1}}]})");
  auto bad_cases = ReadLevelDirectory(dir5.path().string());
  EXPECT_THAT(bad_cases, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(bad_cases.status().message(), HasSubstr("cases.json"));

  testing::TempDir dir6;
  WriteLevel(dir6.path(), "lvl",
             R"({"slug":"lvl","order":1,"title":"T","xp_reward":1,"target_time_seconds":1,"hidden_tests":"x"})");
  auto unknown_key = ReadLevelDirectory(dir6.path().string());
  EXPECT_THAT(unknown_key, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(unknown_key.status().message(), HasSubstr("hidden_tests"));

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
  Level l = SimpleLevel("dup", 1);
  EXPECT_THAT(engine->catalogue().Upsert({l, l}), StatusIs(StatusCode::kInvalidArgument));
}

TEST(CatalogueTest, UpsertNeedsCasesAndRendersTestCodeFromThePublicOnes) {
  auto engine = OpenMemoryEngine();
  Level l = SimpleLevel("casey", 1);
  l.test_code = "assert True  # whatever the caller sent";
  l.secrets.cases_json = "";
  Status none = engine->catalogue().Upsert({l});
  EXPECT_THAT(none, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(none.message(), HasSubstr("cases are required"));
  l.secrets.cases_json = "[1, 2]";
  EXPECT_THAT(engine->catalogue().Upsert({l}), StatusIs(StatusCode::kInvalidArgument));
  l.secrets.cases_json = kCases;
  ASSERT_THAT(engine->catalogue().Upsert({l}), IsOk());
  Result<Level> stored = engine->catalogue().GetForJudging("casey");
  ASSERT_THAT(stored, IsOk());
  EXPECT_EQ(stored->test_code, "assert f() == 1\n");
  EXPECT_EQ(stored->secrets.cases_json, EncodeCasesJson(*ParseCasesJson(kCases)));
}

TEST(CatalogueTest, PersonalisedLevelsStayOutOfTheGlobalSnapshot) {
  auto engine = OpenMemoryEngine();
  Result<User> owner = engine->auth().CreateSuperuser("owner", "owner@example.com", "a long password 123");
  ASSERT_THAT(owner, IsOk());
  Level global = SimpleLevel("global-1", 1);
  Level mine = SimpleLevel("mine-1", 2);
  mine.created_for_user = owner->id;
  ASSERT_THAT(engine->catalogue().Upsert({global, mine}), IsOk());
  auto snapshot = engine->catalogue().GlobalLevels();
  ASSERT_THAT(snapshot, IsOk());
  ASSERT_THAT(**snapshot, SizeIs(1));
  EXPECT_EQ((*snapshot)->at(0).slug, "global-1");
  auto personal = engine->catalogue().PersonalLevels(owner->id);
  ASSERT_THAT(personal, IsOk());
  ASSERT_THAT(*personal, SizeIs(1));
  EXPECT_EQ(personal->at(0).created_for_user, owner->id);
  EXPECT_THAT(engine->catalogue().PersonalLevels(owner->id + 1), IsOkAndHolds(SizeIs(0)));
  EXPECT_THAT(engine->catalogue().List(), IsOkAndHolds(SizeIs(2)));
  mine.created_for_user = owner->id + 100;
  EXPECT_THAT(engine->catalogue().Upsert({mine}), StatusIs(StatusCode::kFailedPrecondition));
  ASSERT_THAT(engine->catalogue().Remove("mine-1"), IsOk());
  EXPECT_THAT(engine->catalogue().Remove("mine-1"), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(engine->catalogue().PersonalLevels(owner->id), IsOkAndHolds(SizeIs(0)));
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
    EXPECT_TRUE(map->at(i).level.secrets.cases_json.empty());
  }
}

TEST(CatalogueTest, ReadsComeFromASnapshotThatOtherWritersRefreshAfterTheTtl) {
  auto storage = OpenStorage("sqlite::memory:");
  ASSERT_THAT(storage, IsOk());
  FakeClock clock;
  Catalogue host_a(**storage, clock, std::chrono::seconds(2));
  Catalogue host_b(**storage, clock, std::chrono::seconds(2));
  Level l = SimpleLevel("first", 1);
  auto count = [](const Catalogue& c) -> std::size_t {
    auto levels = c.GlobalLevels();
    return levels.ok() ? (*levels)->size() : 999;
  };
  ASSERT_THAT(host_a.Upsert({l}), IsOk());
  EXPECT_EQ(count(host_a), 1u);
  l.slug = "second";
  l.order = 2;
  ASSERT_THAT(host_b.Upsert({l}), IsOk());
  EXPECT_EQ(count(host_b), 2u) << "a writer sees its own write at once";
  EXPECT_EQ(count(host_a), 1u) << "another host's write waits for the TTL";
  EXPECT_THAT(host_a.List(), IsOkAndHolds(SizeIs(2))) << "List() reads storage";
  clock.Advance(std::chrono::seconds(2));
  EXPECT_EQ(count(host_a), 2u);
  Catalogue uncached(**storage, clock, std::chrono::milliseconds(0));
  l.slug = "third";
  l.order = 3;
  ASSERT_THAT(host_b.Upsert({l}), IsOk());
  EXPECT_EQ(count(uncached), 3u);
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
