// The economy storage contract, part two: ShopStore, PaymentStore and AchievementStore on every
// backend (see economy_store_fixture.h).
#include <atomic>

#include "storage/economy_store_fixture.h"

namespace clash::store_test {
namespace {

using ::clash::testing::IsOk;
using ::clash::testing::IsOkAndHolds;
using ::clash::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::SizeIs;

class ShopStoreTest : public EconomyStoreTest {
 protected:
  Result<ShopItem> GetItem(std::int64_t id) {
    return Read([&](StorageTransaction& tx) { return tx.shop().Get(id); });
  }
  Result<std::vector<ShopItem>> ListItems(bool include_inactive) {
    return Read([&](StorageTransaction& tx) { return tx.shop().List(include_inactive); });
  }
  Result<bool> Buy(std::int64_t user, std::int64_t item, int at) {
    return Write([&](StorageTransaction& tx) { return tx.shop().InsertPurchase(user, item, 150, At(at)); });
  }
  static PaymentRecord Payment(std::int64_t user, const std::string& order) {
    return PaymentRecord{.id = 0, .user_id = user, .order_id = order, .payment_id = "", .amount_inr = 749,
                         .xp_amount = 800, .status = PaymentStatus::kPending, .created_at = At(1),
                         .updated_at = At(1)};
  }
};

// Runs `n` concurrent transactions of `fn` (returning Result<bool>) and counts the true results.
int CountTrue(int n, const std::function<Result<bool>(StorageTransaction&)>& fn,
              std::function<Storage&(int)> storage_for) {
  std::atomic<int> wins{0}, failed{0};
  RunConcurrently(n, [&](int i) {
    Result<bool> r = RunIn(storage_for(i), true, fn);
    if (!r.ok()) {
      ++failed;
      ADD_FAILURE() << r.status();
    } else if (*r) {
      ++wins;
    }
  });
  EXPECT_EQ(failed.load(), 0);
  return wins.load();
}

// ---------------------------------------------------------------------------------------------
// Shop

TEST_P(ShopStoreTest, InsertThenGetRoundTripsEveryField) {
  ShopItem item = Item("font-jetbrains", 3);
  Result<std::int64_t> id = AddItem(item);
  ASSERT_THAT(id, IsOkAndHolds(::testing::Gt(0)));
  item.id = *id;
  EXPECT_THAT(GetItem(*id), IsOkAndHolds(item));
  // Staff-made items have no key and may have no image.
  ShopItem plain = Item("", 4);
  plain.image.reset();
  plain.is_active = false;
  plain.featured = false;
  plain.category = ShopCategory::kVictory;
  Result<std::int64_t> plain_id = AddItem(plain);
  ASSERT_THAT(plain_id, IsOkAndHolds(::testing::Gt(*id)));
  plain.id = *plain_id;
  EXPECT_THAT(GetItem(*plain_id), IsOkAndHolds(plain));
  EXPECT_THAT(GetItem(*plain_id + 100), StatusIs(StatusCode::kNotFound));
}

TEST_P(ShopStoreTest, InsertRefusesATakenKeyButNotEmptyKeys) {
  ASSERT_THAT(AddItem(Item("theme-dracula")), IsOk());
  EXPECT_THAT(AddItem(Item("")), IsOk());
  EXPECT_THAT(AddItem(Item("")), IsOk());
  // Refused without spoiling the transaction.
  EXPECT_THAT(Write([&](StorageTransaction& tx) -> Result<std::int64_t> {
                Result<std::int64_t> taken = tx.shop().Insert(Item("theme-dracula"));
                if (taken.status().code() != StatusCode::kAlreadyExists) return Status::Internal("not refused");
                return tx.shop().Insert(Item("theme-nord"));
              }),
              IsOk());
  EXPECT_THAT(ListItems(true), IsOkAndHolds(SizeIs(4)));
  ShopItem bad = Item("bad");
  bad.cost = -1;
  EXPECT_THAT(AddItem(bad), StatusIs(StatusCode::kInvalidArgument));
}

TEST_P(ShopStoreTest, UpsertByKeyUpdatesInPlace) {
  ShopItem item = Item("theme-dracula", 1);
  Result<std::int64_t> id = Write([&](StorageTransaction& tx) { return tx.shop().UpsertByKey(item); });
  ASSERT_THAT(id, IsOk());
  ShopItem changed = Item("theme-dracula", 50);
  changed.name = "Dracula";
  changed.cost = 300;
  changed.image.reset();
  changed.is_active = false;
  EXPECT_THAT(Write([&](StorageTransaction& tx) { return tx.shop().UpsertByKey(changed); }), IsOkAndHolds(*id));
  changed.id = *id;
  changed.created_at = At(1);  // kept
  EXPECT_THAT(GetItem(*id), IsOkAndHolds(changed));
  EXPECT_THAT(ListItems(true), IsOkAndHolds(SizeIs(1)));
}

TEST_P(ShopStoreTest, ListIsNewestFirstAndHidesInactiveItems) {
  ShopItem old_item = Item("a", 1);
  ShopItem hidden = Item("b", 2);
  hidden.is_active = false;
  ShopItem same_time = Item("c", 2);
  Result<std::int64_t> a = AddItem(old_item);
  Result<std::int64_t> b = AddItem(hidden);
  Result<std::int64_t> c = AddItem(same_time);
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  ASSERT_THAT(c, IsOk());
  using I = ShopItem;
  EXPECT_THAT(ListItems(true), IsOkAndHolds(ElementsAre(Field(&I::id, *c), Field(&I::id, *b), Field(&I::id, *a))));
  EXPECT_THAT(ListItems(false), IsOkAndHolds(ElementsAre(Field(&I::id, *c), Field(&I::id, *a))));
}

TEST_P(ShopStoreTest, UpdateWritesEverythingButIdKeyAndCreatedAt) {
  Result<std::int64_t> id = AddItem(Item("theme-dracula", 1));
  ASSERT_THAT(id, IsOk());
  ShopItem changed = Item("renamed-key", 99);
  changed.id = *id;
  changed.name = "New name";
  changed.description = "New text";
  changed.cost = 0;
  changed.category = ShopCategory::kEffect;
  changed.icon_name = "Sparkles";
  changed.image = std::nullopt;
  changed.item_data_json = R"({"effect_key":"confetti"})";
  changed.is_active = false;
  changed.featured = false;
  ASSERT_THAT(Do([&](StorageTransaction& tx) { return tx.shop().Update(changed); }), IsOk());
  changed.key = "theme-dracula";
  changed.created_at = At(1);
  EXPECT_THAT(GetItem(*id), IsOkAndHolds(changed));
  changed.id = *id + 100;
  EXPECT_THAT(Do([&](StorageTransaction& tx) { return tx.shop().Update(changed); }), StatusIs(StatusCode::kNotFound));
}

TEST_P(ShopStoreTest, PurchasesAreRecordedOnceAndListedNewestFirst) {
  Result<std::int64_t> a = AddItem(Item("a", 1));
  Result<std::int64_t> b = AddItem(Item("b", 2));
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  EXPECT_THAT(Buy(alice_, *a, 10), IsOkAndHolds(true));
  EXPECT_THAT(Buy(alice_, *a, 11), IsOkAndHolds(false));
  EXPECT_THAT(Buy(alice_, *b, 10), IsOkAndHolds(true));  // same time: the later purchase comes first
  EXPECT_THAT(Buy(bob_, *a, 12), IsOkAndHolds(true));
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.shop().OwnedItemIds(alice_); }),
              IsOkAndHolds(ElementsAre(*a, *b)));
  // Inactive items still count as bought.
  Result<ShopItem> item_b = GetItem(*b);
  ASSERT_THAT(item_b, IsOk());
  item_b->is_active = false;
  ASSERT_THAT(Do([&](StorageTransaction& tx) { return tx.shop().Update(*item_b); }), IsOk());
  Result<std::vector<PurchaseRecord>> bought =
      Read([&](StorageTransaction& tx) { return tx.shop().Purchases(alice_); });
  ASSERT_THAT(bought, IsOkAndHolds(SizeIs(2)));
  EXPECT_EQ(bought->at(0).item, *item_b);
  EXPECT_EQ(bought->at(0).purchased_at, At(10));
  EXPECT_EQ(bought->at(1).item.id, *a);
  EXPECT_EQ(bought->at(1).item.key, "a");
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.shop().Purchases(bob_); }), IsOkAndHolds(SizeIs(1)));
  EXPECT_THAT(Buy(alice_, *b + 100, 1), StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_THAT(Buy(alice_ + bob_ + 100, *a, 1), StatusIs(StatusCode::kFailedPrecondition));
}

