// The daily check-in on every backend, with a fake clock moved day by day: the 7-day reward cycle,
// one check-in per local day, streak freezes, the read-only status and the profile summary.
//
// Achievements may add XP for streaks (streak-starter, streak-master), so the check-in rewards
// are asserted through the check_in ledger entries, and balances against the sum of all entries.
#include <atomic>
#include <chrono>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "economy/economy_fixture.h"

namespace clash {
namespace {

using ::clash::testing::BackendParamName;
using ::clash::testing::EconomyTest;
using ::clash::testing::IsOk;
using ::clash::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;

constexpr std::chrono::hours kDay{24};

class CheckInTest : public EconomyTest {
 protected:
  void SetUp() override {
    EconomyTest::SetUp();
    clock_.Advance(std::chrono::hours(12));  // noon UTC on 2027-01-15
  }

  CheckIns& check_ins() { return engine().check_ins(); }
  CivilDate Today() { return check_ins().options().time_zone.LocalDate(clock_.Now()); }
  CivilDate DaysAfter(const CivilDate& d, int n) { return CivilDate::FromDaysSinceEpoch(d.DaysSinceEpoch() + n); }

  // The check_in ledger entries of the user, oldest first.
  std::vector<LedgerEntry> CheckInEntries(std::int64_t user_id) {
    std::vector<LedgerEntry> out;
    for (const LedgerEntry& e : EntriesOf(user_id)) {
      if (e.source == XpSource::kCheckIn) out.insert(out.begin(), e);
    }
    return out;
  }
  std::int64_t CheckInXp(std::int64_t user_id) {
    std::int64_t sum = 0;
    for (const LedgerEntry& e : CheckInEntries(user_id)) sum += e.amount;
    return sum;
  }

