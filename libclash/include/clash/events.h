// clash/events.h — domain events: modules publish what happened, other modules react.
//
// Handlers run inside the publisher's storage transaction, so a reaction (an achievement and its
// XP) commits or rolls back together with its cause (a level completion, a check-in, a follow), and
// is applied exactly once. The campaign, social and match modules publish here; achievements
// subscribe.
//
// Thread-safety: Events is safe for concurrent use; Subscribe() is meant for start-up.
//
// Example (a module's write path):
//   Status s = storage.Transact([&](clash::StorageTransaction& tx) -> clash::Status {
//     ...record the completion...
//     return events.Publish(tx, clash::LevelCompleted{.user_id = id, .level_slug = "python-001",
//                                                      .stars = 3, .completed_levels = 1});
//   });
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <shared_mutex>
#include <string>
#include <variant>
#include <vector>

#include "clash/clock.h"
#include "clash/export.h"
#include "clash/status.h"

namespace clash {

class Storage;
class StorageTransaction;

// A player completed a level (first completion or a better score).
struct LevelCompleted {
  std::int64_t user_id = 0;
  std::string level_slug;
  int stars = 0;                                // stars of this completion, 1-3
  int completed_levels = 0;                     // levels the player has completed, this one included
  std::optional<std::int64_t> solve_seconds;    // from first opening the level to solving it
};

// A player checked in for the day (see CheckIns).
struct CheckedIn {
  std::int64_t user_id = 0;
  int cycle_day = 0;                            // 1-7
  int streak = 0;                               // consecutive days, today included
};

// `follower_id` started following `following_id`.
struct Followed {
  std::int64_t follower_id = 0;
  std::int64_t following_id = 0;
  int following_count = 0;                      // how many users the follower now follows
};

// A player's match ended (clash/matches.h): the achievements hook of matches.
struct MatchPlayed {
  std::int64_t user_id = 0;
  std::string match_id;
  std::string mode;                             // "fastest", "shortest", "reverse"
  int rank = 0;                                 // 1-based; equal ranks are ties
  int players = 0;                              // players in the match (spectators excluded)
  bool full_pass = false;                       // the counted submission passed every test
};

using Event = std::variant<LevelCompleted, CheckedIn, Followed, MatchPlayed>;

// A reaction to an event. It runs inside the publisher's transaction; a non-OK status rolls the
// whole transaction back.
using EventHandler = std::function<Status(StorageTransaction& tx, const Event& event, Timestamp now)>;

class CLASH_EXPORT Events {
 public:
  Events(Storage& storage, Clock& clock);
  Events(const Events&) = delete;
  Events& operator=(const Events&) = delete;

  void Subscribe(EventHandler handler);
  // Runs every handler in `tx`, in subscription order; stops at the first error and returns it.
  Status Publish(StorageTransaction& tx, const Event& event);
  // Publishes `event` in a transaction of its own (for callers that have none).
  Status PublishNow(const Event& event);

 private:
  Storage& storage_;
  Clock& clock_;
  mutable std::shared_mutex mu_;
  std::vector<EventHandler> handlers_;
};

}  // namespace clash
