// Referrals on every backend: codes, redemption with its two awards, and the refusals (twice, own
// code, unknown code, cycles of any length, also when two users redeem each other's code at once).
#include <algorithm>
#include <atomic>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "economy/economy_fixture.h"

namespace clash {
namespace {

using ::clash::testing::BackendParamName;
using ::clash::testing::EconomyTest;
using ::clash::testing::IsOk;
using ::clash::testing::IsOkAndHolds;
using ::clash::testing::StatusIs;

class ReferralTest : public EconomyTest {
 protected:
  Referrals& referrals() { return engine().referrals(); }
  std::string CodeOf(const User& u) {
    Result<std::string> code = referrals().CodeOf(u.id);
    EXPECT_THAT(code, IsOk());
    return code.ok() ? *code : "";
  }
  // Expects `status` to have `code` and `message`.
  static void ExpectError(const Status& status, StatusCode code, const std::string& message) {
    EXPECT_THAT(status, StatusIs(code));
    EXPECT_EQ(status.message(), message);
  }
  void ExpectCycle(const User& redeemer, const User& owner) {
    ExpectError(referrals().Redeem(redeemer.id, CodeOf(owner)).status(), StatusCode::kFailedPrecondition,
                "Referral codes cannot form a cycle");
  }
};

TEST_P(ReferralTest, CodesAreEightCharactersCreatedOnce) {
  User ada = CreateUser("ada");
  User bob = CreateUser("bob");
  const std::string code = CodeOf(ada);
  EXPECT_TRUE(std::regex_match(code, std::regex("[A-Z0-9]{8}"))) << code;
  EXPECT_EQ(CodeOf(ada), code);
  EXPECT_NE(CodeOf(bob), code);
  Result<std::string> ghost = referrals().CodeOf(ada.id + 1000);
  ExpectError(ghost.status(), StatusCode::kNotFound, "User not found");
}

TEST_P(ReferralTest, RedeemingAwardsBothSides) {
  User ada = CreateUser("ada");
  User bob = CreateUser("bob");
  Grant(bob.id, 20, "grant");
  std::string code = CodeOf(ada);
  std::string typed = "  " + code + "\t";
  std::transform(typed.begin(), typed.end(), typed.begin(), [](unsigned char c) { return std::tolower(c); });

  Result<ReferralOutcome> r = referrals().Redeem(bob.id, typed);
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->referrer_id, ada.id);
  EXPECT_EQ(r->redeemer_xp_awarded, 100);
  EXPECT_EQ(r->referrer_xp_awarded, 100);
  EXPECT_EQ(r->new_total_xp, 120);
  EXPECT_EQ(r->referrer_new_total_xp, 100);
  EXPECT_EQ(BalanceOf(bob.id), 120);
  EXPECT_EQ(BalanceOf(ada.id), 100);
  EXPECT_EQ(SumOfEntries(bob.id), 120);
  EXPECT_EQ(SumOfEntries(ada.id), 100);

  std::vector<LedgerEntry> bobs = EntriesOf(bob.id);
  ASSERT_EQ(bobs.size(), 2u);
  EXPECT_EQ(bobs[0].source, XpSource::kReferral);
  EXPECT_EQ(bobs[0].amount, 100);
  EXPECT_EQ(bobs[0].idempotency_key, "referral:redeemed");
  EXPECT_EQ(bobs[0].reference, std::to_string(ada.id));
  std::vector<LedgerEntry> adas = EntriesOf(ada.id);
  ASSERT_EQ(adas.size(), 1u);
  EXPECT_EQ(adas[0].source, XpSource::kReferral);
  EXPECT_EQ(adas[0].idempotency_key, "referral:referred:" + std::to_string(bob.id));
  EXPECT_EQ(adas[0].reference, std::to_string(bob.id));

  EXPECT_EQ(WalletOf(bob.id).referred_by, ada.id);
  EXPECT_FALSE(WalletOf(ada.id).referred_by.has_value());
  Result<WalletSummary> summary = engine().check_ins().Summary(bob.id);
  ASSERT_THAT(summary, IsOk());
  EXPECT_TRUE(summary->is_referred);
  EXPECT_EQ(summary->xp, 120);

