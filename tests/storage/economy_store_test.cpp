// The economy part of the storage contract (LedgerStore, WalletStore, CheckInStore, ShopStore,
// PaymentStore, AchievementStore): every backend must pass these tests. They run against SQLite
// (file and :memory:) and, when CLASH_TEST_POSTGRES_URL is set, PostgreSQL. The concurrency tests
// are the exactly-once guarantees the economy relies on; where production runs several processes,
// they use two Storage objects (two pools) on one database.
#include <atomic>

#include "storage/economy_store_fixture.h"

namespace clash::store_test {
namespace {

using ::clash::testing::IsOk;
using ::clash::testing::IsOkAndHolds;
using ::clash::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::Eq;
using ::testing::Field;
using ::testing::IsEmpty;
using ::testing::Optional;
using ::testing::SizeIs;

TEST_P(EconomyStoreTest, MigrationFourIsApplied) {
  EXPECT_THAT(storage_->SchemaVersion(), IsOkAndHolds(::testing::Ge(4)));
}

// ---------------------------------------------------------------------------------------------
// Ledger

TEST_P(EconomyStoreTest, InsertEntryRoundTripsWithIncreasingIds) {
  Result<std::optional<std::int64_t>> first = Insert(Entry(alice_, 50, "k1", 1));
  Result<std::optional<std::int64_t>> second = Insert(Entry(alice_, -20, "k2", 2));
  ASSERT_THAT(first, IsOkAndHolds(Optional(::testing::Gt(0))));
  ASSERT_THAT(second, IsOkAndHolds(Optional(::testing::Gt(**first))));
  ASSERT_THAT(Insert(Entry(bob_, 5, "other-source")), IsOk());
  LedgerEntry spend = Entry(alice_, -7, "hint", 3);
  spend.source = XpSource::kHintPurchase;
  spend.reference = "";
  Result<std::optional<std::int64_t>> third = Insert(spend);
  ASSERT_THAT(third, IsOkAndHolds(Optional(::testing::Gt(0))));
  spend.id = **third;
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.ledger().GetByKey(alice_, "hint"); }),
              IsOkAndHolds(spend));
  LedgerEntry k1 = Entry(alice_, 50, "k1", 1);
  k1.id = **first;
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.ledger().GetByKey(alice_, "k1"); }), IsOkAndHolds(k1));
}

TEST_P(EconomyStoreTest, InsertEntryWithAUsedKeyChangesNothing) {
  Result<std::optional<std::int64_t>> first = Insert(Entry(alice_, 50, "award:python-001"));
  ASSERT_THAT(first, IsOkAndHolds(Optional(::testing::Gt(0))));
  EXPECT_THAT(Insert(Entry(alice_, 999, "award:python-001", 9)), IsOkAndHolds(Eq(std::nullopt)));
  Result<LedgerEntry> kept =
      Read([&](StorageTransaction& tx) { return tx.ledger().GetByKey(alice_, "award:python-001"); });
  ASSERT_THAT(kept, IsOk());
  EXPECT_EQ(kept->id, **first);
  EXPECT_EQ(kept->amount, 50);
  // Keys are per user.
  EXPECT_THAT(Insert(Entry(bob_, 50, "award:python-001")), IsOkAndHolds(Optional(::testing::Gt(**first))));
  // A refused insert leaves the transaction usable (PostgreSQL aborts a transaction on an error).
  EXPECT_THAT(Write([&](StorageTransaction& tx) -> Result<std::optional<std::int64_t>> {
                CLASH_ASSIGN_OR_RETURN(std::optional<std::int64_t> again,
                                       tx.ledger().InsertEntry(Entry(alice_, 50, "award:python-001")));
                if (again) return Status::Internal("inserted twice");
                return tx.ledger().InsertEntry(Entry(alice_, 50, "award:python-002"));
              }),
              IsOkAndHolds(Optional(::testing::Gt(0))));
}

TEST_P(EconomyStoreTest, InsertEntryRefusesUnknownUsersAndZeroAmounts) {
  EXPECT_THAT(Insert(Entry(alice_ + bob_ + 100, 5, "k")), StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_THAT(Insert(Entry(alice_, 0, "k")), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(Insert(Entry(alice_, 5, "")), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.ledger().SumEntries(alice_); }), IsOkAndHolds(0));
}

