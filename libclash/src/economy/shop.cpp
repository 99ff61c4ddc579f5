// Shop: the cosmetics store. Listing, buying (ownership and the XP spend in one transaction),
// equipping, and the staff operations. The catalogue file reader is at the end of this file.
#include "clash/shop.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "clash/economy.h"
#include "clash/storage.h"
#include "economy/ledger_internal.h"

namespace clash {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxName = 100;
constexpr std::size_t kMaxDescription = 1000;
constexpr std::int64_t kMaxCost = 1'000'000;
constexpr std::size_t kMaxIconName = 50;
constexpr std::size_t kMaxImage = 255;
constexpr std::size_t kMaxKey = 100;
constexpr std::size_t kMaxItemDataBytes = 4096;

bool IsStaff(const User& user) { return Require(user, Permission::kViewAdmin).ok(); }

// Characters (UTF-8 code points) in `s`.
std::size_t CharCount(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// The longest prefix of `s` with at most `n` characters.
std::string CharPrefix(std::string_view s, std::size_t n) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (chars == n) return std::string(s.substr(0, i));
      ++chars;
    }
  }
  return std::string(s);
}

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// Parses item_data: a JSON object of at most kMaxItemDataBytes. Returns its compact form.
Result<std::string> NormalizeItemData(std::string_view text) {
  if (text.size() > kMaxItemDataBytes) {
    return Status::InvalidArgument("item_data must be at most " + std::to_string(kMaxItemDataBytes) + " bytes");
  }
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return Status::InvalidArgument("item_data must be a JSON object");
  std::string out = Dump(j);
  if (out.size() > kMaxItemDataBytes) {
    return Status::InvalidArgument("item_data must be at most " + std::to_string(kMaxItemDataBytes) + " bytes");
  }
  return out;
}

// Checks every field's range and normalises item_data. InvalidArgument names the field.
Status ValidateItem(ShopItem& item) {
  if (item.name.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Status::InvalidArgument("name must not be blank");
  }
  if (CharCount(item.name) > kMaxName) return Status::InvalidArgument("name must be at most 100 characters");
  if (CharCount(item.description) > kMaxDescription) {
    return Status::InvalidArgument("description must be at most 1000 characters");
  }
  if (item.cost < 0 || item.cost > kMaxCost) return Status::InvalidArgument("cost must be between 0 and 1000000");
  if (CharCount(item.icon_name) > kMaxIconName) {
    return Status::InvalidArgument("icon_name must be at most 50 characters");
  }
  if (item.image && CharCount(*item.image) > kMaxImage) {
    return Status::InvalidArgument("image must be at most 255 characters");
  }
  if (CharCount(item.key) > kMaxKey) return Status::InvalidArgument("key must be at most 100 characters");
  CLASH_ASSIGN_OR_RETURN(item.item_data_json, NormalizeItemData(item.item_data_json));
  return Status::Ok();
}

// The item, with the client-facing NotFound message.
Result<ShopItem> LoadItem(StorageTransaction& tx, std::int64_t item_id) {
  Result<ShopItem> item = tx.shop().Get(item_id);
  if (!item.ok() && item.status().code() == StatusCode::kNotFound) return Status::NotFound("Item not found");
  return item;
}

// The item if a player may use it: it exists and is active.
Result<ShopItem> LoadActiveItem(StorageTransaction& tx, std::int64_t item_id) {
  CLASH_ASSIGN_OR_RETURN(ShopItem item, LoadItem(tx, item_id));
  if (!item.is_active) return Status::NotFound("Item not found");
  return item;
}

Result<bool> Owns(StorageTransaction& tx, std::int64_t user_id, std::int64_t item_id) {
  CLASH_ASSIGN_OR_RETURN(std::vector<std::int64_t> owned, tx.shop().OwnedItemIds(user_id));
  return std::find(owned.begin(), owned.end(), item_id) != owned.end();
}

EquippedItems EquippedOf(const UserProfile& p) {
  return EquippedItems{.theme = p.active_theme, .font = p.active_font, .effect = p.active_effect,
                       .victory = p.active_victory};
}

