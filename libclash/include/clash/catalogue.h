// clash/catalogue.h — the level catalogue: the campaign's levels, loaded from data files.
//
// A level has public fields (shown to players) and secrets (hidden tests, reference solution,
// authored hints) that never leave the server: List() and Get() return levels with empty secrets;
// only GetForJudging() returns them, for the judge and the AI tutor.
//
// Thread-safety: Catalogue is safe for concurrent use.
//
// Example:
//   CLASH_ASSIGN_OR_RETURN(int n, engine->catalogue().LoadFromDirectory("data/levels"));
//   CLASH_ASSIGN_OR_RETURN(std::vector<clash::Level> levels, engine->catalogue().List());
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "clash/export.h"
#include "clash/status.h"

namespace clash {

class Storage;
class Clock;

// What only the server may see of a level.
struct LevelSecrets {
  std::string hidden_tests;            // Python asserts run after the player's code
  std::string solution;                // the reference solution; passes public and hidden tests
  std::vector<std::string> hints;      // authored hints of rising strength (three in the campaign)
  bool operator==(const LevelSecrets&) const = default;
};

struct Level {
  std::int64_t id = 0;                 // assigned by storage on first insert; stable afterwards
  std::string slug;                    // "python-001"; 1-50 chars of [a-z0-9-]
  int order = 0;                       // position in the campaign, >= 1
  std::string title;
  std::string description;             // the statement, Markdown
  std::string initial_code;            // starter code shown in the editor
  std::string test_code;               // public sample tests (Python asserts)
  int xp_reward = 0;                   // XP paid on first completion, >= 0
  int time_limit_seconds = 300;        // per-run judge time limit
  int target_time_seconds = 600;       // star threshold: slower than 2x target loses a star
  LevelSecrets secrets;                // empty unless read through GetForJudging()
  bool operator==(const Level&) const = default;
};

// Where a player stands on a level of the campaign map.
enum class LevelState { kLocked, kUnlocked, kCompleted };

// "LOCKED", "UNLOCKED" or "COMPLETED" (the wire names of the client contract).
CLASH_EXPORT std::string_view LevelStateName(LevelState state);

struct LevelStanding {
  Level level;                         // without secrets
  LevelState state = LevelState::kLocked;
  int stars = 0;                       // 0-3; 0 until completed
};

// Checks a level's fields. InvalidArgument names the first bad field.
CLASH_EXPORT Status ValidateLevel(const Level& level);

class CLASH_EXPORT Catalogue {
 public:
  // Reads are served from a snapshot at most `cache_ttl` old (0 disables it); writes through this
  // object refresh it at once, writes by other hosts show within `cache_ttl`.
  Catalogue(Storage& storage, Clock& clock, std::chrono::milliseconds cache_ttl = std::chrono::seconds(2))
      : storage_(storage), clock_(clock), cache_ttl_(cache_ttl) {}

  // All levels ordered by `order` then slug, without secrets.
  Result<std::vector<Level>> List() const;
  // The campaign map of a player who has completed nothing: levels in order, the first unlocked and
  // the rest locked. (Per-player progress arrives with the campaign module.)
  Result<std::vector<LevelStanding>> MapForNewPlayer() const;
  // One level without secrets; NotFound if `slug` is unknown.
  Result<Level> Get(std::string_view slug) const;
  // One level with its secrets; NotFound if `slug` is unknown.
  Result<Level> GetForJudging(std::string_view slug) const;
  // Inserts or replaces levels by slug, all in one transaction: on error nothing changes.
  // InvalidArgument if any level is invalid or two share a slug.
  Status Upsert(const std::vector<Level>& levels);
  // Reads every level folder under `dir` (see docs/levels.md) and upserts them atomically.
  // Returns the number of levels loaded. InvalidArgument names the file that is wrong.
  Result<int> LoadFromDirectory(const std::string& dir);

 private:
  // The cached public levels, reloaded from storage when older than cache_ttl_.
  Result<std::shared_ptr<const std::vector<Level>>> Snapshot() const;
  void Invalidate();

  Storage& storage_;
  Clock& clock_;
  const std::chrono::milliseconds cache_ttl_;
  mutable std::mutex cache_mu_;
  mutable std::shared_ptr<const std::vector<Level>> cache_;
  mutable std::chrono::nanoseconds cache_loaded_at_{0};
  mutable bool refreshing_ = false;
};

// Parses the level folders under `dir` without touching storage (for authoring tools).
CLASH_EXPORT Result<std::vector<Level>> ReadLevelDirectory(const std::string& dir);

}  // namespace clash