TEST_P(EconomyStoreTest, GetByKeyOfAnUnknownKeyIsNotFound) {
  ASSERT_THAT(Insert(Entry(alice_, 5, "k")), IsOk());
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.ledger().GetByKey(alice_, "K"); }),
              StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.ledger().GetByKey(bob_, "k"); }),
              StatusIs(StatusCode::kNotFound));
}

TEST_P(EconomyStoreTest, AddToBalanceCreatesTheWalletAndNeverGoesNegative) {
  EXPECT_THAT(Balance(alice_), IsOkAndHolds(0));
  EXPECT_THAT(Add(alice_, -5), IsOkAndHolds(Eq(std::nullopt)));  // no wallet yet, would go negative
  EXPECT_THAT(Add(alice_, 100), IsOkAndHolds(Optional(100)));
  EXPECT_THAT(Add(alice_, -30), IsOkAndHolds(Optional(70)));
  EXPECT_THAT(Add(alice_, -71), IsOkAndHolds(Eq(std::nullopt)));
  EXPECT_THAT(Balance(alice_), IsOkAndHolds(70));
  EXPECT_THAT(Add(alice_, -70), IsOkAndHolds(Optional(0)));
  EXPECT_THAT(Add(bob_, 0), IsOkAndHolds(Optional(0)));
  EXPECT_THAT(Balance(alice_), IsOkAndHolds(0));
  Result<WalletRecord> w = Wallet(alice_);
  ASSERT_THAT(w, IsOk());
  EXPECT_EQ(w->balance, 0);
  EXPECT_THAT(Add(alice_ + bob_ + 100, 5), StatusIs(StatusCode::kFailedPrecondition));
}

TEST_P(EconomyStoreTest, HistoryPagesNewestFirst) {
  std::vector<std::int64_t> ids;
  for (int i = 1; i <= 5; ++i) {
    Result<std::optional<std::int64_t>> id = Insert(Entry(alice_, i, "k" + std::to_string(i), i));
    ASSERT_THAT(id, IsOkAndHolds(Optional(::testing::Gt(0))));
    ids.push_back(**id);
    ASSERT_THAT(Insert(Entry(bob_, i, "k" + std::to_string(i), i)), IsOk());
  }
  auto page = [&](int limit, std::optional<std::int64_t> before) {
    return Read([&](StorageTransaction& tx) { return tx.ledger().History(alice_, limit, before); });
  };
  using E = LedgerEntry;
  EXPECT_THAT(page(2, std::nullopt), IsOkAndHolds(ElementsAre(Field(&E::id, ids[4]), Field(&E::id, ids[3]))));
  EXPECT_THAT(page(2, ids[3]), IsOkAndHolds(ElementsAre(Field(&E::id, ids[2]), Field(&E::id, ids[1]))));
  EXPECT_THAT(page(2, ids[1]), IsOkAndHolds(ElementsAre(Field(&E::id, ids[0]))));
  EXPECT_THAT(page(2, ids[0]), IsOkAndHolds(IsEmpty()));
  Result<std::vector<LedgerEntry>> all = page(200, std::nullopt);
  ASSERT_THAT(all, IsOkAndHolds(SizeIs(5)));
  EXPECT_EQ(all->front().amount, 5);
  EXPECT_EQ(all->front().user_id, alice_);
  EXPECT_EQ(all->front().created_at, At(5));
}

