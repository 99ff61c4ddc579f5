// clash/rating.h: checked against the npm `openskill` package (an independent implementation) run
// by this test on the fixed games of tests/rating/games.json — 2..8 players, ties, successive
// games on one pool of players, three option sets — to 1e-6; then the argument checks and the
// properties a player sees (a win raises mu, ties are symmetric, sigma shrinks).
#include "clash/rating.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/test_support.h"

namespace clash {
namespace {

using ::clash::testing::IsOk;
using ::clash::testing::StatusIs;
using json = nlohmann::json;

const std::string kDir = std::string(CLASH_SOURCE_DIR) + "/tests/rating";

// Runs `command` and returns its stdout; fails the test if it exits non-zero.
std::string RunCommand(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    ADD_FAILURE() << "cannot run " << command;
    return out;
  }
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  int rc = pclose(pipe);
  EXPECT_EQ(rc, 0) << command << " failed; is openskill installed? run `npm ci --prefix tests/rating` "
                   << "(scripts/install-deps.sh does)";
  return out;
}

RatingOptions OptionsFrom(const json& o) {
  RatingOptions r;
  r.mu = o.value("mu", r.mu);
  r.sigma = o.value("sigma", r.sigma);
  r.beta = o.value("beta", r.beta);
  r.kappa = o.value("kappa", r.kappa);
  r.tau = o.value("tau", r.tau);
  r.z = o.value("z", r.z);
  r.limit_sigma = o.value("limitSigma", r.limit_sigma);
  return r;
}

TEST(RatingTest, MatchesTheOpenskillPackageOnFixedGamesTo1e6) {
  std::ifstream in(kDir + "/games.json");
  ASSERT_TRUE(in) << "missing tests/rating/games.json";
  json spec = json::parse(in);
  std::string reference_text = RunCommand("node " + kDir + "/openskill_reference.mjs " + kDir + "/games.json");
  ASSERT_FALSE(reference_text.empty());
  json reference = json::parse(reference_text);

  const auto& games = spec["games"];
  ASSERT_GE(games.size(), 20u);
  int compared = 0;
  int moved = 0;  // ratings the reference changed: the comparison is not of unchanged inputs
  double max_error = 0;
  size_t entries = 0;
  for (const auto& game : games) entries += game["players"].size();
  for (const auto& set : spec["option_sets"]) {
    const std::string name = set["name"];
    SCOPED_TRACE("option set " + name);
    const RatingOptions options = OptionsFrom(set["options"]);
    const json& expected_games = reference.at(name);
    ASSERT_EQ(expected_games.size(), games.size());
    std::vector<Rating> pool(spec["pool"].get<size_t>(), DefaultRating(options));
    for (size_t g = 0; g < games.size(); ++g) {
      SCOPED_TRACE("game " + std::to_string(g + 1));
      std::vector<size_t> who = games[g]["players"];
      std::vector<int> ranks = games[g]["ranks"];
      std::vector<Rating> before;
      for (size_t p : who) before.push_back(pool[p]);
      Result<std::vector<Rating>> after = Rate(before, ranks, options);
      ASSERT_THAT(after, IsOk());
      ASSERT_EQ(after->size(), who.size());
      const json& expected = expected_games[g];
      ASSERT_EQ(expected.size(), who.size());
      for (size_t i = 0; i < who.size(); ++i) {
        const double mu = expected[i]["mu"], sigma = expected[i]["sigma"], ordinal = expected[i]["ordinal"];
        EXPECT_NEAR((*after)[i].mu, mu, 1e-6) << "player " << who[i];
        EXPECT_NEAR((*after)[i].sigma, sigma, 1e-6) << "player " << who[i];
        EXPECT_NEAR(Ordinal((*after)[i], options), ordinal, 1e-6) << "player " << who[i];
        max_error = std::max({max_error, std::abs((*after)[i].mu - mu), std::abs((*after)[i].sigma - sigma)});
        if (mu != before[i].mu || sigma != before[i].sigma) ++moved;
        pool[who[i]] = (*after)[i];
        ++compared;
      }
    }
  }
  EXPECT_EQ(compared, static_cast<int>(3 * entries));
  EXPECT_GT(moved, compared * 9 / 10);
  std::printf("compared %d ratings with openskill; largest difference %.3g\n", compared, max_error);
}

TEST(RatingTest, DefaultsAreOpenskills) {
  RatingOptions o;
  EXPECT_EQ(o.mu, 25.0);
  EXPECT_DOUBLE_EQ(o.sigma, 25.0 / 3);
  EXPECT_DOUBLE_EQ(o.beta, 25.0 / 6);
  EXPECT_DOUBLE_EQ(o.tau, 25.0 / 300);
  EXPECT_EQ(o.kappa, 1e-4);
  EXPECT_EQ(DefaultRating(), (Rating{25.0, 25.0 / 3}));
  EXPECT_DOUBLE_EQ(Ordinal(DefaultRating()), 0.0);
  EXPECT_DOUBLE_EQ(Ordinal(Rating{30, 2}), 24.0);
}

TEST(RatingTest, TheHeaderExampleHoldsAndTiesAreSymmetric) {
  std::vector<Rating> before(3, DefaultRating());
  Result<std::vector<Rating>> after = Rate(before, std::vector<int>{1, 2, 2});
  ASSERT_THAT(after, IsOk());
  EXPECT_NEAR((*after)[0].mu, 27.869, 0.0005);
  EXPECT_NEAR((*after)[1].mu, 23.565, 0.0005);
  EXPECT_EQ((*after)[1], (*after)[2]);
  EXPECT_NEAR(Ordinal((*after)[0]), 3.253, 0.0005);
  for (const Rating& r : *after) EXPECT_LT(r.sigma, 25.0 / 3);
}

TEST(RatingTest, RankValuesOnlyMatterThroughTheirOrder) {
  std::vector<Rating> before = {{25, 8}, {28, 5}, {20, 7}, {31, 3}};
  Result<std::vector<Rating>> a = Rate(before, std::vector<int>{1, 2, 2, 4});
  Result<std::vector<Rating>> b = Rate(before, std::vector<int>{-7, 5, 5, 90});
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  EXPECT_EQ(*a, *b);
}

TEST(RatingTest, AnUpsetMovesMoreThanAnExpectedResult) {
  Rating strong{35, 2}, weak{15, 2};
  Result<std::vector<Rating>> expected = Rate(std::vector<Rating>{strong, weak}, std::vector<int>{1, 2});
  Result<std::vector<Rating>> upset = Rate(std::vector<Rating>{strong, weak}, std::vector<int>{2, 1});
  ASSERT_THAT(expected, IsOk());
  ASSERT_THAT(upset, IsOk());
  EXPECT_GT((*expected)[0].mu, strong.mu);
  EXPECT_LT((*upset)[0].mu, strong.mu);
  EXPECT_GT((*upset)[1].mu - weak.mu, (*expected)[0].mu - strong.mu);
}

TEST(RatingTest, ExtremeButFiniteRatingsStayFinite) {
  std::vector<Rating> before = {{1e6, 1}, {-1e6, 1}, {0, 1e3}};
  Result<std::vector<Rating>> after = Rate(before, std::vector<int>{3, 2, 1});
  ASSERT_THAT(after, IsOk());
  for (const Rating& r : *after) {
    EXPECT_TRUE(std::isfinite(r.mu));
    EXPECT_TRUE(std::isfinite(r.sigma) && r.sigma > 0);
  }
}

TEST(RatingTest, BadArgumentsAreRefusedWithTheReason) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<Rating> two(2, DefaultRating());
  EXPECT_THAT(Rate(two, std::vector<int>{1}),
              StatusIs(StatusCode::kInvalidArgument, "ratings and ranks differ in length (2 and 1)"));
  EXPECT_THAT(Rate(std::vector<Rating>{DefaultRating()}, std::vector<int>{1}),
              StatusIs(StatusCode::kInvalidArgument, "a rated match has 2..256 players, not 1"));
  EXPECT_THAT(Rate(std::vector<Rating>{}, std::vector<int>{}), StatusIs(StatusCode::kInvalidArgument));
  std::vector<Rating> many(kMaxRatedPlayers + 1, DefaultRating());
  EXPECT_THAT(Rate(many, std::vector<int>(many.size(), 1)),
              StatusIs(StatusCode::kInvalidArgument, "a rated match has 2..256 players, not 257"));
  EXPECT_THAT(Rate(std::vector<Rating>{{nan, 1}, {25, 1}}, std::vector<int>{1, 2}),
              StatusIs(StatusCode::kInvalidArgument, "player 0: mu must be finite"));
  EXPECT_THAT(Rate(std::vector<Rating>{{25, 1}, {25, 0}}, std::vector<int>{1, 2}),
              StatusIs(StatusCode::kInvalidArgument, "player 1: sigma must be finite and > 0"));
  EXPECT_THAT(Rate(std::vector<Rating>{{25, 1}, {25, inf}}, std::vector<int>{1, 2}),
              StatusIs(StatusCode::kInvalidArgument, "player 1: sigma must be finite and > 0"));
  RatingOptions bad_beta;
  bad_beta.beta = 0;
  EXPECT_THAT(Rate(two, std::vector<int>{1, 2}, bad_beta), StatusIs(StatusCode::kInvalidArgument, "rating option beta must be > 0"));
  RatingOptions bad_tau;
  bad_tau.tau = -1;
  EXPECT_THAT(Rate(two, std::vector<int>{1, 2}, bad_tau), StatusIs(StatusCode::kInvalidArgument, "rating option tau must be >= 0"));
  RatingOptions bad_kappa;
  bad_kappa.kappa = nan;
  EXPECT_THAT(Rate(two, std::vector<int>{1, 2}, bad_kappa), StatusIs(StatusCode::kInvalidArgument, "rating option kappa must be > 0"));
}

}  // namespace
}  // namespace clash
