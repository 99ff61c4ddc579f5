// clash/stores/achievement_store.h — storage of achievements and unlocks (used by clash::Achievements).
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

#include "clash/achievements.h"
#include "clash/clock.h"
#include "clash/export.h"
#include "clash/status.h"

namespace clash {

class CLASH_EXPORT AchievementStore {
 public:
  virtual ~AchievementStore() = default;
  // Inserts or updates by slug; returns the id (kept on update).
  virtual Result<std::int64_t> Upsert(const Achievement& achievement) = 0;
  // Every achievement by (order, id).
  virtual Result<std::vector<Achievement>> List() = 0;
  // NotFound if there is no achievement with `slug`.
  virtual Result<Achievement> GetBySlug(std::string_view slug) = 0;
  // Records the unlock; false if the user already had it (concurrent calls: exactly one true).
  virtual Result<bool> Grant(std::int64_t user_id, std::int64_t achievement_id, Timestamp now) = 0;
  // (achievement id, unlocked_at) of the user's unlocks, newest first.
  virtual Result<std::vector<std::pair<std::int64_t, Timestamp>>> Unlocked(std::int64_t user_id) = 0;
};

}  // namespace clash
