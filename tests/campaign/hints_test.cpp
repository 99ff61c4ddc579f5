// Hints on every backend: tier costs, the maximum, insufficient XP, exactly-once purchases under
// concurrent clicks, the authored hint of a bought tier.
#include <latch>
#include <thread>

#include "campaign/campaign_fixture.h"

namespace clash::testing {
namespace {

using ::testing::HasSubstr;

class HintTest : public CampaignTest {};

TEST_P(HintTest, TiersCostTenTwentyThirtyAndStopAtThree) {
  User ada = CreateUser("ada");
  Grant(ada.id, 100, "grant");
  std::vector<std::int64_t> costs;
  for (int i = 0; i < 3; ++i) {
    Result<HintPurchase> p = campaign().BuyHint(ada, "lvl-1");
    ASSERT_THAT(p, IsOk());
    EXPECT_EQ(p->hints_purchased, i + 1);
    EXPECT_TRUE(p->charged);
    costs.push_back(p->cost);
  }
  EXPECT_EQ(costs, (std::vector<std::int64_t>{10, 20, 30}));
  EXPECT_EQ(BalanceOf(ada.id), 40);
  Result<HintPurchase> fourth = campaign().BuyHint(ada, "lvl-1");
  ASSERT_THAT(fourth, StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_EQ(fourth.status().message(), "Maximum AI hints reached");
  EXPECT_THAT(fourth.status().StringDetail("detail").value_or(""), HasSubstr("all 3"));
  EXPECT_EQ(BalanceOf(ada.id), 40);
  EXPECT_EQ(SumOfEntries(ada.id), 40);
}

TEST_P(HintTest, WithoutEnoughXpNothingIsBoughtAndTheShortageIsReported) {
  User ada = CreateUser("ada");
  Grant(ada.id, 25, "grant");
  ASSERT_THAT(campaign().BuyHint(ada, "lvl-1"), IsOk());  // 10: 15 left
  Result<HintPurchase> p = campaign().BuyHint(ada, "lvl-1");  // 20
  ASSERT_THAT(p, StatusIs(StatusCode::kInsufficientFunds));
  EXPECT_EQ(p.status().message(), "Insufficient XP");
  std::map<std::string, std::int64_t> details;
  for (const StatusDetail& d : p.status().details()) {
    if (const auto* v = std::get_if<std::int64_t>(&d.value)) details[d.key] = *v;
  }
  EXPECT_EQ(details["required_xp"], 20);
  EXPECT_EQ(details["current_xp"], 15);
  EXPECT_EQ(details["shortage"], 5);
  Result<std::vector<PlayerLevel>> map = campaign().Map(ada);
  ASSERT_THAT(map, IsOk());
  EXPECT_EQ(map->at(0).hints_purchased, 1);
  EXPECT_EQ(BalanceOf(ada.id), 15);
}

TEST_P(HintTest, ConcurrentClicksPayEachTierExactlyOnce) {
  User ada = CreateUser("ada");
  Grant(ada.id, 1000, "grant");
  constexpr int kClicks = 8;
  std::latch start(kClicks);
  std::atomic<int> bought{0}, maxed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kClicks; ++i) {
    threads.emplace_back([&] {
      start.arrive_and_wait();
      Result<HintPurchase> p = campaign().BuyHint(ada, "lvl-1");
      if (p.ok()) {
        bought++;
      } else {
        EXPECT_THAT(p, StatusIs(StatusCode::kFailedPrecondition));
        maxed++;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(bought.load(), 3);
  EXPECT_EQ(maxed.load(), kClicks - 3);
  EXPECT_EQ(BalanceOf(ada.id), 1000 - 60);
  EXPECT_EQ(SumOfEntries(ada.id), 1000 - 60);
  std::vector<LedgerEntry> entries = EntriesOf(ada.id);
  EXPECT_EQ(std::count_if(entries.begin(), entries.end(),
                          [](const LedgerEntry& e) { return e.source == XpSource::kHintPurchase; }),
            3);
}

TEST_P(HintTest, AskingForABoughtTierAgainChargesNothing) {
  User ada = CreateUser("ada");
  Grant(ada.id, 100, "grant");
  constexpr int kClicks = 6;
  std::latch start(kClicks);
  std::vector<std::thread> threads;
  for (int i = 0; i < kClicks; ++i) {
    threads.emplace_back([&] {
      start.arrive_and_wait();
      EXPECT_THAT(campaign().BuyHint(ada, "lvl-1", /*tier=*/1), IsOk());
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(BalanceOf(ada.id), 90) << "a double click with the tier named buys it once";
  EXPECT_THAT(campaign().BuyHint(ada, "lvl-1", 3), StatusIs(StatusCode::kInvalidArgument)) << "tiers go in order";
  EXPECT_THAT(campaign().BuyHint(ada, "lvl-1", 4), StatusIs(StatusCode::kInvalidArgument));
}

TEST_P(HintTest, TheHintOfABoughtTierIsTheAuthoredOne) {
  User ada = CreateUser("ada");
  Grant(ada.id, 100, "grant");
  Result<HintAnswer> before = campaign().Hint(ada, "lvl-1", 1, "def add(a, b): pass");
  ASSERT_THAT(before, StatusIs(StatusCode::kInsufficientFunds));
  EXPECT_EQ(before.status().message(), "AI Hint Level 1 not purchased for this level.");
  ASSERT_THAT(campaign().BuyHint(ada, "lvl-1"), IsOk());
  Result<HintAnswer> hint = campaign().Hint(ada, "lvl-1", 1, "def add(a, b): pass");
  ASSERT_THAT(hint, IsOk());
  EXPECT_EQ(hint->text, "first hint");
  EXPECT_EQ(hint->tier, 1);
  EXPECT_EQ(hint->source, "authored");
  EXPECT_THAT(campaign().Hint(ada, "lvl-1", 2, ""), StatusIs(StatusCode::kInsufficientFunds));
  EXPECT_THAT(campaign().Hint(ada, "lvl-1", 4, ""), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(campaign().Hint(ada, "lvl-2", 1, ""), StatusIs(StatusCode::kPermissionDenied));
}

TEST_P(HintTest, DecodeHintQueryUsesTheReferencesMessages) {
  EXPECT_THAT(DecodeHintQuery("{}"), IsOk());
  Result<HintQuery> q = DecodeHintQuery(R"({"user_code": "x = 1", "hint_level": "2"})");
  ASSERT_THAT(q, IsOk());
  EXPECT_EQ(q->tier, 2);
  EXPECT_EQ(q->user_code, "x = 1");
  Result<HintQuery> abc = DecodeHintQuery(R"({"hint_level": "abc"})");
  EXPECT_EQ(abc.status().message(), "hint_level must be an integer between 1 and 3.");
  Result<HintQuery> four = DecodeHintQuery(R"({"hint_level": 4})");
  EXPECT_EQ(four.status().message(), "hint_level must be between 1 and 3.");
  EXPECT_THAT(DecodeHintQuery(R"({"user_code": 3})"), StatusIs(StatusCode::kInvalidArgument));
}

INSTANTIATE_TEST_SUITE_P(Backends, HintTest, ::testing::ValuesIn(AllBackends()), BackendParamName);

}  // namespace
}  // namespace clash::testing