TEST_P(EconomyStoreTest, SumEntriesAddsTheUsersEntriesOnly) {
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.ledger().SumEntries(alice_); }), IsOkAndHolds(0));
  ASSERT_THAT(Insert(Entry(alice_, 5'000'000'000LL, "big")), IsOk());
  ASSERT_THAT(Insert(Entry(alice_, -40, "spend")), IsOk());
  ASSERT_THAT(Insert(Entry(bob_, 7, "other")), IsOk());
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.ledger().SumEntries(alice_); }),
              IsOkAndHolds(4'999'999'960LL));
}

TEST_P(EconomyStoreTest, BalanceMismatchesAreFoundAndConsistentUsersAreNot) {
  auto mismatches = [&] { return Read([&](StorageTransaction& tx) { return tx.ledger().FindBalanceMismatches(10); }); };
  EXPECT_THAT(mismatches(), IsOkAndHolds(std::vector<BalanceMismatch>{}));
  // Alice: entry and balance agree. Bob: an entry whose balance change was never applied.
  ASSERT_THAT(Write([&](StorageTransaction& tx) -> Result<std::optional<std::int64_t>> {
                Result<std::optional<std::int64_t>> a = tx.ledger().InsertEntry(Entry(alice_, 30, "a"));
                if (!a.ok()) return a;
                Result<std::optional<std::int64_t>> b = tx.ledger().InsertEntry(Entry(bob_, 7, "b"));
                if (!b.ok()) return b;
                return tx.ledger().AddToBalance(alice_, 30);
              }),
              IsOk());
  EXPECT_THAT(mismatches(), IsOkAndHolds(std::vector<BalanceMismatch>{{bob_, 0, 7}}));
  // A balance moved without an entry is found too; fixing Bob clears his row.
  ASSERT_THAT(Write([&](StorageTransaction& tx) -> Result<std::optional<std::int64_t>> {
                Result<std::optional<std::int64_t>> a = tx.ledger().AddToBalance(alice_, 5);
                if (!a.ok()) return a;
                return tx.ledger().AddToBalance(bob_, 7);
              }),
              IsOk());
  EXPECT_THAT(mismatches(), IsOkAndHolds(std::vector<BalanceMismatch>{{alice_, 35, 30}}));
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.ledger().FindBalanceMismatches(0); }),
              IsOkAndHolds(std::vector<BalanceMismatch>{}));
}

TEST_P(EconomyStoreTest, ConcurrentAwardsWithOneKeyApplyOnce) {
  constexpr int kThreads = 8;
  std::atomic<int> inserted{0}, refused{0}, failed{0};
  RunConcurrently(kThreads, [&](int i) {
    Result<std::optional<std::int64_t>> r = RunIn(StorageFor(i), true, [&](StorageTransaction& tx) {
      // The ledger's award: the entry, and the balance only if the entry is new.
      Result<std::optional<std::int64_t>> id = tx.ledger().InsertEntry(Entry(alice_, 25, "award:python-001", i));
      if (!id.ok() || !id->has_value()) return id;
      Result<std::optional<std::int64_t>> balance = tx.ledger().AddToBalance(alice_, 25);
      if (!balance.ok()) return balance;
      return id;
    });
    if (!r.ok()) {
      ++failed;
      ADD_FAILURE() << r.status();
    } else if (r->has_value()) {
      ++inserted;
    } else {
      ++refused;
    }
  });
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(inserted.load(), 1);
  EXPECT_EQ(refused.load(), kThreads - 1);
  EXPECT_THAT(Balance(alice_), IsOkAndHolds(25));
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.ledger().SumEntries(alice_); }), IsOkAndHolds(25));
}

TEST_P(EconomyStoreTest, ConcurrentSpendsNeverOverdraw) {
  ASSERT_THAT(Add(alice_, 100), IsOkAndHolds(Optional(100)));
  constexpr int kThreads = 16;
  std::atomic<int> spent{0}, refused{0}, failed{0};
  RunConcurrently(kThreads, [&](int i) {
    Result<std::optional<std::int64_t>> r =
        RunIn(StorageFor(i), true, [&](StorageTransaction& tx) { return tx.ledger().AddToBalance(alice_, -10); });
    if (!r.ok()) {
      ++failed;
      ADD_FAILURE() << r.status();
    } else if (r->has_value()) {
      ++spent;
    } else {
      ++refused;
    }
  });
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(spent.load(), 10);
  EXPECT_EQ(refused.load(), 6);
  EXPECT_THAT(Balance(alice_), IsOkAndHolds(0));
}

TEST_P(EconomyStoreTest, ConcurrentFirstCreditsAllLand) {
  // Every thread may find no wallet and race to create it.
  constexpr int kThreads = 8;
  std::atomic<int> failed{0};
  RunConcurrently(kThreads, [&](int i) {
    Result<std::optional<std::int64_t>> r =
        RunIn(StorageFor(i), true, [&](StorageTransaction& tx) { return tx.ledger().AddToBalance(bob_, 5); });
    if (!r.ok() || !r->has_value()) ++failed;
  });
  EXPECT_EQ(failed.load(), 0);
  EXPECT_THAT(Balance(bob_), IsOkAndHolds(5 * kThreads));
}

