// Shop on every backend: listing, buying (XP through the ledger, one charge under concurrency),
// equipping, the staff operations and the catalogue file.
#include "clash/shop.h"

#include <atomic>
#include <functional>
#include <fstream>
#include <map>
#include <thread>

#include "economy/economy_fixture.h"

namespace clash {
namespace {

using ::clash::testing::BackendParamName;
using ::clash::testing::IsOk;
using ::clash::testing::IsOkAndHolds;
using ::clash::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;

class ShopTest : public testing::EconomyTest {
 protected:
  void SetUp() override {
    EconomyTest::SetUp();
    if (HasFatalFailure()) return;
    staff_ = MakeStaff("shopkeeper");
  }

  Shop& shop() { return engine().shop(); }

  // Creates an active item through the staff API. Items created later are newer (the clock moves).
  ShopItem AddItem(const std::string& name, std::int64_t cost, ShopCategory category = ShopCategory::kTheme,
                   const std::string& item_data = R"({"theme_key":"dracula"})", bool active = true) {
    clock_.Advance(std::chrono::seconds(1));
    ShopItem item;
    item.name = name;
    item.description = name + " description";
    item.cost = cost;
    item.category = category;
    item.icon_name = "Palette";
    item.item_data_json = item_data;
    item.is_active = active;
    Result<ShopItem> created = shop().Create(staff_, item);
    EXPECT_THAT(created, IsOk());
    return created.ok() ? *created : ShopItem{};
  }

  // The stored user (fresh profile).
  User Reload(const User& user) {
    User out;
    EXPECT_THAT(storage().Read([&](StorageTransaction& tx) -> Status {
      CLASH_ASSIGN_OR_RETURN(out, tx.users().GetById(user.id));
      return Status::Ok();
    }),
                IsOk());
    return out;
  }

  bool Owns(const User& user, std::int64_t item_id) {
    Result<ShopItemView> view = shop().Get(user, item_id);
    EXPECT_THAT(view, IsOk());
    return view.ok() && view->is_owned;
  }

  static std::string CatalogueFile() { return std::string(CLASH_SOURCE_DIR) + "/data/store/items.json"; }

  std::string WriteFile(const std::string& name, const std::string& text) {
    std::string path = (dir_.path() / name).string();
    std::ofstream(path) << text;
    return path;
  }

  static ShopItemPatch CostPatch(std::int64_t cost) {
    ShopItemPatch p;
    p.cost = cost;
    return p;
  }

  User staff_;
};

TEST_P(ShopTest, ListShowsOwnershipAndHidesInactiveItemsFromPlayers) {
  User ada = CreateUser("ada");
  ShopItem a = AddItem("Alpha", 100);
  ShopItem b = AddItem("Beta", 100, ShopCategory::kTheme, R"({"theme_key":"nord"})", /*active=*/false);
  ShopItem c = AddItem("Gamma", 0);

  auto player_list = shop().List(ada);
  ASSERT_THAT(player_list, IsOk());
  ASSERT_EQ(player_list->size(), 2u);
  EXPECT_EQ((*player_list)[0].item.id, c.id);  // newest first
  EXPECT_EQ((*player_list)[1].item.id, a.id);
  EXPECT_FALSE((*player_list)[0].is_owned);

  ASSERT_THAT(shop().Buy(ada, c.id), IsOk());
  player_list = shop().List(ada);
  ASSERT_THAT(player_list, IsOk());
  EXPECT_TRUE((*player_list)[0].is_owned);
  EXPECT_FALSE((*player_list)[1].is_owned);

  auto staff_list = shop().List(staff_);
  ASSERT_THAT(staff_list, IsOk());
  ASSERT_EQ(staff_list->size(), 3u);
  EXPECT_EQ((*staff_list)[1].item.id, b.id);
  EXPECT_FALSE((*staff_list)[1].item.is_active);
  EXPECT_FALSE((*staff_list)[0].is_owned);  // ownership is the viewer's

  EXPECT_THAT(shop().Get(ada, b.id), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(shop().Get(staff_, b.id), IsOk());
  EXPECT_THAT(shop().Get(ada, 999999), StatusIs(StatusCode::kNotFound));
}

TEST_P(ShopTest, BuySpendsXpThroughTheLedgerAndRecordsOwnership) {
  User ada = CreateUser("ada");
  Grant(ada.id, 500, "seed");
  ShopItem item = AddItem("Dracula", 200);

  auto bought = shop().Buy(ada, item.id);
  ASSERT_THAT(bought, IsOk());
  EXPECT_EQ(bought->remaining_xp, 300);
  EXPECT_EQ(bought->item.id, item.id);
  EXPECT_EQ(BalanceOf(ada.id), 300);
  EXPECT_EQ(SumOfEntries(ada.id), 300);
  std::vector<LedgerEntry> entries = EntriesOf(ada.id);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].amount, -200);
  EXPECT_EQ(entries[0].source, XpSource::kStorePurchase);
  EXPECT_EQ(entries[0].reference, "item:" + std::to_string(item.id));
  EXPECT_EQ(entries[0].idempotency_key, "store:" + std::to_string(item.id));
  EXPECT_TRUE(Owns(ada, item.id));

