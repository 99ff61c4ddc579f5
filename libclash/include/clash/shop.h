// clash/shop.h — the cosmetics store: themes, fonts, effects and victory animations bought with XP.
//
// Items are loaded from a catalogue file (data/store/items.json, 32 items) like the levels, keyed by
// a stable `key` so reloading updates rather than duplicates; staff may also create, edit, delete and
// duplicate items. A purchase spends XP through the ledger (source store_purchase, idempotency key
// "store:<item id>") and records ownership in the same transaction: of two concurrent purchases of
// one item by one user exactly one is charged. Equipping writes the profile's active_theme,
// active_font, active_effect or active_victory from the item's item_data.
//
// Thread-safety: Shop is safe for concurrent use.
//
// Example:
//   CLASH_ASSIGN_OR_RETURN(int n, engine->shop().LoadCatalogue("data/store/items.json"));
//   CLASH_ASSIGN_OR_RETURN(clash::PurchaseOutcome p, engine->shop().Buy(user, item_id));
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "clash/auth.h"
#include "clash/clock.h"
#include "clash/export.h"
#include "clash/status.h"

namespace clash {

class StorageTransaction;

class Storage;

enum class ShopCategory { kTheme, kFont, kEffect, kVictory };

// "THEME", "FONT", "EFFECT", "VICTORY".
CLASH_EXPORT std::string_view ShopCategoryName(ShopCategory category);
// Accepts the names above (case-insensitive); InvalidArgument("Invalid category.") otherwise.
CLASH_EXPORT Result<ShopCategory> ParseShopCategory(std::string_view name);

struct ShopItem {
  std::int64_t id = 0;
  std::string key;                      // catalogue key ("theme-dracula"); empty for staff-made items
  std::string name;                     // 1-100 characters
  std::string description;              // at most 1000 characters
  std::int64_t cost = 0;                // XP, 0-1,000,000
  ShopCategory category = ShopCategory::kTheme;
  std::string icon_name;                // at most 50 characters
  std::optional<std::string> image;     // URL or path, at most 255 characters
  std::string item_data_json = "{}";   // a JSON object: theme_key, font_family, effect_key, ...
  bool is_active = true;
  bool featured = false;
  Timestamp created_at;
  bool operator==(const ShopItem&) const = default;
};

struct ShopItemView {
  ShopItem item;
  bool is_owned = false;
};

// The profile's equipped cosmetics.
struct EquippedItems {
  std::string theme = "vs-dark";
  std::string font = "Fira Code";
  std::optional<std::string> effect;
  std::string victory = "default";
  bool operator==(const EquippedItems&) const = default;
};

struct PurchaseOutcome {
  ShopItem item;
  std::int64_t remaining_xp = 0;
};

struct PurchasedItems {
  std::vector<ShopItem> items;          // active items owned, newest purchase first
  EquippedItems equipped;
};

// A partial update: unset fields stay as they are.
struct ShopItemPatch {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::int64_t> cost;
  std::optional<ShopCategory> category;
  std::optional<std::string> icon_name;
  std::optional<std::optional<std::string>> image;  // set to nullopt to clear
  std::optional<std::string> item_data_json;
  std::optional<bool> is_active;
  std::optional<bool> featured;

  // `item` with the set fields replaced (Create takes a patch applied to ShopItem{} this way).
  ShopItem ApplyTo(ShopItem item) const {
    if (name) item.name = *name;
    if (description) item.description = *description;
    if (cost) item.cost = *cost;
    if (category) item.category = *category;
    if (icon_name) item.icon_name = *icon_name;
    if (image) item.image = *image;
    if (item_data_json) item.item_data_json = *item_data_json;
    if (is_active) item.is_active = *is_active;
    if (featured) item.featured = *featured;
    return item;
  }
};

// How DecodeShopItemFields reads an object of item fields.
struct ShopItemDecoding {
  enum class Style {
    // A staff request (HTTP body, Python keyword arguments): lenient like the reference's forms (cost
    // may be "10" or 10.0, null means absent except for image, where it clears), the reference's
    // messages ("cost: A valid integer is required.", "name: This field is required.",
    // "category: \"HAT\" is not a valid choice.") with details field and problem.
    kRequest,
    // A catalogue file entry (Shop::LoadCatalogue): strict JSON types, key, name, category and cost
    // required, unknown fields refused ("missing \"cost\"", "\"cost\" must be an integer").
    kCatalogue,
  };
  Style style = Style::kRequest;
  bool require_all = false;     // kRequest: name, cost and icon_name must be present (create, PUT)
  bool refuse_unknown = false;  // kRequest: an unknown field is an error (always so for kCatalogue)
};

struct DecodedShopItem {
  ShopItemPatch patch;
  std::optional<std::string> key;  // the catalogue key, when given
};

// The one reader of store item fields: the host's staff routes, the Python bindings and the
// catalogue loader all decode through it. `json_object` is a JSON object's text. InvalidArgument
// for malformed input, with detail `field` naming the field when one field is wrong. Ranges (cost
// 0-1000000, lengths, item_data being an object) are checked by Shop::Create/Update.
CLASH_EXPORT Result<DecodedShopItem> DecodeShopItemFields(std::string_view json_object,
                                                         const ShopItemDecoding& how = {});

class CLASH_EXPORT Shop {
 public:
  Shop(Storage& storage, Clock& clock);

  // Items newest first with is_owned for `viewer`; staff see inactive items too.
  Result<std::vector<ShopItemView>> List(const User& viewer);
  // NotFound for an unknown item, and for an inactive one unless `viewer` is staff.
  Result<ShopItemView> Get(const User& viewer, std::int64_t item_id);
  // NotFound (unknown or inactive item); FailedPrecondition "You already own this item.";
  // InsufficientFunds "Insufficient XP. Need <n> more." with details required_xp, current_xp,
  // shortage, how_to_earn.
  Result<PurchaseOutcome> Buy(const User& buyer, std::int64_t item_id);
  // NotFound (unknown or inactive item); FailedPrecondition "You do not own this item.",
  // "Invalid theme data." (font/effect/victory alike) when item_data lacks the key.
  Result<EquippedItems> Equip(const User& user, std::int64_t item_id);
  // Restores the category's default. InvalidArgument "Invalid category.".
  Result<EquippedItems> Unequip(const User& user, std::string_view category);
  Result<PurchasedItems> Purchased(const User& user);

  // Staff only (PermissionDenied otherwise); InvalidArgument for a field out of range or
  // item_data that is not a JSON object; AlreadyExists for a duplicate non-empty key.
  Result<ShopItem> Create(const User& actor, ShopItem item);
  Result<ShopItem> Update(const User& actor, std::int64_t item_id, const ShopItemPatch& patch);
  Status Delete(const User& actor, std::int64_t item_id);
  // A copy named "<name> (Copy)", inactive, without a key. `in_same_transaction`, if set, runs in
  // the transaction that inserts the copy (the admin console's audit record): its error rolls the
  // copy back.
  using DuplicateHook = std::function<Status(StorageTransaction& tx, const ShopItem& copy)>;
  Result<ShopItem> Duplicate(const User& actor, std::int64_t item_id, const DuplicateHook& in_same_transaction = {});

  // Reads a JSON array of items ({key, name, description, cost, category, icon_name, image,
  // item_data, featured, is_active}) and inserts or updates each by key, in one transaction.
  // Returns how many items the file holds. InvalidArgument (with the item's index) for a bad item.
  Result<int> LoadCatalogue(const std::string& path);

 private:
  Storage& storage_;
  Clock& clock_;
};

}  // namespace clash
