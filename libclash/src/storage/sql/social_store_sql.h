// Internal: SocialStore on the shared SQL layer (tables follows, follow_counts, posts; migration 6).
#pragma once

#include "clash/storage.h"
#include "storage/sql/sql_session.h"

namespace clash::internal {

class SqlSocialStore final : public SocialStore {
 public:
  explicit SqlSocialStore(SqlSession& session) : session_(session) {}
  Result<bool> Follow(std::int64_t follower, std::int64_t following, Timestamp now) override;
  Result<bool> Unfollow(std::int64_t follower, std::int64_t following) override;
  Result<bool> IsFollowing(std::int64_t follower, std::int64_t following) override;
  Result<FollowCounts> Counts(std::int64_t user_id) override;
  Result<std::vector<UserCard>> ListFollows(std::int64_t user_id, bool followers, std::optional<std::int64_t> viewer_id,
                                            std::int64_t offset, int limit) override;
  Result<std::vector<UserCard>> SuggestionCandidates(std::int64_t viewer_id, int limit) override;
  Result<std::vector<Timestamp>> ActivityTimes(std::int64_t user_id, Timestamp since) override;
  Result<bool> UsernameTakenFolded(std::string_view username, std::int64_t except_id) override;

 private:
  Status AddToCounts(std::int64_t user_id, std::int64_t followers, std::int64_t following);
  SqlSession& session_;
};

class SqlPostStore final : public PostStore {
 public:
  explicit SqlPostStore(SqlSession& session) : session_(session) {}
  Result<std::int64_t> Create(std::int64_t user_id, std::string_view image_url, std::string_view caption,
                              Timestamp now) override;
  Result<Post> Get(std::int64_t id, std::optional<std::int64_t> viewer_id) override;
  Result<std::vector<Post>> List(std::optional<std::int64_t> user_id, std::optional<std::int64_t> viewer_id,
                                 std::int64_t offset, int limit) override;
  Result<std::int64_t> Count(std::optional<std::int64_t> user_id) override;
  Status UpdateCaption(std::int64_t id, std::string_view caption, Timestamp now) override;
  Status Delete(std::int64_t id) override;
  Result<bool> Like(std::int64_t post_id, std::int64_t user_id, Timestamp now) override;
  Result<bool> Unlike(std::int64_t post_id, std::int64_t user_id) override;

 private:
  SqlSession& session_;
};

}  // namespace clash::internal