// ---------------------------------------------------------------------------------------------
// Wallets and referral codes

TEST_P(EconomyStoreTest, WalletOfAUserWithoutOneIsZero) {
  WalletRecord want;
  want.user_id = alice_;
  EXPECT_THAT(Wallet(alice_), IsOkAndHolds(want));
}

TEST_P(EconomyStoreTest, LockCreatesTheWalletAndRefusesUnknownUsers) {
  WalletRecord want;
  want.user_id = alice_;
  EXPECT_THAT(Write([&](StorageTransaction& tx) { return tx.wallets().Lock(alice_); }), IsOkAndHolds(want));
  ASSERT_THAT(Add(alice_, 40), IsOk());
  want.balance = 40;
  EXPECT_THAT(Write([&](StorageTransaction& tx) { return tx.wallets().Lock(alice_); }), IsOkAndHolds(want));
  EXPECT_THAT(Write([&](StorageTransaction& tx) { return tx.wallets().Lock(alice_ + bob_ + 100); }),
              StatusIs(StatusCode::kFailedPrecondition));
}

TEST_P(EconomyStoreTest, SaveStreakWritesOnlyTheStreakFields) {
  ASSERT_THAT(Add(alice_, 40), IsOk());
  ASSERT_THAT(Write([&](StorageTransaction& tx) { return tx.wallets().SetReferredBy(alice_, bob_); }),
              IsOkAndHolds(true));
  WalletRecord w{.user_id = alice_, .balance = 999, .streak_freezes = 2, .last_check_in_day = 20'000,
                 .streak = 9, .cycle_day = 2, .cycle_start_day = 19'999, .referred_by = std::nullopt};
  ASSERT_THAT(Do([&](StorageTransaction& tx) { return tx.wallets().SaveStreak(w); }), IsOk());
  w.balance = 40;
  w.referred_by = bob_;
  EXPECT_THAT(Wallet(alice_), IsOkAndHolds(w));
  w.last_check_in_day.reset();
  w.cycle_start_day.reset();
  w.cycle_day = 0;
  ASSERT_THAT(Do([&](StorageTransaction& tx) { return tx.wallets().SaveStreak(w); }), IsOk());
  EXPECT_THAT(Wallet(alice_), IsOkAndHolds(w));
  WalletRecord none;
  none.user_id = bob_;
  none.streak = 1;
  EXPECT_THAT(Do([&](StorageTransaction& tx) { return tx.wallets().SaveStreak(none); }),
              StatusIs(StatusCode::kNotFound));
}

TEST_P(EconomyStoreTest, ReferredByIsSetOnce) {
  std::int64_t carol = NewUserId("carol");
  EXPECT_THAT(Write([&](StorageTransaction& tx) { return tx.wallets().SetReferredBy(alice_, bob_); }),
              IsOkAndHolds(true));  // creates the wallet
  EXPECT_THAT(Write([&](StorageTransaction& tx) { return tx.wallets().SetReferredBy(alice_, carol); }),
              IsOkAndHolds(false));
  EXPECT_THAT(Wallet(alice_), IsOkAndHolds(Field(&WalletRecord::referred_by, Optional(bob_))));
  ASSERT_THAT(Add(carol, 10), IsOk());  // an existing wallet
  EXPECT_THAT(Write([&](StorageTransaction& tx) { return tx.wallets().SetReferredBy(carol, alice_); }),
              IsOkAndHolds(true));
  EXPECT_THAT(Wallet(carol), IsOkAndHolds(Field(&WalletRecord::referred_by, Optional(alice_))));
  EXPECT_THAT(Write([&](StorageTransaction& tx) { return tx.wallets().SetReferredBy(bob_, alice_ + bob_ + carol); }),
              StatusIs(StatusCode::kFailedPrecondition));
}

TEST_P(EconomyStoreTest, ReferralCodesAreUniqueAndSetOnce) {
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.wallets().ReferralCode(alice_); }), IsOkAndHolds(""));
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.wallets().FindByReferralCode("AB12CD34"); }),
              IsOkAndHolds(Eq(std::nullopt)));
  EXPECT_THAT(Write([&](StorageTransaction& tx) { return tx.wallets().SetReferralCode(alice_, "AB12CD34"); }),
              IsOkAndHolds("AB12CD34"));
  EXPECT_THAT(Write([&](StorageTransaction& tx) { return tx.wallets().SetReferralCode(alice_, "ZZZZZZZZ"); }),
              IsOkAndHolds("AB12CD34"));  // already has one
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.wallets().ReferralCode(alice_); }),
              IsOkAndHolds("AB12CD34"));
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.wallets().FindByReferralCode("AB12CD34"); }),
              IsOkAndHolds(Optional(alice_)));
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.wallets().FindByReferralCode("ab12cd34"); }),
              IsOkAndHolds(Eq(std::nullopt)));  // exact match
  // A taken code is refused and the same transaction can go on with another one.
  EXPECT_THAT(Write([&](StorageTransaction& tx) -> Result<std::string> {
                Result<std::string> taken = tx.wallets().SetReferralCode(bob_, "AB12CD34");
                if (taken.status().code() != StatusCode::kAlreadyExists) return Status::Internal("not refused");
                return tx.wallets().SetReferralCode(bob_, "QQ77RR88");
              }),
              IsOkAndHolds("QQ77RR88"));
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.wallets().FindByReferralCode("QQ77RR88"); }),
              IsOkAndHolds(Optional(bob_)));
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.wallets().ReferralCode(alice_ + bob_ + 100); }),
              StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(Write([&](StorageTransaction& tx) { return tx.wallets().SetReferralCode(alice_ + bob_ + 100, "X1"); }),
              StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(Write([&](StorageTransaction& tx) { return tx.wallets().SetReferralCode(bob_, ""); }),
              StatusIs(StatusCode::kInvalidArgument));
}

