// clash/stores/shop_store.h — storage of store items and purchases (used by clash::Shop).
//
// For backend authors: implement these interfaces (reached through StorageTransaction, clash/storage.h)
// to add a storage backend; application code never calls them directly. Every method runs inside the
// transaction that handed the store out and documents its success and failure results; the contract
// suite (tests/storage/) checks them on every backend.
//
// Thread-safety: a store belongs to the thread running its transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "clash/clock.h"
#include "clash/export.h"
#include "clash/shop.h"
#include "clash/status.h"

namespace clash {

struct PurchaseRecord {
  ShopItem item;
  Timestamp purchased_at;
};

class CLASH_EXPORT ShopStore {
 public:
  virtual ~ShopStore() = default;
  // Inserts an item (id ignored) and returns its id. AlreadyExists for a taken non-empty key.
  virtual Result<std::int64_t> Insert(const ShopItem& item) = 0;
  // Inserts, or updates the item with the same (non-empty) key, keeping its id and created_at.
  virtual Result<std::int64_t> UpsertByKey(const ShopItem& item) = 0;
  // NotFound if absent.
  virtual Result<ShopItem> Get(std::int64_t id) = 0;
  // Items newest first (created_at, then id), inactive ones only if `include_inactive`.
  virtual Result<std::vector<ShopItem>> List(bool include_inactive) = 0;
  // Writes every field but id, key and created_at. NotFound if absent.
  virtual Status Update(const ShopItem& item) = 0;
  // Deletes the item and its purchases. NotFound if absent.
  virtual Status Delete(std::int64_t id) = 0;
  // Records that `user_id` owns `item_id`; false if they already did (concurrent calls: exactly
  // one true).
  virtual Result<bool> InsertPurchase(std::int64_t user_id, std::int64_t item_id, std::int64_t cost,
                                      Timestamp now) = 0;
  // Ids of the items the user owns.
  virtual Result<std::vector<std::int64_t>> OwnedItemIds(std::int64_t user_id) = 0;
  // The user's purchases, newest first, inactive items included.
  virtual Result<std::vector<PurchaseRecord>> Purchases(std::int64_t user_id) = 0;
};

}  // namespace clash
