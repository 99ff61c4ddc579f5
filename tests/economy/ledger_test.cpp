// The XP ledger on every backend: entries and balances move together, keys make retries safe, a
// balance never goes negative (also under concurrent spends), staff adjustments, history paging.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "economy/economy_fixture.h"
#include "economy/ledger_internal.h"

namespace clash {
namespace {

using ::clash::testing::BackendParamName;
using ::clash::testing::EconomyTest;
using ::clash::testing::IsOk;
using ::clash::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::Field;

class LedgerTest : public EconomyTest {
 protected:
  Ledger& ledger() { return engine().ledger(); }
  Result<LedgerResult> Change(std::int64_t user_id, std::int64_t amount, const std::string& key,
                              XpSource source = XpSource::kChallengeCompletion, const std::string& reference = "ref") {
    return ledger().Apply(
        {.user_id = user_id, .amount = amount, .source = source, .reference = reference, .idempotency_key = key});
  }
};

XpChange Credit(std::int64_t user_id, std::int64_t amount, const std::string& key) {
  return {
      .user_id = user_id, .amount = amount, .source = XpSource::kAchievement, .reference = "", .idempotency_key = key};
}

// The value of detail `key`, as text (numbers rendered in decimal), or "<missing>".
std::string Detail(const Status& s, const std::string& key) {
  for (const StatusDetail& d : s.details()) {
    if (d.key != key) continue;
    if (const auto* n = std::get_if<std::int64_t>(&d.value)) return std::to_string(*n);
    return std::get<std::string>(d.value);
  }
  return "<missing>";
}

TEST_P(LedgerTest, CreditsAndDebitsMoveEntryAndBalanceTogether) {
  User ada = CreateUser("ada");
  clock_.Advance(std::chrono::seconds(5));
  Result<LedgerResult> credit = Change(ada.id, 100, "level:python-001", XpSource::kChallengeCompletion, "python-001");
  ASSERT_THAT(credit, IsOk());
  EXPECT_TRUE(credit->applied);
  EXPECT_EQ(credit->balance, 100);
  EXPECT_GT(credit->entry.id, 0);
  EXPECT_EQ(credit->entry.user_id, ada.id);
  EXPECT_EQ(credit->entry.amount, 100);
  EXPECT_EQ(credit->entry.source, XpSource::kChallengeCompletion);
  EXPECT_EQ(credit->entry.reference, "python-001");
  EXPECT_EQ(credit->entry.idempotency_key, "level:python-001");
  EXPECT_EQ(credit->entry.created_at, clock_.Now());

  Result<LedgerResult> debit = Change(ada.id, -30, "hint:python-001:1", XpSource::kHintPurchase, "python-001");
  ASSERT_THAT(debit, IsOk());
  EXPECT_EQ(debit->balance, 70);
  EXPECT_GT(debit->entry.id, credit->entry.id);
  EXPECT_EQ(BalanceOf(ada.id), 70);
  EXPECT_EQ(SumOfEntries(ada.id), 70);
  EXPECT_EQ(WalletOf(ada.id).balance, 70);
  EXPECT_THAT(EntriesOf(ada.id), ElementsAre(debit->entry, credit->entry));

  // Spending everything down to zero is allowed.
  EXPECT_THAT(Change(ada.id, -70, "spend-all"), IsOk());
  EXPECT_EQ(BalanceOf(ada.id), 0);

  // Another user's balance is separate; a user without entries has 0.
  User bob = CreateUser("bob");
  EXPECT_EQ(BalanceOf(bob.id), 0);
  EXPECT_TRUE(EntriesOf(bob.id).empty());
}

TEST_P(LedgerTest, SameKeyTwiceAppliesOnce) {
  User ada = CreateUser("ada");
  Result<LedgerResult> first = Change(ada.id, 50, "award:1");
  ASSERT_THAT(first, IsOk());
  clock_.Advance(std::chrono::minutes(1));
  Result<LedgerResult> again = Change(ada.id, 50, "award:1");
  ASSERT_THAT(again, IsOk());
  EXPECT_FALSE(again->applied);
  EXPECT_EQ(again->entry, first->entry);  // the earlier entry, its time included
  EXPECT_EQ(again->balance, 50);
  EXPECT_EQ(EntriesOf(ada.id).size(), 1u);

  // The balance reported for a repeat is the current one.
  ASSERT_THAT(Change(ada.id, 25, "award:2"), IsOk());
  Result<LedgerResult> third = Change(ada.id, 50, "award:1");
  ASSERT_THAT(third, IsOk());
  EXPECT_FALSE(third->applied);
  EXPECT_EQ(third->balance, 75);

  // Keys are per user: the same key for another user is a new change.
  User bob = CreateUser("bob");
  Result<LedgerResult> bobs = Change(bob.id, 50, "award:1");
  ASSERT_THAT(bobs, IsOk());
  EXPECT_TRUE(bobs->applied);
  EXPECT_EQ(BalanceOf(bob.id), 50);
}

TEST_P(LedgerTest, SameKeyForADifferentChangeIsRefused) {
  User ada = CreateUser("ada");
  ASSERT_THAT(Change(ada.id, 50, "k", XpSource::kAchievement, "first-level"), IsOk());
  for (auto r : {Change(ada.id, 51, "k", XpSource::kAchievement, "first-level"),
                 Change(ada.id, 50, "k", XpSource::kReferral, "first-level"),
                 Change(ada.id, 50, "k", XpSource::kAchievement, "other")}) {
    EXPECT_THAT(r, StatusIs(StatusCode::kFailedPrecondition));
    EXPECT_EQ(r.status().message(), "idempotency key already used for a different change");
  }
  EXPECT_EQ(BalanceOf(ada.id), 50);
  EXPECT_EQ(EntriesOf(ada.id).size(), 1u);
}

TEST_P(LedgerTest, InsufficientFundsChangesNothingAndCarriesTheDetails) {
  User ada = CreateUser("ada");
  Grant(ada.id, 20, "grant");
  Result<LedgerResult> r = Change(ada.id, -50, "buy:theme", XpSource::kStorePurchase, "theme-1");
  ASSERT_THAT(r, StatusIs(StatusCode::kInsufficientFunds));
  EXPECT_EQ(r.status().message(), "Insufficient XP");
  EXPECT_EQ(Detail(r.status(), "detail"), "This costs 50 XP but you have 20.");
  EXPECT_EQ(Detail(r.status(), "required_xp"), "50");
  EXPECT_EQ(Detail(r.status(), "current_xp"), "20");
  EXPECT_EQ(Detail(r.status(), "shortage"), "30");
  EXPECT_EQ(Detail(r.status(), "how_to_earn"), "Complete levels, check in daily or buy XP.");
  EXPECT_EQ(BalanceOf(ada.id), 20);
  EXPECT_EQ(SumOfEntries(ada.id), 20);
  EXPECT_EQ(EntriesOf(ada.id).size(), 1u);

  // The key was not consumed: once the XP is there the same purchase goes through.
  Grant(ada.id, 30, "grant-2");
  Result<LedgerResult> retry = Change(ada.id, -50, "buy:theme", XpSource::kStorePurchase, "theme-1");
  ASSERT_THAT(retry, IsOk());
  EXPECT_TRUE(retry->applied);
  EXPECT_EQ(retry->balance, 0);
}

TEST(InsufficientXpTest, CustomMessageKeepsTheDetails) {
  Status s = internal::InsufficientXp(120, 45, "Insufficient XP. Need 75 more.");
  EXPECT_EQ(s.code(), StatusCode::kInsufficientFunds);
  EXPECT_EQ(s.message(), "Insufficient XP. Need 75 more.");
  EXPECT_EQ(Detail(s, "detail"), "This costs 120 XP but you have 45.");
  EXPECT_EQ(Detail(s, "shortage"), "75");
  EXPECT_EQ(Detail(s, "required_xp"), "120");
  EXPECT_EQ(Detail(s, "current_xp"), "45");
  ASSERT_EQ(s.details().size(), 5u);
  EXPECT_EQ(s.details()[0].key, "detail");
}

TEST_P(LedgerTest, RejectsMalformedChanges) {
  User ada = CreateUser("ada");
  const std::string key200(200, 'k');
  const std::string ref200(200, 'r');
  EXPECT_THAT(Change(ada.id, 0, "zero"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(Change(ada.id, 5, ""), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(Change(ada.id, 5, key200 + "k"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(Change(ada.id, 5, "long-ref", XpSource::kAchievement, ref200 + "r"),
              StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(Change(0, 5, "no-user"), StatusIs(StatusCode::kInvalidArgument));
  Result<LedgerResult> unknown = Change(ada.id + 1000, 5, "unknown-user");
  EXPECT_THAT(unknown, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(unknown.status().message(), "unknown user");
  EXPECT_EQ(BalanceOf(ada.id), 0);
  // The limits themselves are fine.
  EXPECT_THAT(Change(ada.id, 5, key200, XpSource::kAchievement, ref200), IsOk());
  EXPECT_EQ(BalanceOf(ada.id), 5);
}

TEST_P(LedgerTest, ApplyInCommitsAndRollsBackWithTheCaller) {
  User ada = CreateUser("ada");
  // The caller fails after the change: nothing stays.
  Status failed = storage().Transact([&](StorageTransaction& tx) -> Status {
    CLASH_RETURN_IF_ERROR(Ledger::ApplyIn(tx, Credit(ada.id, 40, "a"), clock_.Now()));
    return Status::FailedPrecondition("the caller changed its mind");
  });
  EXPECT_THAT(failed, StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_EQ(BalanceOf(ada.id), 0);
  EXPECT_TRUE(EntriesOf(ada.id).empty());

  // A credit followed by a spend that cannot be paid: both roll back.
  Status overdrawn = storage().Transact([&](StorageTransaction& tx) -> Status {
    CLASH_RETURN_IF_ERROR(Ledger::ApplyIn(tx, Credit(ada.id, 40, "b"), clock_.Now()));
    return Ledger::ApplyIn(tx, Credit(ada.id, -41, "c"), clock_.Now()).status();
  });
  EXPECT_THAT(overdrawn, StatusIs(StatusCode::kInsufficientFunds));
  EXPECT_EQ(BalanceOf(ada.id), 0);
  EXPECT_EQ(SumOfEntries(ada.id), 0);

  // Two changes in one transaction commit together.
  Status both = storage().Transact([&](StorageTransaction& tx) -> Status {
    CLASH_RETURN_IF_ERROR(Ledger::ApplyIn(tx, Credit(ada.id, 40, "b"), clock_.Now()));
    return Ledger::ApplyIn(tx, Credit(ada.id, -15, "c"), clock_.Now()).status();
  });
  EXPECT_THAT(both, IsOk());
  EXPECT_EQ(BalanceOf(ada.id), 25);
  EXPECT_EQ(EntriesOf(ada.id).size(), 2u);
}

TEST_P(LedgerTest, HistoryPagesNewestFirst) {
  User ada = CreateUser("ada");
  User bob = CreateUser("bob");
  for (int i = 1; i <= 7; ++i) {
    ASSERT_THAT(Change(ada.id, i, "e" + std::to_string(i)), IsOk());
    ASSERT_THAT(Change(bob.id, 100, "b" + std::to_string(i)), IsOk());
  }
  std::vector<std::int64_t> amounts;
  std::optional<std::int64_t> before;
  std::vector<std::size_t> page_sizes;
  do {
    Result<LedgerPage> page = ledger().History(ada.id, 3, before);
    ASSERT_THAT(page, IsOk());
    page_sizes.push_back(page->entries.size());
    for (const LedgerEntry& e : page->entries) {
      EXPECT_EQ(e.user_id, ada.id);
      amounts.push_back(e.amount);
    }
    if (page->next_before_id) {
      EXPECT_EQ(*page->next_before_id, page->entries.back().id);
    }
    before = page->next_before_id;
  } while (before.has_value());
  EXPECT_THAT(page_sizes, ElementsAre(3u, 3u, 1u));
  EXPECT_THAT(amounts, ElementsAre(7, 6, 5, 4, 3, 2, 1));

  // A page that ends exactly at the last entry says there is no more.
  Result<LedgerPage> all = ledger().History(ada.id, 7);
  ASSERT_THAT(all, IsOk());
  EXPECT_EQ(all->entries.size(), 7u);
  EXPECT_FALSE(all->next_before_id.has_value());
  Result<LedgerPage> six = ledger().History(ada.id, 6);
  ASSERT_THAT(six, IsOk());
  ASSERT_TRUE(six->next_before_id.has_value());
  Result<LedgerPage> last = ledger().History(ada.id, 1, six->next_before_id);
  ASSERT_THAT(last, IsOk());
  EXPECT_THAT(last->entries, ElementsAre(Field(&LedgerEntry::amount, 1)));
  EXPECT_FALSE(last->next_before_id.has_value());

  EXPECT_THAT(ledger().History(ada.id, 0), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(ledger().History(ada.id, 201), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(ledger().History(ada.id, 200), IsOk());
}

TEST_P(LedgerTest, AdjustIsForStaffOnPlainUsers) {
  User ada = CreateUser("ada");
  User eve = CreateUser("eve");
  User staff = MakeStaff("staff");
  User other_staff = MakeStaff("staff2");
  User root = MakeSuperuser("root");

  EXPECT_THAT(ledger().Adjust(eve, ada.id, 10, "nope", "adj-1"), StatusIs(StatusCode::kPermissionDenied));
  // A plain user learns nothing about which ids exist.
  EXPECT_THAT(ledger().Adjust(eve, ada.id + 1000, 10, "nope", "adj-1"), StatusIs(StatusCode::kPermissionDenied));

  Result<LedgerResult> r = ledger().Adjust(staff, ada.id, 25, "support ticket 12", "ticket-12");
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->entry.source, XpSource::kAdminAdjustment);
  EXPECT_EQ(r->entry.reference, "support ticket 12");
  EXPECT_EQ(r->entry.idempotency_key, "ticket-12");
  EXPECT_EQ(r->balance, 25);
  EXPECT_THAT(ledger().Adjust(staff, ada.id, -5, "correction", "ticket-13"), IsOk());
  EXPECT_THAT(ledger().Adjust(staff, ada.id, -50, "too much", "ticket-14"), StatusIs(StatusCode::kInsufficientFunds));
  EXPECT_EQ(BalanceOf(ada.id), 20);

  // Staff may not adjust staff (themselves included); superusers may.
  EXPECT_THAT(ledger().Adjust(staff, other_staff.id, 10, "x", "s-1"), StatusIs(StatusCode::kPermissionDenied));
  EXPECT_THAT(ledger().Adjust(staff, staff.id, 10, "x", "s-2"), StatusIs(StatusCode::kPermissionDenied));
  EXPECT_THAT(ledger().Adjust(root, other_staff.id, 10, "bonus", "s-3"), IsOk());
  EXPECT_EQ(BalanceOf(other_staff.id), 10);
  EXPECT_EQ(BalanceOf(staff.id), 0);

  // A blocked staff member is refused; an unknown target is NotFound for staff.
  User blocked = staff;
  blocked.is_active = false;
  EXPECT_THAT(ledger().Adjust(blocked, ada.id, 10, "x", "b-1"), StatusIs(StatusCode::kPermissionDenied));
  Result<LedgerResult> missing = ledger().Adjust(staff, ada.id + 1000, 10, "x", "m-1");
  EXPECT_THAT(missing, StatusIs(StatusCode::kNotFound));
  EXPECT_EQ(missing.status().message(), "User not found");
}

TEST_P(LedgerTest, EveryEntryRecordsItsActorAndReason) {
  User ada = CreateUser("ada");
  User staff = MakeStaff("staff");
  // A staff adjustment keeps who did it and why.
  Result<LedgerResult> adjusted = ledger().Adjust(staff, ada.id, 40, "support ticket 12", "ticket-12");
  ASSERT_THAT(adjusted, IsOk());
  EXPECT_EQ(adjusted->entry.actor_id, staff.id);
  EXPECT_EQ(adjusted->entry.reason, "support ticket 12");
  EXPECT_THAT(ledger().Adjust(staff, ada.id, 5, "", "ticket-13"), StatusIs(StatusCode::kInvalidArgument));
  // A change without an actor is the system's; reasons are bounded.
  ASSERT_THAT(Change(ada.id, 10, "system-award"), IsOk());
  XpChange too_long = Credit(ada.id, 1, "long-reason");
  too_long.reason = std::string(501, 'x');
  EXPECT_THAT(ledger().Apply(too_long), StatusIs(StatusCode::kInvalidArgument));
  // A check-in is the player's own action.
  ASSERT_THAT(engine().check_ins().CheckIn(ada.id), IsOk());
  // What storage returns (history is read back from the database) holds the same.
  Result<LedgerPage> page = ledger().History(ada.id, 10);
  ASSERT_THAT(page, IsOk());
  ASSERT_EQ(page->entries.size(), 3u);
  EXPECT_EQ(page->entries[0].source, XpSource::kCheckIn);
  EXPECT_EQ(page->entries[0].actor_id, ada.id);
  EXPECT_EQ(page->entries[0].reason, "daily check-in");
  EXPECT_EQ(page->entries[1].actor_id, std::nullopt);
  EXPECT_EQ(page->entries[1].reason, "");
  EXPECT_EQ(page->entries[2].actor_id, staff.id);
  EXPECT_EQ(page->entries[2].reason, "support ticket 12");
  EXPECT_EQ(page->entries[2].source, XpSource::kAdminAdjustment);
}

TEST_P(LedgerTest, ConcurrentSpendsNeverOverdraw) {
  User ada = CreateUser("ada");
  Grant(ada.id, 100, "grant");
  constexpr int kThreads = 8;
  std::atomic<int> ok{0}, insufficient{0}, other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      Result<LedgerResult> r = Change(ada.id, -30, "spend-" + std::to_string(i), XpSource::kStorePurchase);
      if (r.ok()) {
        ++ok;
      } else if (r.status().code() == StatusCode::kInsufficientFunds) {
        ++insufficient;
      } else {
        ++other;
        ADD_FAILURE() << r.status();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(ok.load(), 3);
  EXPECT_EQ(insufficient.load(), kThreads - 3);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(BalanceOf(ada.id), 10);
  EXPECT_EQ(SumOfEntries(ada.id), 10);
}

TEST_P(LedgerTest, ConcurrentRepeatsOfOneKeyApplyOnce) {
  User ada = CreateUser("ada");
  constexpr int kThreads = 8;
  std::atomic<int> applied{0}, repeated{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      Result<LedgerResult> r = Change(ada.id, 10, "payment:order_1", XpSource::kPayment, "order_1");
      ASSERT_THAT(r, IsOk());
      EXPECT_EQ(r->balance, 10);
      ++(r->applied ? applied : repeated);
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(applied.load(), 1);
  EXPECT_EQ(repeated.load(), kThreads - 1);
  EXPECT_EQ(BalanceOf(ada.id), 10);
  EXPECT_EQ(EntriesOf(ada.id).size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, LedgerTest, ::testing::ValuesIn(AllBackends()), BackendParamName);

}  // namespace
}  // namespace clash