// UserStore::Update writes a whole User read earlier; it must not clear or overwrite a referral
// code set in the meantime (codes are only set through WalletStore).
TEST_P(EconomyStoreTest, UpdatingAStaleUserKeepsItsReferralCode) {
  Result<User> stale = Read([&](StorageTransaction& tx) { return tx.users().GetById(alice_); });
  ASSERT_THAT(stale, IsOk());
  ASSERT_EQ(stale->profile.referral_code, "");
  ASSERT_THAT(Write([&](StorageTransaction& tx) { return tx.wallets().SetReferralCode(alice_, "KEEP1234"); }),
              IsOkAndHolds("KEEP1234"));
  stale->profile.bio = "updated";
  stale->profile.referral_code = "OTHER999";
  ASSERT_THAT(Write([&](StorageTransaction& tx) -> Result<bool> {
    CLASH_RETURN_IF_ERROR(tx.users().Update(*stale));
    return true;
  }),
              IsOk());
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.wallets().ReferralCode(alice_); }),
              IsOkAndHolds("KEEP1234"));
  Result<User> fresh = Read([&](StorageTransaction& tx) { return tx.users().GetById(alice_); });
  ASSERT_THAT(fresh, IsOk());
  EXPECT_EQ(fresh->profile.bio, "updated");
  EXPECT_EQ(fresh->profile.referral_code, "KEEP1234");
}

// Read-modify-write of a wallet field by many transactions at once: correct only if each one
// holds the lock it takes (`lock_referrals`: the referral lock; otherwise the wallet's own lock).
void ExpectNoLostUpdates(Storage& a, Storage& b, std::int64_t user, bool lock_referrals) {
  constexpr int kThreads = 8;
  std::atomic<int> failed{0};
  RunConcurrently(kThreads, [&](int i) {
    Status s = (i % 2 ? b : a).Transact([&](StorageTransaction& tx) -> Status {
      WalletRecord w;
      if (lock_referrals) {
        CLASH_RETURN_IF_ERROR(tx.wallets().LockReferrals());
        CLASH_ASSIGN_OR_RETURN(w, tx.wallets().Get(user));
      } else {
        CLASH_ASSIGN_OR_RETURN(w, tx.wallets().Lock(user));
      }
      ++w.streak;
      return tx.wallets().SaveStreak(w);
    });
    if (!s.ok()) {
      ++failed;
      ADD_FAILURE() << s;
    }
  });
  EXPECT_EQ(failed.load(), 0);
}

TEST_P(EconomyStoreTest, WalletLockSerialisesReadModifyWrite) {
  ExpectNoLostUpdates(*storage_, StorageFor(1), alice_, /*lock_referrals=*/false);
  EXPECT_THAT(Wallet(alice_), IsOkAndHolds(Field(&WalletRecord::streak, 8)));
}