TEST_P(ShopStoreTest, DeleteRemovesTheItemAndItsPurchases) {
  Result<std::int64_t> a = AddItem(Item("a", 1));
  Result<std::int64_t> b = AddItem(Item("b", 2));
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  ASSERT_THAT(Buy(alice_, *a, 1), IsOkAndHolds(true));
  ASSERT_THAT(Buy(alice_, *b, 1), IsOkAndHolds(true));
  ASSERT_THAT(Do([&](StorageTransaction& tx) { return tx.shop().Delete(*a); }), IsOk());
  EXPECT_THAT(GetItem(*a), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.shop().OwnedItemIds(alice_); }),
              IsOkAndHolds(ElementsAre(*b)));
  EXPECT_THAT(Do([&](StorageTransaction& tx) { return tx.shop().Delete(*a); }), StatusIs(StatusCode::kNotFound));
}

TEST_P(ShopStoreTest, ConcurrentPurchasesOfOneItemRecordOne) {
  Result<std::int64_t> item = AddItem(Item("theme-dracula"));
  ASSERT_THAT(item, IsOk());
  int wins = CountTrue(
      8, [&](StorageTransaction& tx) { return tx.shop().InsertPurchase(alice_, *item, 150, kT0); },
      [&](int i) -> Storage& { return StorageFor(i); });
  EXPECT_EQ(wins, 1);
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.shop().Purchases(alice_); }), IsOkAndHolds(SizeIs(1)));
}

