// clash/stores/social_store.h — storage of follows, their counters and the social queries (used
// by clash::Social).
//
// For backend authors: implement this interface (reached through StorageTransaction, clash/storage.h)
// to add a storage backend; application code never calls it directly. Every method runs inside the
// transaction that handed the store out and documents its success and failure results; the contract
// suite (tests/storage/social_store_test.cpp) checks them on every backend.
//
// Thread-safety: a store belongs to the thread running its transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "clash/clock.h"
#include "clash/export.h"
#include "clash/social.h"
#include "clash/status.h"

namespace clash {

class CLASH_EXPORT SocialStore {
 public:
  virtual ~SocialStore() = default;
  // Records that `follower` follows `following` and adds one to both users' counters, unless the
  // follow exists; returns true if this call created it. Of concurrent calls for one pair exactly
  // one gets true. FailedPrecondition if either user does not exist; InvalidArgument for a user
  // following themselves.
  virtual Result<bool> Follow(std::int64_t follower, std::int64_t following, Timestamp now) = 0;
  // Removes the follow and takes one from both counters if it existed; returns whether it did.
  virtual Result<bool> Unfollow(std::int64_t follower, std::int64_t following) = 0;
  virtual Result<bool> IsFollowing(std::int64_t follower, std::int64_t following) = 0;
  // The user's counters (zeros for a user nobody follows and who follows nobody).
  virtual Result<FollowCounts> Counts(std::int64_t user_id) = 0;
  // The user's followers (`followers` = true) or the users they follow, newest follow first,
  // skipping `offset`, at most `limit`, with is_following for `viewer_id` (false without one).
  virtual Result<std::vector<UserCard>> ListFollows(std::int64_t user_id, bool followers,
                                                    std::optional<std::int64_t> viewer_id, std::int64_t offset,
                                                    int limit) = 0;
  // Up to `limit` newest users (by join time, then id) that are active, neither staff nor
  // superuser, not `viewer_id` and not followed by `viewer_id`.
  virtual Result<std::vector<UserCard>> SuggestionCandidates(std::int64_t viewer_id, int limit) = 0;
  // When the user was active since `since`: the times of their level completions and check-ins
  // (XP ledger sources challenge_completion and check_in) and of their posts, in no order.
  virtual Result<std::vector<Timestamp>> ActivityTimes(std::int64_t user_id, Timestamp since) = 0;
};

}  // namespace clash