  // A referrer is paid once per person they refer.
  User cat = CreateUser("cat");
  Result<ReferralOutcome> second = referrals().Redeem(cat.id, code);
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(second->referrer_new_total_xp, 200);
  EXPECT_EQ(BalanceOf(ada.id), 200);
}

TEST_P(ReferralTest, RedeemingTwiceIsRefused) {
  User ada = CreateUser("ada");
  User bob = CreateUser("bob");
  User cat = CreateUser("cat");
  ASSERT_THAT(referrals().Redeem(bob.id, CodeOf(ada)), IsOk());
  for (const std::string& code : {CodeOf(ada), CodeOf(cat)}) {
    ExpectError(referrals().Redeem(bob.id, code).status(), StatusCode::kFailedPrecondition,
                "You have already redeemed a referral code");
  }
  EXPECT_EQ(BalanceOf(bob.id), 100);
  EXPECT_EQ(BalanceOf(ada.id), 100);
  EXPECT_EQ(BalanceOf(cat.id), 0);
}

// Deleting the referrer clears the redeemer's referred_by; redeeming again is still refused with the
// same message, and nobody is paid.
TEST_P(ReferralTest, RedeemingAgainAfterTheReferrerIsDeletedIsRefused) {
  User ada = CreateUser("ada");
  User bob = CreateUser("bob");
  User cat = CreateUser("cat");
  ASSERT_THAT(referrals().Redeem(bob.id, CodeOf(ada)), IsOk());
  const std::string cat_code = CodeOf(cat);
  ASSERT_THAT(storage().Transact([&](StorageTransaction& tx) { return tx.users().Delete(ada.id); }), IsOk());
  ExpectError(referrals().Redeem(bob.id, cat_code).status(), StatusCode::kFailedPrecondition,
              "You have already redeemed a referral code");
  EXPECT_EQ(BalanceOf(bob.id), 100);
  EXPECT_EQ(BalanceOf(cat.id), 0);
}

TEST_P(ReferralTest, OwnUnknownAndEmptyCodesAreRefused) {
  User ada = CreateUser("ada");
  const std::string own = CodeOf(ada);
  ExpectError(referrals().Redeem(ada.id, own).status(), StatusCode::kFailedPrecondition,
              "Cannot redeem your own referral code");
  std::string unknown = own == "ZZZZZZZZ" ? "YYYYYYYY" : "ZZZZZZZZ";
  ExpectError(referrals().Redeem(ada.id, unknown).status(), StatusCode::kNotFound, "Invalid referral code");
  ExpectError(referrals().Redeem(ada.id, std::string(5000, 'A')).status(), StatusCode::kNotFound,
              "Invalid referral code");
  for (const char* empty : {"", "   ", "\t\n"}) {
    ExpectError(referrals().Redeem(ada.id, empty).status(), StatusCode::kInvalidArgument, "Referral code is required");
  }
  ExpectError(referrals().Redeem(ada.id + 1000, own).status(), StatusCode::kNotFound, "User profile not found");
  EXPECT_EQ(BalanceOf(ada.id), 0);
  EXPECT_FALSE(WalletOf(ada.id).referred_by.has_value());
}

TEST_P(ReferralTest, DirectCycleIsRefused) {
  User ada = CreateUser("ada");
  User bob = CreateUser("bob");
  ASSERT_THAT(referrals().Redeem(bob.id, CodeOf(ada)), IsOk());  // ada referred bob
  ExpectCycle(ada, bob);
  EXPECT_FALSE(WalletOf(ada.id).referred_by.has_value());
  EXPECT_EQ(BalanceOf(ada.id), 100);
  EXPECT_EQ(BalanceOf(bob.id), 100);
}

TEST_P(ReferralTest, LongerCyclesAreRefused) {
  User a = CreateUser("a");
  User b = CreateUser("b");
  User c = CreateUser("c");
  User d = CreateUser("d");
  ASSERT_THAT(referrals().Redeem(b.id, CodeOf(a)), IsOk());  // a → b
  ASSERT_THAT(referrals().Redeem(c.id, CodeOf(b)), IsOk());  // b → c
  ExpectCycle(a, c);
  ExpectCycle(a, b);
  // Outside the chain is fine: d joins below c; then a cannot redeem d's code either.
  ASSERT_THAT(referrals().Redeem(d.id, CodeOf(c)), IsOk());  // c → d
  ExpectCycle(a, d);
  // a may still be referred by someone new.
  User e = CreateUser("e");
  EXPECT_THAT(referrals().Redeem(a.id, CodeOf(e)), IsOk());
  EXPECT_EQ(WalletOf(a.id).referred_by, e.id);
  // a received 100 for referring b and 100 for redeeming e's code.
  EXPECT_EQ(BalanceOf(a.id), 200);
}

TEST_P(ReferralTest, MutualRedemptionsAtOnceNeverBothSucceed) {
  constexpr int kRounds = 12;
  for (int round = 0; round < kRounds; ++round) {
    User x = CreateUser("x" + std::to_string(round));
    User y = CreateUser("y" + std::to_string(round));
    const std::string x_code = CodeOf(x);
    const std::string y_code = CodeOf(y);
    std::atomic<int> ready{0};
    Result<ReferralOutcome> rx = Status::Internal("not run");
    Result<ReferralOutcome> ry = Status::Internal("not run");
    auto run = [&](const User& who, const std::string& code, Result<ReferralOutcome>* out) {
      ++ready;
      while (ready.load() < 2) std::this_thread::yield();
      *out = referrals().Redeem(who.id, code);
    };
    std::thread tx_thread(run, std::cref(x), std::cref(y_code), &rx);
    std::thread ty_thread(run, std::cref(y), std::cref(x_code), &ry);
    tx_thread.join();
    ty_thread.join();
    ASSERT_NE(rx.ok(), ry.ok()) << "round " << round << ": " << rx.status() << " / " << ry.status();
    const Status& refused = rx.ok() ? ry.status() : rx.status();
    ExpectError(refused, StatusCode::kFailedPrecondition, "Referral codes cannot form a cycle");
    EXPECT_EQ(BalanceOf(x.id), 100);
    EXPECT_EQ(BalanceOf(y.id), 100);
    EXPECT_NE(WalletOf(x.id).referred_by.has_value(), WalletOf(y.id).referred_by.has_value());
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, ReferralTest, ::testing::ValuesIn(AllBackends()), BackendParamName);

}  // namespace
}  // namespace clash