  // Checks in and expects success.
  CheckInOutcome MustCheckIn(std::int64_t user_id) {
    Result<CheckInOutcome> r = check_ins().CheckIn(user_id);
    EXPECT_THAT(r, IsOk());
    return r.ok() ? *r : CheckInOutcome{};
  }
};

TEST_P(CheckInTest, SevenDayCyclePaysFiveToThirtyFiveAndRestarts) {
  User ada = CreateUser("ada");
  const CivilDate first = Today();
  std::vector<int> cycle_days, streaks, rewards;
  for (int day = 0; day < 8; ++day) {
    CheckInOutcome c = MustCheckIn(ada.id);
    cycle_days.push_back(c.check_in.cycle_day);
    streaks.push_back(c.check_in.streak);
    rewards.push_back(c.check_in.xp_earned);
    EXPECT_EQ(c.check_in.date, DaysAfter(first, day));
    EXPECT_GT(c.check_in.id, 0);
    EXPECT_EQ(c.check_in.created_at, clock_.Now());
    EXPECT_FALSE(c.check_in.freeze_used);
    EXPECT_FALSE(c.streak_saved);
    EXPECT_EQ(c.is_new_cycle, day == 0 || day == 7);
    EXPECT_EQ(c.cycle_start_date, day < 7 ? first : DaysAfter(first, 7));
    EXPECT_EQ(c.freeze_earned, day == 6);
    EXPECT_EQ(c.freezes_left, day < 6 ? 0 : 1);
    EXPECT_EQ(c.total_xp, BalanceOf(ada.id));
    clock_.Advance(kDay);
  }
  EXPECT_THAT(cycle_days, ElementsAre(1, 2, 3, 4, 5, 6, 7, 1));
  EXPECT_THAT(streaks, ElementsAre(1, 2, 3, 4, 5, 6, 7, 8));
  EXPECT_THAT(rewards, ElementsAre(5, 10, 15, 20, 25, 30, 35, 5));

  // Every reward is one ledger entry: source check_in, key and reference of its date.
  std::vector<LedgerEntry> entries = CheckInEntries(ada.id);
  ASSERT_EQ(entries.size(), 8u);
  for (int day = 0; day < 8; ++day) {
    const std::string date = DaysAfter(first, day).ToString();
    EXPECT_EQ(entries[day].idempotency_key, "check-in:" + date);
    EXPECT_EQ(entries[day].reference, date);
    EXPECT_EQ(entries[day].amount, rewards[day]);
  }
  EXPECT_EQ(CheckInXp(ada.id), 145);
  EXPECT_EQ(BalanceOf(ada.id), SumOfEntries(ada.id));

  WalletRecord w = WalletOf(ada.id);
  EXPECT_EQ(w.streak, 8);
  EXPECT_EQ(w.cycle_day, 1);
  EXPECT_EQ(w.streak_freezes, 1);
  EXPECT_EQ(w.last_check_in_day, DaysAfter(first, 7).DaysSinceEpoch());
  EXPECT_EQ(w.cycle_start_day, DaysAfter(first, 7).DaysSinceEpoch());
}

TEST_P(CheckInTest, SecondCheckInTheSameDayIsRefused) {
  User ada = CreateUser("ada");
  CheckInOutcome c = MustCheckIn(ada.id);
  clock_.Advance(std::chrono::hours(11) + std::chrono::minutes(59));  // 23:59 the same day
  Result<CheckInOutcome> again = check_ins().CheckIn(ada.id);
  ASSERT_THAT(again, StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_EQ(again.status().message(), "Already checked in today");
  std::vector<StatusDetail> details = again.status().details();
  ASSERT_EQ(details.size(), 2u);
  EXPECT_EQ(details[0].key, "check_in_id");
  EXPECT_EQ(std::get<std::int64_t>(details[0].value), c.check_in.id);
  EXPECT_EQ(details[1].key, "check_in_date");
  EXPECT_EQ(std::get<std::string>(details[1].value), c.check_in.date.ToString());
  EXPECT_EQ(CheckInEntries(ada.id).size(), 1u);
  EXPECT_EQ(BalanceOf(ada.id), 5);

  // One minute later it is a new day.
  clock_.Advance(std::chrono::minutes(1));
  EXPECT_EQ(MustCheckIn(ada.id).check_in.streak, 2);
}

TEST_P(CheckInTest, OneMissedDayWithAFreezeKeepsTheStreak) {
  User ada = CreateUser("ada");
  for (int day = 0; day < 8; ++day) {  // a full cycle earns a freeze; day 8 starts cycle 2
    MustCheckIn(ada.id);
    clock_.Advance(kDay);
  }
  const CivilDate cycle2_start = DaysAfter(Today(), -1);
  const std::int64_t before = CheckInXp(ada.id);
  clock_.Advance(kDay);  // one day missed
  CheckInOutcome c = MustCheckIn(ada.id);
  EXPECT_TRUE(c.streak_saved);
  EXPECT_TRUE(c.check_in.freeze_used);
  EXPECT_EQ(c.freezes_left, 0);
  EXPECT_EQ(c.check_in.streak, 9);
  EXPECT_EQ(c.check_in.cycle_day, 2);
  EXPECT_EQ(c.check_in.xp_earned, 10);
  EXPECT_FALSE(c.is_new_cycle);
  EXPECT_EQ(c.cycle_start_date, cycle2_start);
  EXPECT_EQ(CheckInXp(ada.id), before + 10);
  EXPECT_EQ(WalletOf(ada.id).streak_freezes, 0);

  // The next day goes on normally; another missed day now breaks the streak (no freeze left).
  clock_.Advance(kDay);
  CheckInOutcome next = MustCheckIn(ada.id);
  EXPECT_FALSE(next.streak_saved);
  EXPECT_EQ(next.check_in.streak, 10);
  EXPECT_EQ(next.check_in.cycle_day, 3);
  clock_.Advance(2 * kDay);
  CheckInOutcome broken = MustCheckIn(ada.id);
  EXPECT_FALSE(broken.streak_saved);
  EXPECT_EQ(broken.check_in.streak, 1);
  EXPECT_EQ(broken.check_in.cycle_day, 1);
}

TEST_P(CheckInTest, OneMissedDayWithoutAFreezeResets) {
  User ada = CreateUser("ada");
  MustCheckIn(ada.id);
  clock_.Advance(kDay);
  MustCheckIn(ada.id);
  clock_.Advance(2 * kDay);
  CheckInOutcome c = MustCheckIn(ada.id);
  EXPECT_FALSE(c.streak_saved);
  EXPECT_FALSE(c.check_in.freeze_used);
  EXPECT_EQ(c.check_in.streak, 1);
  EXPECT_EQ(c.check_in.cycle_day, 1);
  EXPECT_EQ(c.check_in.xp_earned, 5);
  EXPECT_TRUE(c.is_new_cycle);
  EXPECT_EQ(c.cycle_start_date, Today());
  EXPECT_EQ(c.freezes_left, 0);
  EXPECT_EQ(CheckInXp(ada.id), 5 + 10 + 5);
}

TEST_P(CheckInTest, TwoMissedDaysResetAndKeepTheFreezes) {
  User ada = CreateUser("ada");
  for (int day = 0; day < 7; ++day) {
    MustCheckIn(ada.id);
    clock_.Advance(kDay);
  }
  ASSERT_EQ(WalletOf(ada.id).streak_freezes, 1);
  clock_.Advance(2 * kDay);  // two days missed
  CheckInOutcome c = MustCheckIn(ada.id);
  EXPECT_FALSE(c.streak_saved);
  EXPECT_EQ(c.check_in.streak, 1);
  EXPECT_EQ(c.check_in.cycle_day, 1);
  EXPECT_TRUE(c.is_new_cycle);
  EXPECT_EQ(c.freezes_left, 1);
  EXPECT_EQ(WalletOf(ada.id).streak_freezes, 1);
}

TEST_P(CheckInTest, FreezesAreEarnedOnDaySevenUpToTheCap) {
  User ada = CreateUser("ada");
  std::vector<int> freezes;
  std::vector<int> earned_on;
  for (int day = 1; day <= 21; ++day) {
    CheckInOutcome c = MustCheckIn(ada.id);
    freezes.push_back(c.freezes_left);
    if (c.freeze_earned) earned_on.push_back(day);
    clock_.Advance(kDay);
  }
  ASSERT_EQ(check_ins().options().max_freezes, 2);
  EXPECT_THAT(earned_on, ElementsAre(7, 14));  // day 21 completes a cycle, but 2 are held
  EXPECT_EQ(freezes[5], 0);
  EXPECT_EQ(freezes[6], 1);
  EXPECT_EQ(freezes[13], 2);
  EXPECT_EQ(freezes[20], 2);
  EXPECT_EQ(CheckInXp(ada.id), 3 * 140);
}

TEST_P(CheckInTest, ConcurrentCheckInsOfOneUserPayOnce) {
  User ada = CreateUser("ada");
  constexpr int kThreads = 8;
  std::atomic<int> ok{0}, already{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      Result<CheckInOutcome> r = check_ins().CheckIn(ada.id);
      if (r.ok()) {
        ++ok;
      } else if (r.status().code() == StatusCode::kFailedPrecondition &&
                 r.status().message() == "Already checked in today") {
        ++already;
      } else {
        ADD_FAILURE() << r.status();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(already.load(), kThreads - 1);
  EXPECT_EQ(BalanceOf(ada.id), 5);
  EXPECT_EQ(SumOfEntries(ada.id), 5);
  EXPECT_EQ(EntriesOf(ada.id).size(), 1u);
}

TEST_P(CheckInTest, StatusFollowsTheDaysAndNeverWrites) {
  User ada = CreateUser("ada");
  const CivilDate first = Today();
  // A fresh user: nothing checked in, nothing created by asking.
  for (int i = 0; i < 2; ++i) {
    Result<CheckInStatus> s = check_ins().Status(ada.id);
    ASSERT_THAT(s, IsOk());
    EXPECT_EQ(s->today, first);
    EXPECT_FALSE(s->checked_in_today);
    EXPECT_EQ(s->current_streak, 0);
    EXPECT_EQ(s->cycle_day, 1);
    EXPECT_EQ(s->cycle_start_date, first);
    EXPECT_FALSE(s->today_check_in.has_value());
    EXPECT_THAT(s->recent, IsEmpty());
    EXPECT_EQ(s->freezes_left, 0);
  }
  WalletRecord fresh;
  fresh.user_id = ada.id;
  EXPECT_EQ(WalletOf(ada.id), fresh);
  EXPECT_THAT(EntriesOf(ada.id), IsEmpty());
  EXPECT_EQ(BalanceOf(ada.id), 0);

  // Checked in today.
  CheckInOutcome c1 = MustCheckIn(ada.id);
  const WalletRecord after_check_in = WalletOf(ada.id);
  Result<CheckInStatus> s = check_ins().Status(ada.id);
  ASSERT_THAT(s, IsOk());
  EXPECT_TRUE(s->checked_in_today);
  EXPECT_EQ(s->current_streak, 1);
  EXPECT_EQ(s->cycle_day, 1);
  EXPECT_EQ(s->cycle_start_date, first);
  ASSERT_TRUE(s->today_check_in.has_value());
  EXPECT_EQ(s->today_check_in->id, c1.check_in.id);
  EXPECT_EQ(s->today_check_in->xp_earned, 5);
  EXPECT_THAT(s->recent, ElementsAre(Field(&CheckInRecord::id, c1.check_in.id)));

  // The next day, before checking in: the streak can go on, the next check-in is day 2.
  clock_.Advance(kDay);
  s = check_ins().Status(ada.id);
  ASSERT_THAT(s, IsOk());
  EXPECT_FALSE(s->checked_in_today);
  EXPECT_EQ(s->current_streak, 1);
  EXPECT_EQ(s->cycle_day, 2);
  EXPECT_EQ(s->cycle_start_date, first);
  EXPECT_THAT(s->recent, ElementsAre(Field(&CheckInRecord::id, c1.check_in.id)));
  CheckInOutcome c2 = MustCheckIn(ada.id);
  s = check_ins().Status(ada.id);
  ASSERT_THAT(s, IsOk());
  EXPECT_EQ(s->current_streak, 2);
  EXPECT_EQ(s->cycle_day, 2);
  EXPECT_THAT(s->recent,
              ElementsAre(Field(&CheckInRecord::id, c2.check_in.id), Field(&CheckInRecord::id, c1.check_in.id)));

  // Two days later (one missed, no freeze): broken. The next check-in starts a cycle today.
  clock_.Advance(2 * kDay);
  const WalletRecord before = WalletOf(ada.id);
  const std::int64_t balance = BalanceOf(ada.id);
  s = check_ins().Status(ada.id);
  ASSERT_THAT(s, IsOk());
  EXPECT_FALSE(s->checked_in_today);
  EXPECT_EQ(s->current_streak, 0);
  EXPECT_EQ(s->cycle_day, 1);
  EXPECT_EQ(s->cycle_start_date, Today());
  EXPECT_THAT(s->recent, IsEmpty());
  EXPECT_EQ(WalletOf(ada.id), before);  // Status did not reset anything
  EXPECT_EQ(BalanceOf(ada.id), balance);
  EXPECT_NE(after_check_in, before);
}

TEST_P(CheckInTest, StatusCountsAFreezeForOneMissedDay) {
  User ada = CreateUser("ada");
  for (int day = 0; day < 7; ++day) {
    MustCheckIn(ada.id);
    clock_.Advance(kDay);
  }
  MustCheckIn(ada.id);  // day 8: cycle 2, day 1
  const CivilDate cycle2 = Today();
  clock_.Advance(2 * kDay);  // yesterday missed, a freeze is held
  Result<CheckInStatus> s = check_ins().Status(ada.id);
  ASSERT_THAT(s, IsOk());
  EXPECT_EQ(s->current_streak, 8);
  EXPECT_EQ(s->cycle_day, 2);
  EXPECT_EQ(s->cycle_start_date, cycle2);
  EXPECT_EQ(s->freezes_left, 1);
  EXPECT_EQ(s->recent.size(), 1u);
  clock_.Advance(kDay);  // two missed: broken, the freeze stays
  s = check_ins().Status(ada.id);
  ASSERT_THAT(s, IsOk());
  EXPECT_EQ(s->current_streak, 0);
  EXPECT_EQ(s->cycle_day, 1);
  EXPECT_EQ(s->freezes_left, 1);
}

TEST_P(CheckInTest, CheckInPublishesAnEventInItsTransaction) {
  User ada = CreateUser("ada");
  std::vector<CheckedIn> seen;
  bool fail = false;
  engine().events().Subscribe([&](StorageTransaction&, const Event& e, Timestamp now) -> Status {
    EXPECT_EQ(now, clock_.Now());
    if (const auto* c = std::get_if<CheckedIn>(&e)) seen.push_back(*c);
    return fail ? Status::Unavailable("handler down") : Status::Ok();
  });
  MustCheckIn(ada.id);
  clock_.Advance(kDay);
  MustCheckIn(ada.id);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[1].user_id, ada.id);
  EXPECT_EQ(seen[1].cycle_day, 2);
  EXPECT_EQ(seen[1].streak, 2);

  // A failing handler rolls the whole check-in back.
  clock_.Advance(kDay);
  fail = true;
  const std::int64_t balance = BalanceOf(ada.id);
  EXPECT_THAT(check_ins().CheckIn(ada.id), StatusIs(StatusCode::kUnavailable));
  EXPECT_EQ(BalanceOf(ada.id), balance);
  EXPECT_EQ(CheckInEntries(ada.id).size(), 2u);
  Result<CheckInStatus> s = check_ins().Status(ada.id);
  ASSERT_THAT(s, IsOk());
  EXPECT_FALSE(s->checked_in_today);
  fail = false;
  EXPECT_EQ(MustCheckIn(ada.id).check_in.streak, 3);
}

TEST_P(CheckInTest, SummaryShowsTheWalletAndCreatesTheCodeOnce) {
  User ada = CreateUser("ada");
  for (int day = 0; day < 7; ++day) {
    MustCheckIn(ada.id);
    clock_.Advance(kDay);
  }
  Result<WalletSummary> s = check_ins().Summary(ada.id);
  ASSERT_THAT(s, IsOk());
  EXPECT_EQ(s->xp, BalanceOf(ada.id));
  EXPECT_GE(s->xp, 140);
  EXPECT_EQ(s->streak_freezes, 1);
  EXPECT_EQ(s->current_streak, 7);
  EXPECT_FALSE(s->is_referred);
  EXPECT_TRUE(std::regex_match(s->referral_code, std::regex("[A-Z0-9]{8}"))) << s->referral_code;
  Result<WalletSummary> again = check_ins().Summary(ada.id);
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(again->referral_code, s->referral_code);
  EXPECT_THAT(engine().referrals().CodeOf(ada.id), ::clash::testing::IsOkAndHolds(s->referral_code));

  clock_.Advance(3 * kDay);
  again = check_ins().Summary(ada.id);
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(again->current_streak, 0);
  EXPECT_EQ(again->streak_freezes, 1);
}

TEST_P(CheckInTest, UnknownUser) {
  User ada = CreateUser("ada");
  const std::int64_t ghost = ada.id + 1000;
  for (const Status& s :
       {check_ins().CheckIn(ghost).status(), check_ins().Status(ghost).status(), check_ins().Summary(ghost).status()}) {
    EXPECT_THAT(s, StatusIs(StatusCode::kNotFound));
    EXPECT_EQ(s.message(), "User not found");
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, CheckInTest, ::testing::ValuesIn(AllBackends()), BackendParamName);

// Dates in Asia/Kolkata (+05:30): local midnight is 18:30 UTC.
class KolkataCheckInTest : public CheckInTest {
 protected:
  void Configure(EngineOptions& opts) override {
    Result<TimeZone> tz = TimeZone::Load("Asia/Kolkata");
    ASSERT_THAT(tz, IsOk());
    opts.check_in.time_zone = *tz;
  }
};

TEST_P(KolkataCheckInTest, AnHourApartAcrossLocalMidnightIsTwoDays) {
  User ada = CreateUser("ada");
  clock_.Set(Timestamp::FromUnixSeconds(::clash::testing::kEconomyEpochSeconds + 18 * 3600 + 29 * 60));  // 23:59 IST
  const Timestamp first_at = clock_.Now();
  CheckInOutcome first = MustCheckIn(ada.id);
  EXPECT_EQ(first.check_in.date, (CivilDate{2027, 1, 15}));
  clock_.Advance(std::chrono::hours(1));  // 00:59 IST the next day, still the 15th in UTC
  EXPECT_EQ(TimeZone().LocalDate(first_at), TimeZone().LocalDate(clock_.Now()));
  CheckInOutcome second = MustCheckIn(ada.id);
  EXPECT_EQ(second.check_in.date, (CivilDate{2027, 1, 16}));
  EXPECT_EQ(second.check_in.streak, 2);
  EXPECT_EQ(second.check_in.cycle_day, 2);
  EXPECT_EQ(second.check_in.xp_earned, 10);
  std::vector<LedgerEntry> entries = CheckInEntries(ada.id);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].idempotency_key, "check-in:2027-01-15");
  EXPECT_EQ(entries[1].idempotency_key, "check-in:2027-01-16");

  // Later the same local day is refused, even though it is a new UTC day by then.
  clock_.Advance(std::chrono::hours(6));  // 06:59 IST, 01:29 UTC on the 16th
  EXPECT_THAT(check_ins().CheckIn(ada.id), StatusIs(StatusCode::kFailedPrecondition));
  Result<CheckInStatus> s = check_ins().Status(ada.id);
  ASSERT_THAT(s, IsOk());
  EXPECT_EQ(s->today, (CivilDate{2027, 1, 16}));
  EXPECT_TRUE(s->checked_in_today);
}

INSTANTIATE_TEST_SUITE_P(Backends, KolkataCheckInTest, ::testing::ValuesIn(AllBackends()), BackendParamName);

}  // namespace
}  // namespace clash