// The first of `keys` that item_data holds as a non-empty string.
std::optional<std::string> DataValue(const json& data, std::initializer_list<const char*> keys) {
  for (const char* key : keys) {
    auto it = data.find(key);
    if (it != data.end() && it->is_string() && !it->get<std::string>().empty()) return it->get<std::string>();
  }
  return std::nullopt;
}

// Rewrites the ledger's InsufficientFunds into the store's message, with the same details.
Status StoreShortage(const Status& ledger_status, std::int64_t cost) {
  std::int64_t required = cost;
  std::int64_t current = 0;
  for (const StatusDetail& d : ledger_status.details()) {
    if (!std::holds_alternative<std::int64_t>(d.value)) continue;
    if (d.key == "required_xp") required = std::get<std::int64_t>(d.value);
    if (d.key == "current_xp") current = std::get<std::int64_t>(d.value);
  }
  const std::int64_t shortage = std::max<std::int64_t>(required - current, 0);
  return internal::InsufficientXp(required, current, "Insufficient XP. Need " + std::to_string(shortage) + " more.");
}

}  // namespace

Shop::Shop(Storage& storage, Clock& clock) : storage_(storage), clock_(clock) {}

Result<std::vector<ShopItemView>> Shop::List(const User& viewer) {
  const bool staff = IsStaff(viewer);
  std::vector<ShopItemView> out;
  Status status = storage_.Read([&](StorageTransaction& tx) -> Status {
    out.clear();
    CLASH_ASSIGN_OR_RETURN(std::vector<ShopItem> items, tx.shop().List(/*include_inactive=*/staff));
    CLASH_ASSIGN_OR_RETURN(std::vector<std::int64_t> owned_ids, tx.shop().OwnedItemIds(viewer.id));
    std::unordered_set<std::int64_t> owned(owned_ids.begin(), owned_ids.end());
    for (ShopItem& item : items) {
      const bool is_owned = owned.count(item.id) > 0;
      out.push_back(ShopItemView{.item = std::move(item), .is_owned = is_owned});
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return out;
}

Result<ShopItemView> Shop::Get(const User& viewer, std::int64_t item_id) {
  const bool staff = IsStaff(viewer);
  ShopItemView out;
  Status status = storage_.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(out.item, staff ? LoadItem(tx, item_id) : LoadActiveItem(tx, item_id));
    CLASH_ASSIGN_OR_RETURN(out.is_owned, Owns(tx, viewer.id, item_id));
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return out;
}

Result<PurchaseOutcome> Shop::Buy(const User& buyer, std::int64_t item_id) {
  PurchaseOutcome out;
  Status status = storage_.Transact([&](StorageTransaction& tx) -> Status {
    const Timestamp now = clock_.Now();
    CLASH_ASSIGN_OR_RETURN(out.item, LoadActiveItem(tx, item_id));
    // Ownership first: of two concurrent purchases exactly one inserts, the other stops here.
    CLASH_ASSIGN_OR_RETURN(bool inserted, tx.shop().InsertPurchase(buyer.id, item_id, out.item.cost, now));
    if (!inserted) return Status::FailedPrecondition("You already own this item.");
    if (out.item.cost == 0) {
      CLASH_ASSIGN_OR_RETURN(out.remaining_xp, tx.ledger().Balance(buyer.id));
      return Status::Ok();
    }
    const std::string id = std::to_string(item_id);
    Result<LedgerResult> spent = Ledger::ApplyIn(tx,
                                                 XpChange{.user_id = buyer.id, .amount = -out.item.cost,
                                                          .source = XpSource::kStorePurchase,
                                                          .reference = "item:" + id, .idempotency_key = "store:" + id,
                                                          .actor_id = buyer.id, .reason = "store purchase"},
                                                 now);
    if (!spent.ok()) {
      if (spent.status().code() == StatusCode::kInsufficientFunds) return StoreShortage(spent.status(), out.item.cost);
      return spent.status();
    }
    // A new ownership whose spend was already on record means the charge would be skipped (an item
    // id used twice); refuse rather than hand the item out for free.
    if (!spent->applied) return Status::Internal("store purchase key store:" + id + " was already used");
    out.remaining_xp = spent->balance;
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return out;
}

Result<EquippedItems> Shop::Equip(const User& user, std::int64_t item_id) {
  EquippedItems out;
  Status status = storage_.Transact([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(ShopItem item, LoadActiveItem(tx, item_id));
    CLASH_ASSIGN_OR_RETURN(bool owned, Owns(tx, user.id, item_id));
    if (!owned) return Status::FailedPrecondition("You do not own this item.");
    json data = json::parse(item.item_data_json, nullptr, /*allow_exceptions=*/false);
    if (!data.is_object()) data = json::object();
    std::optional<std::string> value;
    switch (item.category) {
      case ShopCategory::kTheme:
        value = DataValue(data, {"theme_key"});
        if (!value) return Status::FailedPrecondition("Invalid theme data.");
        break;
      case ShopCategory::kFont:
        value = DataValue(data, {"font_family"});
        if (!value) return Status::FailedPrecondition("Invalid font data.");
        break;
      case ShopCategory::kEffect:
        value = DataValue(data, {"effect_key", "effect_type"});
        if (!value) return Status::FailedPrecondition("Invalid effect data.");
        break;
      case ShopCategory::kVictory:
        value = DataValue(data, {"victory_key", "animation_type"});
        if (!value) return Status::FailedPrecondition("Invalid victory data.");
        break;
    }
    // Only this category's field is written: a concurrent equip of another category, or a profile
    // edit, is never undone.
    CLASH_RETURN_IF_ERROR(tx.users().SetEquipped(user.id, item.category, value));
    CLASH_ASSIGN_OR_RETURN(User stored, tx.users().GetById(user.id));
    out = EquippedOf(stored.profile);
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return out;
}

Result<EquippedItems> Shop::Unequip(const User& user, std::string_view category) {
  CLASH_ASSIGN_OR_RETURN(ShopCategory cat, ParseShopCategory(category));
  EquippedItems out;
  Status status = storage_.Transact([&](StorageTransaction& tx) -> Status {
    const UserProfile defaults;
    std::optional<std::string> value;
    switch (cat) {
      case ShopCategory::kTheme: value = defaults.active_theme; break;
      case ShopCategory::kFont: value = defaults.active_font; break;
      case ShopCategory::kEffect: value = defaults.active_effect; break;
      case ShopCategory::kVictory: value = defaults.active_victory; break;
    }
    CLASH_RETURN_IF_ERROR(tx.users().SetEquipped(user.id, cat, value));
    CLASH_ASSIGN_OR_RETURN(User stored, tx.users().GetById(user.id));
    out = EquippedOf(stored.profile);
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return out;
}

Result<PurchasedItems> Shop::Purchased(const User& user) {
  PurchasedItems out;
  Status status = storage_.Read([&](StorageTransaction& tx) -> Status {
    out.items.clear();
    CLASH_ASSIGN_OR_RETURN(std::vector<PurchaseRecord> purchases, tx.shop().Purchases(user.id));
    for (PurchaseRecord& p : purchases) {
      if (p.item.is_active) out.items.push_back(std::move(p.item));
    }
    CLASH_ASSIGN_OR_RETURN(User stored, tx.users().GetById(user.id));
    out.equipped = EquippedOf(stored.profile);
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Staff operations

Result<ShopItem> Shop::Create(const User& actor, ShopItem item) {
  CLASH_RETURN_IF_ERROR(Require(actor, Permission::kViewAdmin));
  CLASH_RETURN_IF_ERROR(ValidateItem(item));
  ShopItem out;
  Status status = storage_.Transact([&](StorageTransaction& tx) -> Status {
    ShopItem fresh = item;
    fresh.created_at = clock_.Now();
    CLASH_ASSIGN_OR_RETURN(std::int64_t id, tx.shop().Insert(fresh));
    CLASH_ASSIGN_OR_RETURN(out, tx.shop().Get(id));
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return out;
}

Result<ShopItem> Shop::Update(const User& actor, std::int64_t item_id, const ShopItemPatch& patch) {
  CLASH_RETURN_IF_ERROR(Require(actor, Permission::kViewAdmin));
  ShopItem out;
  Status status = storage_.Transact([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(ShopItem item, LoadItem(tx, item_id));
    item = patch.ApplyTo(std::move(item));
    CLASH_RETURN_IF_ERROR(ValidateItem(item));
    CLASH_RETURN_IF_ERROR(tx.shop().Update(item));
    CLASH_ASSIGN_OR_RETURN(out, tx.shop().Get(item_id));
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return out;
}

Status Shop::Delete(const User& actor, std::int64_t item_id) {
  CLASH_RETURN_IF_ERROR(Require(actor, Permission::kViewAdmin));
  return storage_.Transact([&](StorageTransaction& tx) -> Status {
    CLASH_RETURN_IF_ERROR(LoadItem(tx, item_id));
    return tx.shop().Delete(item_id);
  });
}

Result<ShopItem> Shop::Duplicate(const User& actor, std::int64_t item_id, const DuplicateHook& in_same_transaction) {
  CLASH_RETURN_IF_ERROR(Require(actor, Permission::kViewAdmin));
  static constexpr std::string_view kSuffix = " (Copy)";
  ShopItem out;
  Status status = storage_.Transact([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(ShopItem copy, LoadItem(tx, item_id));
    copy.id = 0;
    copy.key.clear();
    copy.name = CharPrefix(copy.name, kMaxName - kSuffix.size()) + std::string(kSuffix);
    copy.is_active = false;
    copy.created_at = clock_.Now();
    CLASH_ASSIGN_OR_RETURN(std::int64_t id, tx.shop().Insert(copy));
    CLASH_ASSIGN_OR_RETURN(out, tx.shop().Get(id));
    if (in_same_transaction) return in_same_transaction(tx, out);
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Catalogue file

namespace {

// One catalogue entry; InvalidArgument names the problem (the caller adds the index).
Result<ShopItem> ParseCatalogueItem(const json& j) {
  ShopItemDecoding how;
  how.style = ShopItemDecoding::Style::kCatalogue;
  CLASH_ASSIGN_OR_RETURN(DecodedShopItem decoded, DecodeShopItemFields(Dump(j), how));
  ShopItem item = decoded.patch.ApplyTo(ShopItem{});
  item.key = decoded.key.value_or("");
  CLASH_RETURN_IF_ERROR(ValidateItem(item));
  return item;
}

}  // namespace

Result<int> Shop::LoadCatalogue(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return Status::NotFound("catalogue file not found: " + path);
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("catalogue file cannot be read: " + path);
  std::ostringstream text;
  text << in.rdbuf();
  json doc = json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Status::InvalidArgument(path + ": not valid JSON");
  if (!doc.is_array()) return Status::InvalidArgument(path + ": expected a JSON array of items");
  std::vector<ShopItem> items;
  std::unordered_set<std::string> keys;
  for (std::size_t i = 0; i < doc.size(); ++i) {
    Result<ShopItem> item = ParseCatalogueItem(doc[i]);
    if (!item.ok()) return Status::InvalidArgument("item " + std::to_string(i) + ": " + item.status().message());
    if (!keys.insert(item->key).second) {
      return Status::InvalidArgument("item " + std::to_string(i) + ": duplicate key \"" + item->key + "\"");
    }
    items.push_back(std::move(item).value());
  }
  Status status = storage_.Transact([&](StorageTransaction& tx) -> Status {
    const Timestamp now = clock_.Now();
    for (ShopItem item : items) {
      item.created_at = now;
      CLASH_RETURN_IF_ERROR(tx.shop().UpsertByKey(item));
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return static_cast<int>(items.size());
}

}  // namespace clash