// ---------------------------------------------------------------------------------------------
// Payments

TEST_P(ShopStoreTest, PaymentsRoundTripAndSucceedOnce) {
  PaymentRecord p = Payment(alice_, "order_abc");
  Result<std::int64_t> id = Write([&](StorageTransaction& tx) { return tx.payments().Insert(p); });
  ASSERT_THAT(id, IsOkAndHolds(::testing::Gt(0)));
  p.id = *id;
  EXPECT_THAT(Write([&](StorageTransaction& tx) { return tx.payments().LockByOrder("order_abc"); }), IsOkAndHolds(p));
  // A known order id is refused, leaving the transaction usable.
  EXPECT_THAT(Write([&](StorageTransaction& tx) -> Result<std::int64_t> {
                Result<std::int64_t> again = tx.payments().Insert(Payment(bob_, "order_abc"));
                if (again.status().code() != StatusCode::kAlreadyExists) return Status::Internal("not refused");
                return tx.payments().Insert(Payment(bob_, "order_def"));
              }),
              IsOkAndHolds(::testing::Gt(*id)));
  ASSERT_THAT(Do([&](StorageTransaction& tx) { return tx.payments().MarkSucceeded("order_abc", "pay_1", At(5)); }),
              IsOk());
  p.payment_id = "pay_1";
  p.status = PaymentStatus::kSucceeded;
  p.updated_at = At(5);
  EXPECT_THAT(Write([&](StorageTransaction& tx) { return tx.payments().LockByOrder("order_abc"); }), IsOkAndHolds(p));
  EXPECT_THAT(Write([&](StorageTransaction& tx) { return tx.payments().LockByOrder("order_xyz"); }),
              StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(Do([&](StorageTransaction& tx) { return tx.payments().MarkSucceeded("order_xyz", "pay_2", At(6)); }),
              StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(Write([&](StorageTransaction& tx) { return tx.payments().Insert(Payment(alice_ + bob_ + 100, "o")); }),
              StatusIs(StatusCode::kFailedPrecondition));
}

TEST_P(ShopStoreTest, LockByOrderLetsOneConcurrentCreditThrough) {
  // Verify and the webhook race: each locks the order and credits it only while it is pending.
  ASSERT_THAT(Write([&](StorageTransaction& tx) { return tx.payments().Insert(Payment(alice_, "order_abc")); }),
              IsOk());
  int credits = CountTrue(
      8,
      [&](StorageTransaction& tx) -> Result<bool> {
        CLASH_ASSIGN_OR_RETURN(PaymentRecord p, tx.payments().LockByOrder("order_abc"));
        if (p.status != PaymentStatus::kPending) return false;
        CLASH_RETURN_IF_ERROR(tx.payments().MarkSucceeded("order_abc", "pay_1", At(2)));
        return true;
      },
      [&](int i) -> Storage& { return StorageFor(i); });
  EXPECT_EQ(credits, 1);
}

// ---------------------------------------------------------------------------------------------
// Achievements

TEST_P(ShopStoreTest, AchievementsUpsertBySlugAndListInOrder) {
  Achievement streak = MakeAchievement("streak-starter", 2);
  Achievement first = MakeAchievement("first-blood", 1);
  Result<std::int64_t> streak_id = Write([&](StorageTransaction& tx) { return tx.achievements().Upsert(streak); });
  Result<std::int64_t> first_id = Write([&](StorageTransaction& tx) { return tx.achievements().Upsert(first); });
  ASSERT_THAT(streak_id, IsOk());
  ASSERT_THAT(first_id, IsOk());
  streak.id = *streak_id;
  first.id = *first_id;
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.achievements().List(); }),
              IsOkAndHolds(ElementsAre(first, streak)));
  first.title = "First Blood";
  first.xp_reward = 25;
  first.is_secret = true;
  first.order = 3;
  first.id = 0;
  EXPECT_THAT(Write([&](StorageTransaction& tx) { return tx.achievements().Upsert(first); }),
              IsOkAndHolds(*first_id));
  first.id = *first_id;
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.achievements().GetBySlug("first-blood"); }),
              IsOkAndHolds(first));
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.achievements().List(); }),
              IsOkAndHolds(ElementsAre(streak, first)));
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.achievements().GetBySlug("legend"); }),
              StatusIs(StatusCode::kNotFound));
}

