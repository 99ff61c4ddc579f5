// clash/catalogue.h — the level catalogue: the campaign's levels, loaded from data files.
//
// A level has public fields (shown to players) and secrets (its test cases as data, the reference
// solution, authored hints) that never leave the server: List() and Get() return levels with empty
// secrets; only GetForJudging() returns them, for the judge and the AI tutor. The public sample
// tests players see (`test_code`) are rendered from the public cases (clash/judge_cases.h).
// Level folders are format 2 (docs/levels.md): level.json, statement.md, starter.py, solution.py,
// cases.json.
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
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clash/export.h"
#include "clash/status.h"

namespace clash {

class Storage;
class StorageTransaction;
class Clock;

// What only the server may see of a level.
struct LevelSecrets {
  // Every case of the level as data: a cases.json document (ParseCasesJson), public and hidden
  // cases alike. Catalogue::Upsert stores its canonical form (EncodeCasesJson).
  std::string cases_json;
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
  // Public sample tests as Python asserts (the browser runs them), rendered from the public cases
  // of secrets.cases_json by Catalogue::Upsert and ReadLevelDirectory (RenderPythonTestCode).
  std::string test_code;
  int xp_reward = 0;                   // XP paid on first completion, >= 0
  int time_limit_seconds = 5;          // CPU seconds of one judged submission run, 1-30
  int target_time_seconds = 600;       // star threshold: slower than 2x target loses a star
  int stage = 0;                       // campaign stage 1-6 (orders 1-10 are stage 1, ...); 0: none
  std::vector<std::string> topics;     // lower-case tags (retrieval, personalised levels); <= 8
  // A personalised level: visible to, and playable by, this user only. Global levels have none.
  std::optional<std::int64_t> created_for_user;
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

// Checks a level's fields (not its cases: Catalogue::Upsert parses those). InvalidArgument names
// the first bad field.
CLASH_EXPORT Status ValidateLevel(const Level& level);

// Parses `level.secrets.cases_json` (ParseCasesJson) and fills in what derives from the cases:
// the canonical cases_json (EncodeCasesJson) and test_code (RenderPythonTestCode of the public
// cases). InvalidArgument naming the level for missing or malformed cases.
CLASH_EXPORT Status NormalizeLevelCases(Level& level);

// Told of every level change inside the transaction that makes it, so what derives from levels
// (the AI tutor's retrieval index, clash/retrieval.h) commits or rolls back with the change. An
// error rolls the change back.
class CLASH_EXPORT LevelIndexer {
 public:
  virtual ~LevelIndexer() = default;
  // `level` was inserted or replaced (normalised, with its secrets and its id).
  virtual Status LevelWritten(StorageTransaction& tx, const Level& level) = 0;
  // The level `slug` was removed.
  virtual Status LevelRemoved(StorageTransaction& tx, std::string_view slug) = 0;
};

class CLASH_EXPORT Catalogue {
 public:
  // Reads are served from a snapshot at most `cache_ttl` old (0 disables it); writes through this
  // object refresh it at once, writes by other hosts show within `cache_ttl`.
  Catalogue(Storage& storage, Clock& clock, std::chrono::milliseconds cache_ttl = std::chrono::seconds(2))
      : storage_(storage), clock_(clock), cache_ttl_(cache_ttl) {}

  // Every level, global and personalised, ordered by `order` then slug, without secrets.
  Result<std::vector<Level>> List() const;
  // The global levels (created_for_user unset) ordered by `order` then slug, without secrets: the
  // shared snapshot, not a copy (the campaign map of every request reads it).
  Result<std::shared_ptr<const std::vector<Level>>> GlobalLevels() const;
  // The global levels if the snapshot in memory is fresh (younger than `cache_ttl`), else null:
  // never reads storage, so it is safe where blocking is not (the host's event loop).
  std::shared_ptr<const std::vector<Level>> CachedGlobalLevels() const;
  // The personalised levels of `user_id`, ordered, without secrets. Skips storage when the
  // snapshot knows the user has none.
  Result<std::vector<Level>> PersonalLevels(std::int64_t user_id) const;
  // The campaign map of a player who has completed nothing: global levels in order, the first
  // unlocked and the rest locked. (A player's own map: Campaign::Map, clash/campaign.h.)
  Result<std::vector<LevelStanding>> MapForNewPlayer() const;
  // One level without secrets; NotFound if `slug` is unknown.
  Result<Level> Get(std::string_view slug) const;
  // One level with its secrets; NotFound if `slug` is unknown.
  Result<Level> GetForJudging(std::string_view slug) const;
  // Inserts or replaces levels by slug, all in one transaction: on error nothing changes. Each
  // level goes through ValidateLevel and NormalizeLevelCases (test_code is rendered from its
  // cases). InvalidArgument if any level is invalid or two share a slug; FailedPrecondition if a
  // personalised level's user does not exist.
  Status Upsert(const std::vector<Level>& levels);
  // Removes the level with `slug` and everything recorded about it (progress, completions).
  // NotFound if there is none.
  Status Remove(std::string_view slug);
  // Reads every level folder under `dir` (see docs/levels.md) and upserts them atomically.
  // Returns the number of levels loaded. InvalidArgument names the file that is wrong.
  Result<int> LoadFromDirectory(const std::string& dir);
  // The indexer told of every later Upsert and Remove (null: none). Not owned; it must outlive
  // the catalogue's use. Set it before the catalogue is shared between threads.
  void SetIndexer(LevelIndexer* indexer) { indexer_ = indexer; }

 private:
  struct Snapshot {
    std::shared_ptr<const std::vector<Level>> global;
    std::vector<std::int64_t> owners;  // users with personalised levels, sorted
  };
  // The cached snapshot, reloaded from storage when older than cache_ttl_.
  Result<std::shared_ptr<const Snapshot>> Load() const;
  void Invalidate();

  Storage& storage_;
  Clock& clock_;
  const std::chrono::milliseconds cache_ttl_;
  mutable std::mutex cache_mu_;
  mutable std::shared_ptr<const Snapshot> cache_;
  mutable std::chrono::nanoseconds cache_loaded_at_{0};
  mutable bool refreshing_ = false;
  LevelIndexer* indexer_ = nullptr;
};

// Parses the level folders (format 2) under `dir` without touching storage (for authoring tools).
// Every level comes back normalised (NormalizeLevelCases) and with its secrets.
CLASH_EXPORT Result<std::vector<Level>> ReadLevelDirectory(const std::string& dir);
// Parses one level folder (format 2). InvalidArgument names the file that is wrong.
CLASH_EXPORT Result<Level> ReadLevelFolder(const std::string& folder);

}  // namespace clash