  auto purchased = shop().Purchased(ada);
  ASSERT_THAT(purchased, IsOk());
  ASSERT_EQ(purchased->items.size(), 1u);
  EXPECT_EQ(purchased->items[0].id, item.id);
  EXPECT_EQ(purchased->equipped, EquippedItems{});
}

TEST_P(ShopTest, BuyingAnOwnedItemAgainIsRefusedAndChargesNothing) {
  User ada = CreateUser("ada");
  Grant(ada.id, 500, "seed");
  ShopItem item = AddItem("Dracula", 200);
  ASSERT_THAT(shop().Buy(ada, item.id), IsOk());
  auto again = shop().Buy(ada, item.id);
  EXPECT_THAT(again, StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_EQ(again.status().message(), "You already own this item.");
  EXPECT_EQ(BalanceOf(ada.id), 300);
  EXPECT_EQ(EntriesOf(ada.id).size(), 2u);
}

TEST_P(ShopTest, InsufficientXpIsA402WithDetailsAndWritesNothing) {
  User ada = CreateUser("ada");
  Grant(ada.id, 50, "seed");
  ShopItem item = AddItem("Cyberpunk", 200);

  auto bought = shop().Buy(ada, item.id);
  ASSERT_THAT(bought, StatusIs(StatusCode::kInsufficientFunds));
  EXPECT_EQ(bought.status().message(), "Insufficient XP. Need 150 more.");
  std::map<std::string, StatusDetail> details;
  for (const StatusDetail& d : bought.status().details()) details[d.key] = d;
  ASSERT_EQ(details.count("shortage"), 1u);
  EXPECT_EQ(std::get<std::int64_t>(details["shortage"].value), 150);
  ASSERT_EQ(details.count("current_xp"), 1u);
  EXPECT_EQ(std::get<std::int64_t>(details["current_xp"].value), 50);
  ASSERT_EQ(details.count("required_xp"), 1u);
  EXPECT_EQ(std::get<std::int64_t>(details["required_xp"].value), 200);
  EXPECT_EQ(details.count("how_to_earn"), 1u);

  EXPECT_FALSE(Owns(ada, item.id));
  EXPECT_EQ(BalanceOf(ada.id), 50);
  EXPECT_EQ(SumOfEntries(ada.id), 50);
  EXPECT_EQ(EntriesOf(ada.id).size(), 1u);
  auto purchased = shop().Purchased(ada);
  ASSERT_THAT(purchased, IsOk());
  EXPECT_TRUE(purchased->items.empty());
}

TEST_P(ShopTest, InactiveAndUnknownItemsAreNotFound) {
  User ada = CreateUser("ada");
  Grant(ada.id, 500, "seed");
  ShopItem hidden = AddItem("Hidden", 10, ShopCategory::kTheme, R"({"theme_key":"x"})", /*active=*/false);
  auto inactive = shop().Buy(ada, hidden.id);
  EXPECT_THAT(inactive, StatusIs(StatusCode::kNotFound));
  EXPECT_EQ(inactive.status().message(), "Item not found");
  EXPECT_THAT(shop().Buy(ada, hidden.id + 1000), StatusIs(StatusCode::kNotFound));
  EXPECT_EQ(BalanceOf(ada.id), 500);
}

TEST_P(ShopTest, FreeItemsAreOwnedWithoutALedgerEntry) {
  User ada = CreateUser("ada");
  ShopItem item = AddItem("Free", 0);
  auto bought = shop().Buy(ada, item.id);
  ASSERT_THAT(bought, IsOk());
  EXPECT_EQ(bought->remaining_xp, 0);
  EXPECT_TRUE(EntriesOf(ada.id).empty());
  EXPECT_TRUE(Owns(ada, item.id));
}

TEST_P(ShopTest, ConcurrentPurchasesOfOneItemChargeOnce) {
  User ada = CreateUser("ada");
  Grant(ada.id, 400, "seed");  // enough for exactly two purchases
  ShopItem item = AddItem("Monokai", 200);

  constexpr int kThreads = 8;
  std::atomic<int> ok{0}, owned{0}, other{0};
  std::vector<std::thread> threads;
  std::atomic<int> ready{0};
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      ready.fetch_add(1);
      while (ready.load() < kThreads) std::this_thread::yield();
      Result<PurchaseOutcome> r = shop().Buy(ada, item.id);
      if (r.ok()) {
        ok.fetch_add(1);
      } else if (r.status().code() == StatusCode::kFailedPrecondition &&
                 r.status().message() == "You already own this item.") {
        owned.fetch_add(1);
      } else {
        ADD_FAILURE() << r.status();
        other.fetch_add(1);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(owned.load(), kThreads - 1);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(BalanceOf(ada.id), 200);
  EXPECT_EQ(SumOfEntries(ada.id), 200);
  int charges = 0;
  for (const LedgerEntry& e : EntriesOf(ada.id)) charges += e.source == XpSource::kStorePurchase ? 1 : 0;
  EXPECT_EQ(charges, 1);
}

TEST_P(ShopTest, EquipAndUnequipEveryCategory) {
  User ada = CreateUser("ada");
  Grant(ada.id, 1000, "seed");
  ShopItem theme = AddItem("Dracula", 100, ShopCategory::kTheme, R"({"theme_key":"dracula","colors":{"bg":"#000"}})");
  ShopItem font = AddItem("JetBrains Mono", 50, ShopCategory::kFont, R"({"font_family":"JetBrains Mono"})");
  ShopItem effect = AddItem("Matrix Rain", 100, ShopCategory::kEffect, R"({"effect_type":"matrix"})");
  ShopItem victory = AddItem("Fireworks", 100, ShopCategory::kVictory, R"({"animation_type":"fireworks"})");
  ShopItem effect2 = AddItem("Sparkle Trail", 100, ShopCategory::kEffect, R"({"effect_key":"sparkle"})");
  ShopItem victory2 = AddItem("Confetti", 100, ShopCategory::kVictory, R"({"victory_key":"confetti"})");
  for (const ShopItem& i : {theme, font, effect, victory, effect2, victory2}) ASSERT_THAT(shop().Buy(ada, i.id), IsOk());

  EXPECT_THAT(shop().Equip(ada, theme.id), IsOkAndHolds(Field(&EquippedItems::theme, "dracula")));
  EXPECT_THAT(shop().Equip(ada, font.id), IsOkAndHolds(Field(&EquippedItems::font, "JetBrains Mono")));
  EXPECT_THAT(shop().Equip(ada, effect.id), IsOkAndHolds(Field(&EquippedItems::effect, "matrix")));
  EXPECT_THAT(shop().Equip(ada, victory.id), IsOkAndHolds(Field(&EquippedItems::victory, "fireworks")));
  UserProfile p = Reload(ada).profile;
  EXPECT_EQ(p.active_theme, "dracula");
  EXPECT_EQ(p.active_font, "JetBrains Mono");
  EXPECT_EQ(p.active_effect, std::optional<std::string>("matrix"));
  EXPECT_EQ(p.active_victory, "fireworks");
  ASSERT_THAT(shop().Equip(ada, effect2.id), IsOk());
  ASSERT_THAT(shop().Equip(ada, victory2.id), IsOk());
  EXPECT_EQ(Reload(ada).profile.active_effect, std::optional<std::string>("sparkle"));
  EXPECT_EQ(Reload(ada).profile.active_victory, "confetti");

  auto purchased = shop().Purchased(ada);
  ASSERT_THAT(purchased, IsOk());
  EXPECT_EQ(purchased->items.size(), 6u);
  EXPECT_EQ(purchased->equipped, (EquippedItems{.theme = "dracula", .font = "JetBrains Mono", .effect = "sparkle",
                                                .victory = "confetti"}));

  EXPECT_THAT(shop().Unequip(ada, "THEME"), IsOkAndHolds(Field(&EquippedItems::theme, "vs-dark")));
  EXPECT_THAT(shop().Unequip(ada, "font"), IsOkAndHolds(Field(&EquippedItems::font, "Fira Code")));
  EXPECT_THAT(shop().Unequip(ada, "Effect"), IsOkAndHolds(Field(&EquippedItems::effect, std::nullopt)));
  EXPECT_THAT(shop().Unequip(ada, "VICTORY"), IsOkAndHolds(Field(&EquippedItems::victory, "default")));
  const UserProfile defaults;
  UserProfile after = Reload(ada).profile;
  EXPECT_EQ(after.active_theme, defaults.active_theme);
  EXPECT_EQ(after.active_font, defaults.active_font);
  EXPECT_EQ(after.active_effect, defaults.active_effect);
  EXPECT_EQ(after.active_victory, defaults.active_victory);
  auto bad = shop().Unequip(ada, "HAT");
  EXPECT_THAT(bad, StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(bad.status().message(), "Invalid category.");
}

// Equipping writes only its category's field: concurrent equips of different categories, and a
// staff action that writes the user back (blocking and unblocking), never undo each other.
TEST_P(ShopTest, ConcurrentEquipsOfDifferentCategoriesAllStick) {
  User ada = CreateUser("ada");
  User boss = MakeSuperuser("boss");
  Grant(ada.id, 1000, "seed");
  ShopItem theme = AddItem("Dracula", 10, ShopCategory::kTheme, R"({"theme_key":"dracula"})");
  ShopItem font = AddItem("JetBrains Mono", 10, ShopCategory::kFont, R"({"font_family":"JetBrains Mono"})");
  ShopItem effect = AddItem("Sparkle", 10, ShopCategory::kEffect, R"({"effect_key":"sparkle"})");
  ShopItem victory = AddItem("Confetti", 10, ShopCategory::kVictory, R"({"victory_key":"confetti"})");
  for (const ShopItem& i : {theme, font, effect, victory}) ASSERT_THAT(shop().Buy(ada, i.id), IsOk());
  for (int round = 0; round < 10; ++round) {
    ASSERT_THAT(shop().Unequip(ada, "THEME"), IsOk());
    ASSERT_THAT(shop().Unequip(ada, "FONT"), IsOk());
    ASSERT_THAT(shop().Unequip(ada, "EFFECT"), IsOk());
    ASSERT_THAT(shop().Unequip(ada, "VICTORY"), IsOk());
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (const ShopItem& i : {theme, font, effect, victory}) {
      threads.emplace_back([&, id = i.id] {
        if (!shop().Equip(ada, id).ok()) failures++;
      });
    }
    threads.emplace_back([&] {
      if (!engine().auth().SetActive(boss, ada.id, true).ok()) failures++;
    });
    for (auto& t : threads) t.join();
    ASSERT_EQ(failures.load(), 0);
    UserProfile p = Reload(ada).profile;
    ASSERT_EQ(p.active_theme, "dracula") << "round " << round;
    ASSERT_EQ(p.active_font, "JetBrains Mono") << "round " << round;
    ASSERT_EQ(p.active_effect, std::optional<std::string>("sparkle")) << "round " << round;
    ASSERT_EQ(p.active_victory, "confetti") << "round " << round;
  }
}

TEST_P(ShopTest, EquipRefusesItemsNotOwnedOrWithoutTheirKey) {
  User ada = CreateUser("ada");
  ShopItem unowned = AddItem("Nord", 0, ShopCategory::kTheme, R"({"theme_key":"nord"})");
  auto r = shop().Equip(ada, unowned.id);
  EXPECT_THAT(r, StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_EQ(r.status().message(), "You do not own this item.");

  const std::pair<ShopCategory, std::string> cases[] = {
      {ShopCategory::kTheme, "Invalid theme data."},
      {ShopCategory::kFont, "Invalid font data."},
      {ShopCategory::kEffect, "Invalid effect data."},
      {ShopCategory::kVictory, "Invalid victory data."},
  };
  for (const auto& [category, message] : cases) {
    // The key of another category, or an empty value, does not count.
    ShopItem item = AddItem(message, 0, category, R"({"colors":{},"theme_key_x":"a","font_family":""})");
    ASSERT_THAT(shop().Buy(ada, item.id), IsOk());
    auto eq = shop().Equip(ada, item.id);
    EXPECT_THAT(eq, StatusIs(StatusCode::kFailedPrecondition)) << message;
    EXPECT_EQ(eq.status().message(), message);
  }
  EXPECT_EQ(Reload(ada).profile.active_theme, "vs-dark");

  // An owned item that staff deactivated can no longer be equipped.
  ShopItem retired = AddItem("Retired", 0, ShopCategory::kTheme, R"({"theme_key":"retired"})");
  ASSERT_THAT(shop().Buy(ada, retired.id), IsOk());
  ShopItemPatch retire;
  retire.is_active = false;
  ASSERT_THAT(shop().Update(staff_, retired.id, retire), IsOk());
  EXPECT_THAT(shop().Equip(ada, retired.id), StatusIs(StatusCode::kNotFound));
  auto purchased = shop().Purchased(ada);
  ASSERT_THAT(purchased, IsOk());
  for (const ShopItem& i : purchased->items) EXPECT_NE(i.id, retired.id);  // inactive items are not listed
}

TEST_P(ShopTest, StaffCreateUpdateDeleteAndDuplicate) {
  ShopItem item = AddItem("Tokyo Night", 200, ShopCategory::kTheme, R"({ "theme_key" : "tokyo-night" })");
  EXPECT_EQ(item.item_data_json, R"({"theme_key":"tokyo-night"})");
  EXPECT_EQ(item.created_at, clock_.Now());

  ShopItemPatch patch;
  patch.cost = 250;
  patch.name = "Tokyo Night Storm";
  patch.image = std::optional<std::string>("store/tokyo.png");
  patch.featured = true;
  auto updated = shop().Update(staff_, item.id, patch);
  ASSERT_THAT(updated, IsOk());
  EXPECT_EQ(updated->cost, 250);
  EXPECT_EQ(updated->name, "Tokyo Night Storm");
  EXPECT_EQ(updated->image, std::optional<std::string>("store/tokyo.png"));
  EXPECT_TRUE(updated->featured);
  EXPECT_EQ(updated->description, item.description);
  ShopItemPatch clear_image;
  clear_image.image = std::optional<std::string>();
  EXPECT_THAT(shop().Update(staff_, item.id, clear_image), IsOkAndHolds(Field(&ShopItem::image, std::nullopt)));
  EXPECT_THAT(shop().Update(staff_, item.id, CostPatch(-1)), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(shop().Update(staff_, 999999, CostPatch(1)), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(shop().Get(staff_, item.id), IsOkAndHolds(Field(&ShopItemView::item, Field(&ShopItem::cost, 250))));

  auto copy = shop().Duplicate(staff_, item.id);
  ASSERT_THAT(copy, IsOk());
  EXPECT_NE(copy->id, item.id);
  EXPECT_EQ(copy->name, "Tokyo Night Storm (Copy)");
  EXPECT_FALSE(copy->is_active);
  EXPECT_EQ(copy->key, "");
  EXPECT_EQ(copy->cost, 250);
  EXPECT_EQ(copy->item_data_json, R"({"theme_key":"tokyo-night"})");
  // Work the caller adds to the copy's transaction commits with it or takes the copy back with it.
  std::int64_t hooked_id = 0;
  auto hooked = shop().Duplicate(staff_, item.id, [&](StorageTransaction&, const ShopItem& c) -> Status {
    hooked_id = c.id;
    return Status::Internal("the audit record failed");
  });
  EXPECT_THAT(hooked, StatusIs(StatusCode::kInternal));
  ASSERT_NE(hooked_id, 0);
  EXPECT_THAT(shop().Get(staff_, hooked_id), StatusIs(StatusCode::kNotFound));
  ShopItem long_name = AddItem(std::string(100, 'n'), 1);
  auto long_copy = shop().Duplicate(staff_, long_name.id);
  ASSERT_THAT(long_copy, IsOk());
  EXPECT_EQ(long_copy->name, std::string(93, 'n') + " (Copy)");

  ASSERT_THAT(shop().Delete(staff_, item.id), IsOk());
  EXPECT_THAT(shop().Get(staff_, item.id), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(shop().Delete(staff_, item.id), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(shop().Get(staff_, copy->id), IsOk());

  ShopItem keyed;
  keyed.name = "Keyed";
  keyed.key = "theme-keyed";
  ASSERT_THAT(shop().Create(staff_, keyed), IsOk());
  EXPECT_THAT(shop().Create(staff_, keyed), StatusIs(StatusCode::kAlreadyExists));
}

TEST_P(ShopTest, StaffValidationNamesTheBadField) {
  auto attempt = [&](auto mutate) {
    ShopItem item;
    item.name = "Valid";
    item.cost = 10;
    mutate(item);
    return shop().Create(staff_, item).status();
  };
  const std::pair<std::function<void(ShopItem&)>, std::string> cases[] = {
      {[](ShopItem& i) { i.name = ""; }, "name"},
      {[](ShopItem& i) { i.name = "   "; }, "name"},
      {[](ShopItem& i) { i.name = std::string(101, 'x'); }, "name"},
      {[](ShopItem& i) { i.description = std::string(1001, 'x'); }, "description"},
      {[](ShopItem& i) { i.cost = -1; }, "cost"},
      {[](ShopItem& i) { i.cost = 1'000'001; }, "cost"},
      {[](ShopItem& i) { i.icon_name = std::string(51, 'x'); }, "icon_name"},
      {[](ShopItem& i) { i.image = std::string(256, 'x'); }, "image"},
      {[](ShopItem& i) { i.item_data_json = "[1,2]"; }, "item_data"},
      {[](ShopItem& i) { i.item_data_json = "not json"; }, "item_data"},
      {[](ShopItem& i) { i.item_data_json = R"({"k":")" + std::string(4100, 'x') + "\"}"; }, "item_data"},
  };
  for (const auto& [mutate, field] : cases) {
    Status s = attempt(mutate);
    EXPECT_THAT(s, StatusIs(StatusCode::kInvalidArgument)) << field;
    EXPECT_THAT(s.message(), HasSubstr(field));
  }
  // The limits themselves are accepted; names count characters, not bytes.
  EXPECT_THAT(attempt([](ShopItem& i) {
                i.name = std::string(100, 'x');
                i.cost = 1'000'000;
                i.description = std::string(1000, 'x');
              }),
              IsOk());
  std::string accented;
  for (int i = 0; i < 100; ++i) accented += "\xC3\xA9";  // é
  EXPECT_THAT(attempt([&](ShopItem& i) { i.name = accented; }), IsOk());
  auto listed = shop().List(staff_);
  ASSERT_THAT(listed, IsOk());
  EXPECT_EQ(listed->size(), 2u);
}

TEST_P(ShopTest, PlayersMayNotManageItems) {
  User ada = CreateUser("ada");
  ShopItem item = AddItem("Nord", 100);
  ShopItem fresh;
  fresh.name = "Mine";
  EXPECT_THAT(shop().Create(ada, fresh), StatusIs(StatusCode::kPermissionDenied));
  EXPECT_THAT(shop().Update(ada, item.id, CostPatch(0)), StatusIs(StatusCode::kPermissionDenied));
  EXPECT_THAT(shop().Delete(ada, item.id), StatusIs(StatusCode::kPermissionDenied));
  EXPECT_THAT(shop().Duplicate(ada, item.id), StatusIs(StatusCode::kPermissionDenied));
  User blocked_staff = MakeStaff("former");
  blocked_staff.is_active = false;
  EXPECT_THAT(shop().Delete(blocked_staff, item.id), StatusIs(StatusCode::kPermissionDenied));
  auto listed = shop().List(staff_);
  ASSERT_THAT(listed, IsOk());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().item.cost, 100);
}

TEST_P(ShopTest, LoadsTheShippedCatalogueAndReloadsInPlace) {
  auto n = shop().LoadCatalogue(CatalogueFile());
  ASSERT_THAT(n, IsOk());
  EXPECT_EQ(*n, 32);
  auto items = shop().List(staff_);
  ASSERT_THAT(items, IsOk());
  ASSERT_EQ(items->size(), 32u);
  std::map<ShopCategory, int> per_category;
  std::map<std::string, std::int64_t> ids;
  for (const ShopItemView& v : *items) {
    per_category[v.item.category]++;
    ids[v.item.key] = v.item.id;
    EXPECT_TRUE(v.item.is_active) << v.item.key;
    EXPECT_FALSE(v.item.icon_name.empty()) << v.item.key;
    EXPECT_FALSE(v.item.description.empty()) << v.item.key;
  }
  EXPECT_EQ(ids.size(), 32u);
  for (ShopCategory c : {ShopCategory::kTheme, ShopCategory::kFont, ShopCategory::kEffect, ShopCategory::kVictory}) {
    EXPECT_EQ(per_category[c], 8) << ShopCategoryName(c);
  }

  // The shipped items equip: spot checks of each category's data.
  User ada = CreateUser("ada");
  Grant(ada.id, 5000, "seed");
  const std::pair<std::string, std::string> expected[] = {
      {"theme-dracula", "dracula"}, {"font-comic-code", "Comic Neue"},
      {"effect-sparkle", "sparkle"}, {"victory-confetti", "confetti"}};
  for (const auto& [key, value] : expected) {
    ASSERT_EQ(ids.count(key), 1u) << key;
    ASSERT_THAT(shop().Buy(ada, ids[key]), IsOk()) << key;
    ASSERT_THAT(shop().Equip(ada, ids[key]), IsOk()) << key;
  }
  EXPECT_EQ(Reload(ada).profile.active_theme, "dracula");
  EXPECT_EQ(Reload(ada).profile.active_font, "Comic Neue");
  EXPECT_EQ(Reload(ada).profile.active_effect, std::optional<std::string>("sparkle"));
  EXPECT_EQ(Reload(ada).profile.active_victory, "confetti");
  auto dracula = shop().Get(ada, ids["theme-dracula"]);
  ASSERT_THAT(dracula, IsOk());
  EXPECT_EQ(dracula->item.cost, 100);
  EXPECT_EQ(dracula->item.name, "Dracula");
  EXPECT_TRUE(dracula->is_owned);

  // Reloading updates in place: same ids, no duplicates, ownership kept, staff edits overwritten.
  ASSERT_THAT(shop().Update(staff_, ids["theme-dracula"], CostPatch(1)), IsOk());
  ASSERT_THAT(shop().LoadCatalogue(CatalogueFile()), IsOkAndHolds(32));
  auto again = shop().List(staff_);
  ASSERT_THAT(again, IsOk());
  ASSERT_EQ(again->size(), 32u);
  for (const ShopItemView& v : *again) EXPECT_EQ(ids[v.item.key], v.item.id) << v.item.key;
  dracula = shop().Get(ada, ids["theme-dracula"]);
  ASSERT_THAT(dracula, IsOk());
  EXPECT_EQ(dracula->item.cost, 100);
  EXPECT_TRUE(dracula->is_owned);
}

TEST_P(ShopTest, BadCatalogueFilesAreRefusedWithTheItemIndex) {
  EXPECT_THAT(shop().LoadCatalogue((dir_.path() / "missing.json").string()), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(shop().LoadCatalogue(WriteFile("garbage.json", "[{")), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(shop().LoadCatalogue(WriteFile("object.json", R"({"key":"x"})")),
              StatusIs(StatusCode::kInvalidArgument));
  const std::string good = R"({"key":"theme-a","name":"A","cost":10,"category":"THEME","item_data":{"theme_key":"a"}})";
  const std::pair<std::string, std::string> cases[] = {
      {R"({"name":"B","cost":10,"category":"THEME"})", "item 1: missing \"key\""},
      {R"({"key":"b","name":"B","category":"THEME"})", "item 1: missing \"cost\""},
      {R"({"key":"b","name":"B","cost":"10","category":"THEME"})", "item 1: \"cost\" must be an integer"},
      {R"({"key":"b","name":"B","cost":-5,"category":"THEME"})", "item 1: cost must be between 0 and 1000000"},
      {R"({"key":"b","name":"B","cost":5,"category":"HAT"})", "item 1: unknown category \"HAT\""},
      {R"({"key":"b","name":"B","cost":5,"category":"FONT","item_data":[]})", "item 1: item_data must be a JSON object"},
      {R"({"key":"b","name":"B","cost":5,"category":"FONT","colour":"red"})", "item 1: unknown field \"colour\""},
      {R"({"key":"theme-a","name":"B","cost":5,"category":"FONT"})", "item 1: duplicate key \"theme-a\""},
      {R"("just a string")", "item 1: not a JSON object"},
  };
  for (const auto& [bad, message] : cases) {
    auto r = shop().LoadCatalogue(WriteFile("bad.json", "[" + good + "," + bad + "]"));
    EXPECT_THAT(r, StatusIs(StatusCode::kInvalidArgument)) << bad;
    EXPECT_EQ(r.status().message(), message);
  }
  auto items = shop().List(staff_);  // nothing of a refused file is written
  ASSERT_THAT(items, IsOk());
  EXPECT_TRUE(items->empty());
  EXPECT_THAT(shop().LoadCatalogue(WriteFile("good.json", "[" + good + "]")), IsOkAndHolds(1));
}

INSTANTIATE_TEST_SUITE_P(Backends, ShopTest, ::testing::ValuesIn(AllBackends()), BackendParamName);

}  // namespace
}  // namespace clash
