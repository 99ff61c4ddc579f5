// clash/stores/level_store.h — storage of levels of the campaign (used by clash::Catalogue).
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

#include "clash/catalogue.h"
#include "clash/export.h"
#include "clash/status.h"

namespace clash {

// Levels. Used by the catalogue.
class CLASH_EXPORT LevelStore {
 public:
  virtual ~LevelStore() = default;
  // Inserts `level` or replaces the level with the same slug, secrets included. Returns the level's
  // id (kept on replace). AlreadyExists is never returned: a slug collision means replace.
  // FailedPrecondition if created_for_user names a user that does not exist.
  virtual Result<std::int64_t> Upsert(const Level& level) = 0;
  // All levels (global and personalised) ordered by (order, slug). `with_secrets` false leaves
  // Level::secrets empty.
  virtual Result<std::vector<Level>> List(bool with_secrets) = 0;
  // The global levels (created_for_user unset) ordered by (order, slug), without secrets.
  virtual Result<std::vector<Level>> ListGlobal() = 0;
  // The personalised levels of `user_id` ordered by (order, slug), without secrets.
  virtual Result<std::vector<Level>> ListFor(std::int64_t user_id) = 0;
  // The users that have personalised levels, ascending.
  virtual Result<std::vector<std::int64_t>> PersonalOwners() = 0;
  // The level with `slug`; NotFound if there is none.
  virtual Result<Level> Get(std::string_view slug, bool with_secrets) = 0;
  // Removes the level with `slug` (and, by cascade, what other tables record about it); NotFound
  // if there is none.
  virtual Status Remove(std::string_view slug) = 0;
};

}  // namespace clash
