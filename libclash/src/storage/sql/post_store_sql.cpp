// Posts and likes on the shared SQL layer (tables posts, post_likes; migration 6). A like is one
// INSERT ... ON CONFLICT DO NOTHING RETURNING, so concurrent likes by one user create one row and
// only the call that created it moves likes_count.
#include <string>

#include "storage/sql/social_store_sql.h"

namespace clash::internal {
namespace {

// Columns of post p with its author u; $v is the viewer (0: nobody).
std::string PostColumns(const std::string& viewer) {
  return "SELECT p.id, p.image_url, p.caption, p.likes_count, p.created_at, p.updated_at, "
         "u.id, u.username, u.first_name, u.avatar_url, u.bio, "
         "CASE WHEN EXISTS (SELECT 1 FROM follows v WHERE v.follower_id = " + viewer +
         " AND v.following_id = u.id) THEN 1 ELSE 0 END, "
         "CASE WHEN EXISTS (SELECT 1 FROM post_likes l WHERE l.post_id = p.id AND l.user_id = " + viewer +
         ") THEN 1 ELSE 0 END "
         "FROM posts p JOIN users u ON u.id = p.user_id ";
}

Post FromRow(const SqlRow& row) {
  Post p;
  p.id = row.Int(0);
  p.image_url = row.Text(1);
  p.caption = row.Text(2);
  p.likes_count = row.Int(3);
  p.created_at = Timestamp::FromUnixMicros(row.Int(4));
  p.updated_at = Timestamp::FromUnixMicros(row.Int(5));
  p.user = UserCard{.id = row.Int(6), .username = row.Text(7), .first_name = row.Text(8), .avatar_url = row.Text(9),
                    .bio = row.Text(10), .is_following = row.Int(11) != 0};
  p.is_liked = row.Int(12) != 0;
  return p;
}

}  // namespace

Result<std::int64_t> SqlPostStore::Create(std::int64_t user_id, std::string_view image_url, std::string_view caption,
                                          Timestamp now) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r,
                         session_.Exec("INSERT INTO posts (user_id, image_url, caption, created_at, updated_at) "
                                       "VALUES ($1, $2, $3, $4, $4) RETURNING id",
                                       {user_id, std::string(image_url), std::string(caption), now.unix_micros()}));
  if (r.rows.empty()) return Status::Internal("insert of a post returned no id");
  return r.rows[0].Int(0);
}

Result<Post> SqlPostStore::Get(std::int64_t id, std::optional<std::int64_t> viewer_id) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec(PostColumns("$2") + "WHERE p.id = $1 AND u.is_active = 1",
                                                    {id, viewer_id.value_or(0)}));
  if (r.rows.empty()) return Status::NotFound("Not found.");
  return FromRow(r.rows[0]);
}

Result<std::vector<Post>> SqlPostStore::List(std::optional<std::int64_t> user_id, std::optional<std::int64_t> viewer_id,
                                             std::int64_t offset, int limit) {
  Result<SqlResult> r = user_id
      ? session_.Exec(PostColumns("$1") + "WHERE p.user_id = $2 AND u.is_active = 1 "
                                          "ORDER BY p.created_at DESC, p.id DESC LIMIT $3 OFFSET $4",
                      {viewer_id.value_or(0), *user_id, std::int64_t{limit}, offset})
      : session_.Exec(PostColumns("$1") + "WHERE u.is_active = 1 ORDER BY p.created_at DESC, p.id DESC "
                                          "LIMIT $2 OFFSET $3",
                      {viewer_id.value_or(0), std::int64_t{limit}, offset});
  if (!r.ok()) return r.status();
  std::vector<Post> out;
  out.reserve(r->rows.size());
  for (const SqlRow& row : r->rows) out.push_back(FromRow(row));
  return out;
}

Result<std::int64_t> SqlPostStore::Count(std::optional<std::int64_t> user_id) {
  Result<SqlResult> r =
      user_id ? session_.Exec("SELECT COUNT(*) FROM posts WHERE user_id = $1", {*user_id})
              : session_.Exec("SELECT COUNT(*) FROM posts p JOIN users u ON u.id = p.user_id WHERE u.is_active = 1");
  if (!r.ok()) return r.status();
  return r->rows.empty() ? 0 : r->rows[0].Int(0);
}

Status SqlPostStore::UpdateCaption(std::int64_t id, std::string_view caption, Timestamp now) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("UPDATE posts SET caption = $2, updated_at = $3 WHERE id = $1",
                                                    {id, std::string(caption), now.unix_micros()}));
  return r.affected > 0 ? Status::Ok() : Status::NotFound("Not found.");
}

Status SqlPostStore::Delete(std::int64_t id) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("DELETE FROM posts WHERE id = $1", {id}));
  return r.affected > 0 ? Status::Ok() : Status::NotFound("Not found.");
}

Result<bool> SqlPostStore::Like(std::int64_t post_id, std::int64_t user_id, Timestamp now) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("INSERT INTO post_likes (post_id, user_id, created_at) "
                                                    "VALUES ($1, $2, $3) ON CONFLICT (post_id, user_id) DO NOTHING "
                                                    "RETURNING post_id",
                                                    {post_id, user_id, now.unix_micros()}));
  if (r.rows.empty()) return false;
  CLASH_RETURN_IF_ERROR(session_.Exec("UPDATE posts SET likes_count = likes_count + 1 WHERE id = $1", {post_id}));
  return true;
}

Result<bool> SqlPostStore::Unlike(std::int64_t post_id, std::int64_t user_id) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("DELETE FROM post_likes WHERE post_id = $1 AND user_id = $2",
                                                    {post_id, user_id}));
  if (r.affected == 0) return false;
  CLASH_RETURN_IF_ERROR(session_.Exec("UPDATE posts SET likes_count = likes_count - 1 WHERE id = $1", {post_id}));
  return true;
}

}  // namespace clash::internal
