// Internal helpers shared by the campaign's source files. Not part of the public API.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "clash/campaign.h"
#include "clash/storage.h"

namespace clash {

// The campaign's private state (leaderboard cache, helpers that need the deps).
struct Campaign::Impl {
  std::mutex board_mu;                                   // guards board and board_version
  std::mutex board_compute_mu;                           // one recomputation at a time
  std::optional<LeaderboardVersion> board_version;
  std::shared_ptr<const std::vector<LeaderboardEntry>> board;
};

namespace internal {

inline constexpr std::size_t kMaxCodeBytes = 64 * 1024;

// Staff (or superuser): may open and play every level.
bool IsStaff(const User& user);

// One level of a player's map: which level (an index into the global or the personal levels), its
// state, and the player's progress row (null if none; points into the rows passed in).
struct MapEntry {
  bool personal = false;
  std::size_t index = 0;
  LevelState state = LevelState::kLocked;
  const ProgressRecord* progress = nullptr;
};
std::vector<MapEntry> BuildMapEntries(const std::vector<Level>& global, const std::vector<Level>& personal,
                                      const std::vector<ProgressRecord>& progress);

// The player's map from the global levels, their personalised levels and their progress rows.
std::vector<PlayerLevel> BuildMap(const std::vector<Level>& global, const std::vector<Level>& personal,
                                  const std::vector<ProgressRecord>& progress);

// A level a player is about to play: the level (with secrets when asked), its state for the player
// and the global levels it was judged against.
struct Playable {
  Level level;
  LevelState state = LevelState::kLocked;
  std::optional<ProgressRecord> progress;
  std::shared_ptr<const std::vector<Level>> global;
};

// Loads `slug` for `user`: NotFound("Not found.") for an unknown level or another user's
// personalised one (staff see every level), PermissionDenied for a locked one (unless staff or
// `allow_locked`).
Result<Playable> LoadPlayable(Storage& storage, Catalogue& catalogue, const User& user, std::string_view slug,
                              bool with_secrets, bool allow_locked = false);

// The slug of the first global level ordered after `level`, if any.
std::optional<std::string> NextGlobalSlug(const std::vector<Level>& global, const Level& level);

// Global levels the user has completed (their progress rows with completed_at among `global`).
int CompletedGlobal(const std::vector<Level>& global, const std::vector<ProgressRecord>& progress);

// Issues the user's certificate in `tx` if they are eligible and have none; returns true if this
// call issued it.
Result<bool> IssueCertificateIn(StorageTransaction& tx, const CampaignDeps& deps, const User& user,
                                const std::vector<Level>& global, Timestamp now);

// Checks a player's code: InvalidArgument (with detail status="failed") for empty or oversized code.
Status CheckCode(std::string_view code, bool allow_empty = false);

}  // namespace internal
}  // namespace clash
