// Follows and the social queries on the shared SQL layer (migration 6). The follow itself is one
// INSERT ... ON CONFLICT DO NOTHING RETURNING, so concurrent follows of one pair create one row and
// only the call that created it moves the counters.
#include "storage/sql/social_store_sql.h"

#include <string>

namespace clash::internal {
namespace {

// The card columns of users `u`, and whether the viewer ($v) follows them.
std::string CardColumns(const std::string& viewer_param) {
  return "u.id, u.username, u.first_name, u.avatar_url, u.bio, "
         "CASE WHEN EXISTS (SELECT 1 FROM follows v WHERE v.follower_id = " + viewer_param +
         " AND v.following_id = u.id) THEN 1 ELSE 0 END ";
}

std::vector<UserCard> Cards(const SqlResult& r) {
  std::vector<UserCard> out;
  out.reserve(r.rows.size());
  for (const SqlRow& row : r.rows) {
    out.push_back(UserCard{.id = row.Int(0), .username = row.Text(1), .first_name = row.Text(2),
                           .avatar_url = row.Text(3), .bio = row.Text(4), .is_following = row.Int(5) != 0});
  }
  return out;
}

}  // namespace

Status SqlSocialStore::AddToCounts(std::int64_t user_id, std::int64_t followers, std::int64_t following) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r,
                         session_.Exec("INSERT INTO follow_counts (user_id, followers, following) VALUES ($1, $2, $3) "
                                       "ON CONFLICT (user_id) DO UPDATE SET "
                                       "followers = follow_counts.followers + excluded.followers, "
                                       "following = follow_counts.following + excluded.following",
                                       {user_id, followers, following}));
  (void)r;
  return Status::Ok();
}

Result<bool> SqlSocialStore::Follow(std::int64_t follower, std::int64_t following, Timestamp now) {
  if (follower == following) return Status::InvalidArgument("Cannot follow yourself");
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("INSERT INTO follows (follower_id, following_id, created_at) "
                                                    "VALUES ($1, $2, $3) ON CONFLICT (follower_id, following_id) "
                                                    "DO NOTHING RETURNING follower_id",
                                                    {follower, following, now.unix_micros()}));
  if (r.rows.empty()) return false;
  CLASH_RETURN_IF_ERROR(AddToCounts(following, 1, 0));
  CLASH_RETURN_IF_ERROR(AddToCounts(follower, 0, 1));
  return true;
}

Result<bool> SqlSocialStore::Unfollow(std::int64_t follower, std::int64_t following) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("DELETE FROM follows WHERE follower_id = $1 AND following_id = $2",
                                                    {follower, following}));
  if (r.affected == 0) return false;
  CLASH_RETURN_IF_ERROR(session_.Exec("UPDATE follow_counts SET followers = followers - 1 WHERE user_id = $1",
                                      {following}));
  CLASH_RETURN_IF_ERROR(session_.Exec("UPDATE follow_counts SET following = following - 1 WHERE user_id = $1",
                                      {follower}));
  return true;
}

Result<bool> SqlSocialStore::IsFollowing(std::int64_t follower, std::int64_t following) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("SELECT 1 FROM follows WHERE follower_id = $1 AND following_id = $2",
                                                    {follower, following}));
  return !r.rows.empty();
}

Result<FollowCounts> SqlSocialStore::Counts(std::int64_t user_id) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("SELECT followers, following FROM follow_counts WHERE user_id = $1",
                                                    {user_id}));
  if (r.rows.empty()) return FollowCounts{};
  return FollowCounts{.followers = r.rows[0].Int(0), .following = r.rows[0].Int(1)};
}

Result<std::vector<UserCard>> SqlSocialStore::ListFollows(std::int64_t user_id, bool followers,
                                                          std::optional<std::int64_t> viewer_id, std::int64_t offset,
                                                          int limit) {
  // Followers: rows whose following_id is the user, showing the follower; the other way round.
  const std::string sql =
      "SELECT " + CardColumns("$2") + "FROM follows f JOIN users u ON u.id = " +
      (followers ? "f.follower_id WHERE f.following_id = $1 " : "f.following_id WHERE f.follower_id = $1 ") +
      "ORDER BY f.created_at DESC, u.id DESC LIMIT $3 OFFSET $4";
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec(sql, {user_id, viewer_id.value_or(0), std::int64_t{limit}, offset}));
  return Cards(r);
}

Result<std::vector<UserCard>> SqlSocialStore::SuggestionCandidates(std::int64_t viewer_id, int limit) {
  CLASH_ASSIGN_OR_RETURN(
      SqlResult r,
      session_.Exec("SELECT " + CardColumns("$1") +
                        "FROM users u WHERE u.id <> $1 AND u.is_active = 1 AND u.is_staff = 0 AND u.is_superuser = 0 "
                        "AND NOT EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = $1 AND f.following_id = u.id) "
                        "ORDER BY u.created_at DESC, u.id DESC LIMIT $2",
                    {viewer_id, std::int64_t{limit}}));
  return Cards(r);
}

Result<std::vector<Timestamp>> SqlSocialStore::ActivityTimes(std::int64_t user_id, Timestamp since) {
  CLASH_ASSIGN_OR_RETURN(
      SqlResult r,
      session_.Exec("SELECT created_at FROM xp_ledger WHERE user_id = $1 AND created_at >= $2 "
                    "AND source IN ('challenge_completion', 'check_in') "
                    "UNION ALL SELECT created_at FROM posts WHERE user_id = $1 AND created_at >= $2",
                    {user_id, since.unix_micros()}));
  std::vector<Timestamp> out;
  out.reserve(r.rows.size());
  for (const SqlRow& row : r.rows) out.push_back(Timestamp::FromUnixMicros(row.Int(0)));
  return out;
}

Result<bool> SqlSocialStore::UsernameTakenFolded(std::string_view username, std::int64_t except_id) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("SELECT 1 FROM users WHERE lower(username) = lower($1) AND id <> $2",
                                                    {std::string(username), except_id}));
  return !r.rows.empty();
}

}  // namespace clash::internal