TEST_P(ShopStoreTest, GrantRecordsAnUnlockOnce) {
  auto upsert = [&](const Achievement& a) {
    return Write([&](StorageTransaction& tx) { return tx.achievements().Upsert(a); });
  };
  Result<std::int64_t> a = upsert(MakeAchievement("a", 1));
  Result<std::int64_t> b = upsert(MakeAchievement("b", 2));
  ASSERT_THAT(a, IsOk());
  ASSERT_THAT(b, IsOk());
  auto grant = [&](std::int64_t user, std::int64_t id, int at) {
    return Write([&](StorageTransaction& tx) { return tx.achievements().Grant(user, id, At(at)); });
  };
  EXPECT_THAT(grant(alice_, *a, 1), IsOkAndHolds(true));
  EXPECT_THAT(grant(alice_, *a, 2), IsOkAndHolds(false));
  EXPECT_THAT(grant(alice_, *b, 1), IsOkAndHolds(true));
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.achievements().Unlocked(alice_); }),
              IsOkAndHolds(ElementsAre(Pair(*b, At(1)), Pair(*a, At(1)))));
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.achievements().Unlocked(bob_); }), IsOkAndHolds(IsEmpty()));
  EXPECT_THAT(grant(alice_, *b + 100, 1), StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_THAT(grant(alice_ + bob_ + 100, *a, 1), StatusIs(StatusCode::kFailedPrecondition));
}

TEST_P(ShopStoreTest, ConcurrentGrantsRecordOne) {
  Result<std::int64_t> id =
      Write([&](StorageTransaction& tx) { return tx.achievements().Upsert(MakeAchievement("first-blood", 1)); });
  ASSERT_THAT(id, IsOk());
  int wins = CountTrue(
      8, [&](StorageTransaction& tx) { return tx.achievements().Grant(alice_, *id, kT0); },
      [&](int i) -> Storage& { return StorageFor(i); });
  EXPECT_EQ(wins, 1);
  EXPECT_THAT(Read([&](StorageTransaction& tx) { return tx.achievements().Unlocked(alice_); }),
              IsOkAndHolds(SizeIs(1)));
}

INSTANTIATE_TEST_SUITE_P(Backends, ShopStoreTest, ::testing::ValuesIn(AllBackends()), BackendParamName);

}  // namespace
}  // namespace clash::store_test
