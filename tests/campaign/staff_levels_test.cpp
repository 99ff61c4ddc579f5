// Staff edits of levels on every backend (the judge's checks of a created level run on the real
// sandbox in tests/python/test_campaign_http.py): permissions, the body decoder, metadata updates,
// deletion with its progress.
#include "campaign/campaign_fixture.h"

namespace clash::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class StaffLevelTest : public CampaignTest {};

TEST_P(StaffLevelTest, PlayersMayNotEditLevels) {
  User ada = CreateUser("ada");
  Result<LevelFields> f = DecodeLevelFields(R"({"title": "Mine now"})");
  ASSERT_THAT(f, IsOk());
  EXPECT_THAT(campaign().UpdateLevel(ada, "lvl-1", *f), StatusIs(StatusCode::kPermissionDenied));
  EXPECT_THAT(campaign().CreateLevel(ada, *f), StatusIs(StatusCode::kPermissionDenied));
  EXPECT_THAT(campaign().DeleteLevel(ada, "lvl-1"), StatusIs(StatusCode::kPermissionDenied));
  EXPECT_EQ(judge_->submitted(), 0);
}

TEST_P(StaffLevelTest, AMetadataUpdateIsStoredWithoutJudging) {
  User root = CreateUser("root", /*is_staff=*/true);
  Result<LevelFields> f = DecodeLevelFields(R"({"title": "Adding Up", "target_time_seconds": 200, "test_code": "x"})");
  ASSERT_THAT(f, IsOk());
  Result<LevelWrite> w = campaign().UpdateLevel(root, "lvl-1", *f);
  ASSERT_THAT(w, IsOk());
  EXPECT_EQ(w->level.title, "Adding Up");
  EXPECT_EQ(w->level.target_time_seconds, 200);
  EXPECT_EQ(w->level.test_code, "assert add(1, 2) == 3\n\nassert add(2, 2) == 4\n") << "test_code is derived";
  EXPECT_EQ(judge_->submitted(), 0);
  EXPECT_THAT(engine().catalogue().Get("lvl-1"), IsOkAndHolds(::testing::Field(&Level::title, "Adding Up")));
}

TEST_P(StaffLevelTest, AnUpdateThatBreaksTheChecksChangesNothing) {
  User root = CreateUser("root", /*is_staff=*/true);
  Result<LevelFields> f = DecodeLevelFields(R"({"hints": ["only one"]})");
  ASSERT_THAT(f, IsOk());
  Result<LevelWrite> w = campaign().UpdateLevel(root, "lvl-1", *f);
  ASSERT_THAT(w, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(w.status().message(), HasSubstr("hints must be 3"));
  ASSERT_NE(w.status().payload<LevelReport>(), nullptr);
  Result<Level> stored = engine().catalogue().GetForJudging("lvl-1");
  ASSERT_THAT(stored, IsOk());
  EXPECT_EQ(stored->secrets.hints.size(), 3u);
  EXPECT_THAT(campaign().UpdateLevel(root, "nope", *f), StatusIs(StatusCode::kNotFound));
  Result<LevelFields> rename = DecodeLevelFields(R"({"slug": "other"})");
  ASSERT_THAT(rename, IsOk());
  EXPECT_THAT(campaign().UpdateLevel(root, "lvl-1", *rename), StatusIs(StatusCode::kInvalidArgument));
}

TEST_P(StaffLevelTest, CreateNeedsItsFieldsAndAFreeSlug) {
  User root = CreateUser("root", /*is_staff=*/true);
  Result<LevelFields> partial = DecodeLevelFields(R"({"slug": "new-1", "title": "New"})");
  ASSERT_THAT(partial, IsOk());
  Result<LevelWrite> w = campaign().CreateLevel(root, *partial);
  ASSERT_THAT(w, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(w.status().message(), HasSubstr("This field is required."));
  Result<LevelFields> taken = DecodeLevelFields(
      R"({"slug": "lvl-1", "title": "T", "description": "D", "order": 9, "cases": {"mode": "function", "entry": "f",
          "cases": [{"args": [], "expected": 1}]}, "solution": "def f(): return 1", "initial_code": "def f(): pass"})");
  ASSERT_THAT(taken, IsOk());
  EXPECT_THAT(campaign().CreateLevel(root, *taken), StatusIs(StatusCode::kAlreadyExists));
}

TEST_P(StaffLevelTest, DecodeLevelFieldsNamesTheBadField) {
  Result<LevelFields> bad = DecodeLevelFields(R"({"order": "first"})");
  ASSERT_THAT(bad, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(bad.status().StringDetail("field"), "order");
  EXPECT_THAT(DecodeLevelFields(R"({"hints": [1, 2]})"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(DecodeLevelFields(R"({"cases": 3})"), StatusIs(StatusCode::kInvalidArgument));
  Result<LevelFields> global = DecodeLevelFields(R"({"created_for_user_id": null, "time_limit": 3})");
  ASSERT_THAT(global, IsOk());
  ASSERT_TRUE(global->created_for_user.has_value());
  EXPECT_EQ(*global->created_for_user, std::nullopt);
  EXPECT_EQ(global->time_limit_seconds, 3);
}

TEST_P(StaffLevelTest, DeletingALevelRemovesItsProgress) {
  User root = CreateUser("root", /*is_staff=*/true);
  User ada = CreateUser("ada");
  Solve(ada, "lvl-1");
  ASSERT_THAT(campaign().DeleteLevel(root, "lvl-1"), IsOk());
  EXPECT_THAT(States(ada), ElementsAre("lvl-2=UNLOCKED", "lvl-3=LOCKED"));
  EXPECT_THAT(campaign().DeleteLevel(root, "lvl-1"), StatusIs(StatusCode::kNotFound));
}

INSTANTIATE_TEST_SUITE_P(Backends, StaffLevelTest, ::testing::ValuesIn(AllBackends()), BackendParamName);

}  // namespace
}  // namespace clash::testing
