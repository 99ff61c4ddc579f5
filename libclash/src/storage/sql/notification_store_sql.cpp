// Notifications and FCM tokens on the shared SQL layer (migration 6).
#include "storage/sql/notification_store_sql.h"

#include <string>

namespace clash::internal {
namespace {

// The notification, its actor and whether the recipient follows the actor, in one row.
constexpr const char* kSelect =
    "SELECT n.id, n.recipient_id, n.actor_id, n.verb, n.target_type, n.target_id, n.target_preview, n.is_read, "
    "n.created_at, u.username, u.avatar_url, u.bio, "
    "CASE WHEN f.follower_id IS NULL THEN 0 ELSE 1 END "
    "FROM notifications n LEFT JOIN users u ON u.id = n.actor_id "
    "LEFT JOIN follows f ON f.follower_id = n.recipient_id AND f.following_id = n.actor_id ";

Notification FromRow(const SqlRow& row) {
  Notification n;
  n.id = row.Int(0);
  n.recipient_id = row.Int(1);
  if (!row.IsNull(2) && !row.IsNull(9)) {
    n.actor = NotificationActor{.id = row.Int(2),
                                .username = row.Text(9),
                                .avatar_url = row.Text(10),
                                .bio = row.Text(11),
                                .is_following = row.Int(12) != 0};
  }
  n.verb = row.Text(3);
  n.target_type = row.Text(4);
  if (!row.IsNull(5)) n.target_id = row.Int(5);
  n.target_preview = row.Text(6);
  n.is_read = row.Int(7) != 0;
  n.created_at = Timestamp::FromUnixMicros(row.Int(8));
  return n;
}

Status NotFoundUnless(const SqlResult& r) {
  return r.affected > 0 ? Status::Ok() : Status::NotFound("Not found.");
}

}  // namespace

Result<std::int64_t> SqlNotificationStore::Insert(const NotificationRecord& n) {
  if (n.verb.empty()) return Status::InvalidArgument("a notification needs a verb");
  CLASH_ASSIGN_OR_RETURN(
      SqlResult r,
      session_.Exec("INSERT INTO notifications (recipient_id, actor_id, verb, target_type, target_id, target_preview, "
                    "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                    {n.recipient_id, n.actor_id ? SqlValue(*n.actor_id) : SqlValue(std::monostate{}), n.verb,
                     n.target_type, n.target_id ? SqlValue(*n.target_id) : SqlValue(std::monostate{}),
                     n.target_preview, n.created_at.unix_micros()}));
  if (r.rows.empty()) return Status::Internal("insert of a notification returned no id");
  return r.rows[0].Int(0);
}

Result<std::vector<Notification>> SqlNotificationStore::List(std::int64_t recipient_id, std::int64_t offset,
                                                             int limit) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r,
                         session_.Exec(std::string(kSelect) +
                                           "WHERE n.recipient_id = $1 ORDER BY n.id DESC LIMIT $2 OFFSET $3",
                                       {recipient_id, std::int64_t{limit}, offset}));
  std::vector<Notification> out;
  out.reserve(r.rows.size());
  for (const SqlRow& row : r.rows) out.push_back(FromRow(row));
  return out;
}

Result<std::pair<std::int64_t, std::int64_t>> SqlNotificationStore::Counts(std::int64_t recipient_id) {
  CLASH_ASSIGN_OR_RETURN(SqlResult total,
                         session_.Exec("SELECT COUNT(*) FROM notifications WHERE recipient_id = $1", {recipient_id}));
  CLASH_ASSIGN_OR_RETURN(
      SqlResult unread,
      session_.Exec("SELECT COUNT(*) FROM notifications WHERE recipient_id = $1 AND is_read = 0", {recipient_id}));
  return std::make_pair(total.rows.at(0).Int(0), unread.rows.at(0).Int(0));
}

Result<Notification> SqlNotificationStore::Get(std::int64_t recipient_id, std::int64_t id) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec(std::string(kSelect) + "WHERE n.id = $1 AND n.recipient_id = $2",
                                                    {id, recipient_id}));
  if (r.rows.empty()) return Status::NotFound("Not found.");
  return FromRow(r.rows[0]);
}

Status SqlNotificationStore::MarkRead(std::int64_t recipient_id, std::int64_t id) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("UPDATE notifications SET is_read = 1 "
                                                    "WHERE id = $1 AND recipient_id = $2",
                                                    {id, recipient_id}));
  return NotFoundUnless(r);
}

Result<std::int64_t> SqlNotificationStore::MarkAllRead(std::int64_t recipient_id) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("UPDATE notifications SET is_read = 1 "
                                                    "WHERE recipient_id = $1 AND is_read = 0",
                                                    {recipient_id}));
  return r.affected;
}

Status SqlNotificationStore::Delete(std::int64_t recipient_id, std::int64_t id) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("DELETE FROM notifications WHERE id = $1 AND recipient_id = $2",
                                                    {id, recipient_id}));
  return NotFoundUnless(r);
}

Result<std::int64_t> SqlNotificationStore::DeleteAll(std::int64_t recipient_id) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r,
                         session_.Exec("DELETE FROM notifications WHERE recipient_id = $1", {recipient_id}));
  return r.affected;
}

Result<bool> SqlNotificationStore::UpsertFcmToken(std::int64_t user_id, std::string_view token,
                                                  std::string_view device_id, Timestamp now) {
  CLASH_ASSIGN_OR_RETURN(SqlResult existing,
                         session_.Exec("SELECT 1 FROM fcm_tokens WHERE token = $1", {std::string(token)}));
  // ON CONFLICT as well: a concurrent registration of the same token re-binds instead of failing.
  CLASH_ASSIGN_OR_RETURN(
      SqlResult r,
      session_.Exec("INSERT INTO fcm_tokens (token, user_id, device_id, created_at, updated_at) "
                    "VALUES ($1, $2, $3, $4, $4) ON CONFLICT (token) DO UPDATE SET user_id = excluded.user_id, "
                    "device_id = excluded.device_id, updated_at = excluded.updated_at",
                    {std::string(token), user_id, std::string(device_id), now.unix_micros()}));
  return existing.rows.empty();
}

Result<std::vector<std::string>> SqlNotificationStore::FcmTokens(std::int64_t user_id) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("SELECT token FROM fcm_tokens WHERE user_id = $1 "
                                                    "ORDER BY updated_at DESC, token",
                                                    {user_id}));
  std::vector<std::string> out;
  for (const SqlRow& row : r.rows) out.push_back(row.Text(0));
  return out;
}

Result<bool> SqlNotificationStore::DeleteFcmToken(std::string_view token) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("DELETE FROM fcm_tokens WHERE token = $1", {std::string(token)}));
  return r.affected > 0;
}

}  // namespace clash::internal