TEST_P(EconomyStoreTest, ReferralLockSerialisesRedemptions) {
  ASSERT_THAT(Write([&](StorageTransaction& tx) { return tx.wallets().Lock(alice_); }), IsOk());
  ExpectNoLostUpdates(*storage_, StorageFor(1), alice_, /*lock_referrals=*/true);
  EXPECT_THAT(Wallet(alice_), IsOkAndHolds(Field(&WalletRecord::streak, 8)));
}

// ---------------------------------------------------------------------------------------------
// Check-ins

// CheckInRecord has no operator==.
MATCHER_P(SameCheckIn, want, "is the same check-in") {
  return arg.id == want.id && arg.date == want.date && arg.cycle_day == want.cycle_day && arg.streak == want.streak &&
         arg.xp_earned == want.xp_earned && arg.freeze_used == want.freeze_used && arg.created_at == want.created_at;
}

CheckInRecord MakeCheckIn(const CivilDate& date, int cycle_day, int streak, int at) {
  return CheckInRecord{.id = 0, .date = date, .cycle_day = cycle_day, .streak = streak,
                       .xp_earned = 5 * cycle_day, .freeze_used = cycle_day == 3, .created_at = At(at)};
}

TEST_P(EconomyStoreTest, CheckInsRoundTripOncePerDay) {
  CheckInRecord c = MakeCheckIn(Day(2026, 3, 1), 3, 10, 1);
  Result<std::int64_t> id = Write([&](StorageTransaction& tx) { return tx.check_ins().Insert(alice_, c); });
  ASSERT_THAT(id, IsOkAndHolds(::testing::Gt(0)));
  c.id = *id;
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.check_ins().GetOnDay(alice_, Day(2026, 3, 1)); }),
              IsOkAndHolds(Optional(SameCheckIn(c))));
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.check_ins().GetOnDay(alice_, Day(2026, 3, 2)); }),
              IsOkAndHolds(Eq(std::nullopt)));
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.check_ins().GetOnDay(bob_, Day(2026, 3, 1)); }),
              IsOkAndHolds(Eq(std::nullopt)));
  // A second check-in that day is refused; the transaction stays usable.
  EXPECT_THAT(Write([&](StorageTransaction& tx) -> Result<std::int64_t> {
                Result<std::int64_t> again = tx.check_ins().Insert(alice_, MakeCheckIn(Day(2026, 3, 1), 1, 1, 2));
                if (again.status().code() != StatusCode::kAlreadyExists) return Status::Internal("not refused");
                return tx.check_ins().Insert(bob_, MakeCheckIn(Day(2026, 3, 1), 1, 1, 2));
              }),
              IsOkAndHolds(::testing::Gt(*id)));
  EXPECT_THAT(Write([&](StorageTransaction& tx) {
                return tx.check_ins().Insert(alice_ + bob_ + 100, MakeCheckIn(Day(2026, 3, 1), 1, 1, 2));
              }),
              StatusIs(StatusCode::kFailedPrecondition));
}

TEST_P(EconomyStoreTest, ListSinceReturnsNewestFirstFromTheDay) {
  // Across a month and a year boundary.
  const std::vector<CivilDate> days = {Day(2025, 12, 30), Day(2025, 12, 31), Day(2026, 1, 1), Day(2026, 1, 2)};
  for (std::size_t i = 0; i < days.size(); ++i) {
    int n = static_cast<int>(i) + 1;
    CheckInRecord c = MakeCheckIn(days[i], n, n, n);
    ASSERT_THAT(Write([&](StorageTransaction& tx) { return tx.check_ins().Insert(alice_, c); }), IsOk());
  }
  ASSERT_THAT(Write([&](StorageTransaction& tx) { return tx.check_ins().Insert(bob_, MakeCheckIn(days[3], 1, 1, 9)); }),
              IsOk());
  auto since = [&](const CivilDate& d) {
    return Read([&](StorageTransaction& tx) { return tx.check_ins().ListSince(alice_, d); });
  };
  using C = CheckInRecord;
  EXPECT_THAT(since(Day(2025, 12, 31)),
              IsOkAndHolds(ElementsAre(Field(&C::date, days[3]), Field(&C::date, days[2]), Field(&C::date, days[1]))));
  EXPECT_THAT(since(Day(2026, 1, 2)), IsOkAndHolds(ElementsAre(Field(&C::streak, 4))));
  EXPECT_THAT(since(Day(2026, 1, 3)), IsOkAndHolds(IsEmpty()));
  EXPECT_THAT(since(Day(2020, 1, 1)), IsOkAndHolds(SizeIs(4)));
}

