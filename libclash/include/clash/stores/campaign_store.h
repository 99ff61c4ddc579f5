// clash/stores/campaign_store.h — storage of the campaign: players' progress per level, first
// completions, certificates and the leaderboard's inputs (used by clash::Campaign).
//
// For backend authors: implement this interface (reached through StorageTransaction, clash/storage.h)
// to add a storage backend; application code never calls it directly. Every method runs inside the
// transaction that handed the store out and documents its success and failure results; the contract
// suite (tests/storage/campaign_store_test.cpp) checks them on every backend.
//
// Thread-safety: a store belongs to the thread running its transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clash/campaign.h"
#include "clash/clock.h"
#include "clash/export.h"
#include "clash/status.h"

namespace clash {

class CLASH_EXPORT CampaignStore {
 public:
  virtual ~CampaignStore() = default;

  // Every progress row of `user_id` (any order).
  virtual Result<std::vector<ProgressRecord>> ListProgress(std::int64_t user_id) = 0;
  // The row of (user_id, level_id), or nullopt.
  virtual Result<std::optional<ProgressRecord>> GetProgress(std::int64_t user_id, std::int64_t level_id) = 0;
  // Creates the row with started_at = `now` unless it exists, then returns it locked until the
  // transaction ends (FOR UPDATE on PostgreSQL; SQLite write transactions are exclusive). Of two
  // concurrent calls both see the same row. FailedPrecondition if the user or level does not exist.
  virtual Result<ProgressRecord> StartAndLock(std::int64_t user_id, std::int64_t level_id, Timestamp now) = 0;
  // Sets hints_purchased to `to` if it is `from` now; returns false (changing nothing) otherwise.
  virtual Result<bool> SetHintsPurchased(std::int64_t user_id, std::int64_t level_id, int from, int to) = 0;
  // Records a completion with `stars` on an existing row: completed_at is set if unset and stars
  // raised to `stars` if lower; on the first completion a completion row is appended. Returns true
  // for a first completion (exactly one of concurrent calls). NotFound if there is no row.
  virtual Result<bool> Complete(std::int64_t user_id, std::int64_t level_id, int stars, Timestamp now) = 0;
  // The times of the user's first completions at or after `since`, oldest first.
  virtual Result<std::vector<Timestamp>> CompletionTimes(std::int64_t user_id, Timestamp since) = 0;

  // Inserts `certificate` unless the user already has one; returns true if inserted. Of concurrent
  // inserts for one user exactly one returns true. FailedPrecondition if the user does not exist.
  virtual Result<bool> InsertCertificate(const Certificate& certificate) = 0;
  // The certificate of `user_id`, or nullopt.
  virtual Result<std::optional<Certificate>> CertificateOf(std::int64_t user_id) = 0;
  // The certificate with `id`, or nullopt.
  virtual Result<std::optional<Certificate>> GetCertificate(std::string_view id) = 0;

  // The current LeaderboardVersion.
  virtual Result<LeaderboardVersion> LeaderboardVersionNow() = 0;
  // Up to `limit` players with XP > 0 that are active and neither staff nor superuser, ordered by
  // XP descending, then completed levels descending, then user id ascending.
  virtual Result<std::vector<LeaderboardRow>> Leaderboard(int limit) = 0;
};

}  // namespace clash
