// clash/achievements.h — the 10 achievements, granted once each, XP through the ledger.
//
// The catalogue is built in (BuiltinAchievements()) and synchronised into storage when the engine
// opens. Achievements subscribes to Events and evaluates the rules inside the publisher's
// transaction:
//   first-blood 25 (1 level completed), rising-coder 50 (5), challenge-veteran 100 (10), legend 250 (25),
//   speed-demon 75 (a level solved in under 120 s), perfectionist 50 (a level completed with 3 stars),
//   streak-starter 30 (a 3-day check-in streak), streak-master 100 (7 days),
//   socializer 10 (following 1 user), networker 50 (following 10).
// A grant records the unlock and awards the XP (source achievement, key "achievement:<slug>").
//
// Thread-safety: Achievements is safe for concurrent use.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clash/clock.h"
#include "clash/events.h"
#include "clash/export.h"
#include "clash/status.h"

namespace clash {

class Storage;

struct Achievement {
  std::int64_t id = 0;                  // assigned by storage
  std::string slug;
  std::string title;
  std::string description;
  std::string icon = "Trophy";
  std::string category = "challenge";   // challenge, social, streak, special
  std::int64_t xp_reward = 0;
  bool is_secret = false;
  int order = 0;
  bool operator==(const Achievement&) const = default;
};

CLASH_EXPORT const std::vector<Achievement>& BuiltinAchievements();

struct AchievementView {
  Achievement achievement;
  bool is_unlocked = false;
  std::optional<Timestamp> unlocked_at;
};

struct UnlockedAchievement {
  Achievement achievement;
  Timestamp unlocked_at;
};

class CLASH_EXPORT Achievements {
 public:
  // Subscribes to `events`.
  Achievements(Storage& storage, Clock& clock, Events& events);

  // Inserts or updates the built-in catalogue by slug.
  Status SyncCatalogue();
  // Every non-secret achievement plus the secret ones `viewer_id` unlocked, in catalogue order;
  // `viewer_id` 0 means anonymous (nothing unlocked).
  Result<std::vector<AchievementView>> ForViewer(std::int64_t viewer_id);
  // What `username` unlocked, newest first. NotFound "User not found".
  Result<std::vector<UnlockedAchievement>> OfUser(std::string_view username);

 private:
  Storage& storage_;
  Clock& clock_;
};

}  // namespace clash