// ---------------------------------------------------------------------------------------------
// User deletion

TEST_P(EconomyStoreTest, DeletingAUserDeletesTheirEconomyRows) {
  Result<std::int64_t> item = AddItem(Item("theme-dracula"));
  ASSERT_THAT(item, IsOk());
  Result<std::int64_t> achievement =
      Write([&](StorageTransaction& tx) { return tx.achievements().Upsert(MakeAchievement("first-blood", 1)); });
  ASSERT_THAT(achievement, IsOk());
  PaymentRecord payment{.id = 0, .user_id = alice_, .order_id = "order_1", .payment_id = "", .amount_inr = 49,
                        .xp_amount = 50, .status = PaymentStatus::kPending, .created_at = kT0, .updated_at = kT0};
  for (std::int64_t user : {alice_, bob_}) {
    ASSERT_THAT(Do([&](StorageTransaction& tx) -> Status {
                  CLASH_RETURN_IF_ERROR(tx.ledger().InsertEntry(Entry(user, 500, "seed")));
                  CLASH_RETURN_IF_ERROR(tx.ledger().AddToBalance(user, 500));
                  CLASH_RETURN_IF_ERROR(tx.check_ins().Insert(user, MakeCheckIn(Day(2026, 3, 1), 1, 1, 0)));
                  CLASH_RETURN_IF_ERROR(tx.shop().InsertPurchase(user, *item, 150, kT0));
                  CLASH_RETURN_IF_ERROR(tx.achievements().Grant(user, *achievement, kT0));
                  if (user == alice_) CLASH_RETURN_IF_ERROR(tx.payments().Insert(payment));
                  return Status::Ok();
                }),
                IsOk());
  }
  ASSERT_THAT(Write([&](StorageTransaction& tx) { return tx.wallets().SetReferredBy(bob_, alice_); }),
              IsOkAndHolds(true));

  ASSERT_THAT(Do([&](StorageTransaction& tx) { return tx.users().Delete(alice_); }), IsOk());

  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.ledger().SumEntries(alice_); }), IsOkAndHolds(0));
  EXPECT_THAT(Balance(alice_), IsOkAndHolds(0));
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.ledger().History(alice_, 10, std::nullopt); }),
              IsOkAndHolds(IsEmpty()));
  WalletRecord zero;
  zero.user_id = alice_;
  EXPECT_THAT(Wallet(alice_), IsOkAndHolds(zero));
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.check_ins().ListSince(alice_, Day(2000, 1, 1)); }),
              IsOkAndHolds(IsEmpty()));
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.shop().OwnedItemIds(alice_); }), IsOkAndHolds(IsEmpty()));
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.achievements().Unlocked(alice_); }),
              IsOkAndHolds(IsEmpty()));
  EXPECT_THAT(Write([&](StorageTransaction& tx) { return tx.payments().LockByOrder("order_1"); }),
              StatusIs(StatusCode::kNotFound));
  // The other user keeps everything but the referrer.
  Result<WalletRecord> b = Wallet(bob_);
  ASSERT_THAT(b, IsOk());
  EXPECT_EQ(b->balance, 500);
  EXPECT_EQ(b->referred_by, std::nullopt);
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.ledger().SumEntries(bob_); }), IsOkAndHolds(500));
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.shop().OwnedItemIds(bob_); }),
              IsOkAndHolds(ElementsAre(*item)));
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.achievements().Unlocked(bob_); }), IsOkAndHolds(SizeIs(1)));
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.check_ins().ListSince(bob_, Day(2000, 1, 1)); }),
              IsOkAndHolds(SizeIs(1)));
}

INSTANTIATE_TEST_SUITE_P(Backends, EconomyStoreTest, ::testing::ValuesIn(AllBackends()), BackendParamName);

}  // namespace
}  // namespace clash::store_test
