// The ranking rules of the three modes (RankPlayers: pure) and the puzzle loader.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "clash/matches.h"
#include "support/test_support.h"

namespace clash {
namespace {

using ::clash::testing::IsOk;
using ::clash::testing::StatusIs;
using ::testing::ElementsAre;

RankInput Sub(int passed, int total, int chars, std::int64_t ms) {
  return RankInput{.tests_passed = passed, .tests_total = total, .chars = chars, .elapsed_ms = ms};
}

TEST(RankPlayers, FastestRanksByTestsPassedThenTime) {
  EXPECT_THAT(RankPlayers(MatchMode::kFastest,
                          {Sub(5, 10, 10, 1000), Sub(10, 10, 500, 9000), Sub(10, 10, 50, 4000), RankInput{}}),
              ElementsAre(3, 2, 1, 4));
}

TEST(RankPlayers, ReverseRanksLikeFastest) {
  EXPECT_THAT(RankPlayers(MatchMode::kReverse, {Sub(1, 10, 9, 10), Sub(2, 10, 9, 20)}), ElementsAre(2, 1));
}

TEST(RankPlayers, ShortestRanksFullPassesByCharactersThenTimeAndTheRestAfter) {
  EXPECT_THAT(RankPlayers(MatchMode::kShortest,
                          {Sub(10, 10, 120, 1000), Sub(10, 10, 80, 9000), Sub(9, 10, 10, 100), Sub(10, 10, 80, 5000)}),
              ElementsAre(3, 2, 4, 1));
}

TEST(RankPlayers, EqualKeysTieAndPlayersWithoutSubmissionsShareTheLastRank) {
  EXPECT_THAT(RankPlayers(MatchMode::kFastest, {RankInput{}, Sub(3, 10, 5, 700), Sub(3, 10, 99, 700), RankInput{}}),
              ElementsAre(3, 1, 1, 3));
  EXPECT_THAT(RankPlayers(MatchMode::kShortest, {RankInput{}, RankInput{}}), ElementsAre(1, 1));
}

TEST(RankPlayers, ZeroPassesStillRankAheadOfNoSubmission) {
  EXPECT_THAT(RankPlayers(MatchMode::kFastest, {RankInput{}, Sub(0, 10, 5, 700)}), ElementsAre(2, 1));
}

TEST(MatchNames, RoundTrip) {
  for (MatchMode m : {MatchMode::kFastest, MatchMode::kShortest, MatchMode::kReverse}) {
    EXPECT_THAT(ParseMatchMode(MatchModeName(m)), ::clash::testing::IsOkAndHolds(m));
  }
  EXPECT_THAT(ParseMatchMode("slowest"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseMatchState("running"), ::clash::testing::IsOkAndHolds(MatchState::kRunning));
}

TEST(LoadPuzzles, ReadsTheRepositoryPuzzles) {
  Result<std::vector<Puzzle>> puzzles = LoadPuzzles(std::string(CLASH_SOURCE_DIR) + "/data/puzzles");
  ASSERT_THAT(puzzles, IsOk());
  EXPECT_GE(puzzles->size(), 30u);
  const Puzzle& echo = *std::find_if(puzzles->begin(), puzzles->end(), [](const Puzzle& p) { return p.slug == "echo-reverse"; });
  EXPECT_EQ(echo.title, "Echo Reverse");
  EXPECT_EQ(echo.public_cases.size(), 3u);
  EXPECT_EQ(echo.hidden_cases.size(), 7u);
  EXPECT_THAT(echo.modes, ElementsAre(MatchMode::kFastest, MatchMode::kShortest, MatchMode::kReverse));
  EXPECT_THAT(LoadPuzzles("/nonexistent/puzzles"), StatusIs(StatusCode::kNotFound));
}

}  // namespace
}  // namespace clash
