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
#include <string_view>
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
  // Whether a user other than `except_id` has `username` in any ASCII letter case.
  virtual Result<bool> UsernameTakenFolded(std::string_view username, std::int64_t except_id) = 0;
};

// Posts and their likes (used by clash::Social). Lists show only posts of active users.
class CLASH_EXPORT PostStore {
 public:
  virtual ~PostStore() = default;
  // Inserts a post and returns its id. FailedPrecondition for an unknown user.
  virtual Result<std::int64_t> Create(std::int64_t user_id, std::string_view image_url, std::string_view caption,
                                      Timestamp now) = 0;
  // The post with likes_count, is_liked and the author's card as `viewer_id` sees them. NotFound
  // for an unknown post or one whose author is blocked.
  virtual Result<Post> Get(std::int64_t id, std::optional<std::int64_t> viewer_id) = 0;
  // Newest first (created_at, then id), of `user_id` or of everyone, skipping `offset`, at most `limit`.
  virtual Result<std::vector<Post>> List(std::optional<std::int64_t> user_id, std::optional<std::int64_t> viewer_id,
                                         std::int64_t offset, int limit) = 0;
  virtual Result<std::int64_t> Count(std::optional<std::int64_t> user_id) = 0;
  // NotFound for an unknown post.
  virtual Status UpdateCaption(std::int64_t id, std::string_view caption, Timestamp now) = 0;
  virtual Status Delete(std::int64_t id) = 0;
  // Records the like and adds one to likes_count unless it exists; returns true if this call
  // created it (exactly one of concurrent calls). Unlike removes it and takes one off; returns
  // whether it existed.
  virtual Result<bool> Like(std::int64_t post_id, std::int64_t user_id, Timestamp now) = 0;
  virtual Result<bool> Unlike(std::int64_t post_id, std::int64_t user_id) = 0;
};

}  // namespace clash
