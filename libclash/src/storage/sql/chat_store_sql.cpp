// Chat rooms, messages, reactions, the event log and mutes on the shared SQL layer (migration 8).
// NextEvent is one UPDATE ... RETURNING on the room row: it takes the next sequence number and a
// timestamp unique in the room, and holds the row lock until the transaction ends, so a room's
// events commit in sequence order on every backend.
#include "storage/sql/chat_store_sql.h"

#include <cstdint>
#include <string>

namespace clash::internal {
namespace {

constexpr const char* kMessageColumns =
    "SELECT m.id, m.room, m.seq, m.user_id, u.username, u.avatar_url, m.content, m.created_at, m.edited_at, "
    "m.deleted_at FROM chat_messages m JOIN users u ON u.id = m.user_id ";

ChatMessage MessageFromRow(const SqlRow& row) {
  ChatMessage m;
  m.id = row.Int(0);
  m.room = row.Text(1);
  m.seq = row.Int(2);
  m.user_id = row.Int(3);
  m.username = row.Text(4);
  m.avatar_url = row.Text(5);
  m.text = row.Text(6);
  m.created_at = Timestamp::FromUnixMicros(row.Int(7));
  if (!row.IsNull(8)) m.edited_at = Timestamp::FromUnixMicros(row.Int(8));
  m.deleted = !row.IsNull(9);
  return m;
}

SqlValue Optional(const std::optional<std::int64_t>& v) { return v ? SqlValue(*v) : SqlValue(std::monostate{}); }

}  // namespace

Result<ChatPosition> SqlChatStore::NextEvent(std::string_view room, Timestamp now) {
  CLASH_RETURN_IF_ERROR(session_.Exec("INSERT INTO chat_rooms (room, last_seq, last_at) VALUES ($1, 0, 0) "
                                      "ON CONFLICT (room) DO NOTHING",
                                      {std::string(room)}));
  CLASH_ASSIGN_OR_RETURN(SqlResult r,
                         session_.Exec("UPDATE chat_rooms SET last_seq = last_seq + 1, "
                                       "last_at = CASE WHEN last_at >= $2 THEN last_at + 1 ELSE $2 END "
                                       "WHERE room = $1 RETURNING last_seq, last_at",
                                       {std::string(room), now.unix_micros()}));
  if (r.rows.empty()) return Status::Internal("chat room row vanished");
  return ChatPosition{r.rows[0].Int(0), Timestamp::FromUnixMicros(r.rows[0].Int(1))};
}

Result<ChatRoomRecord> SqlChatStore::Room(std::string_view room) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r,
                         session_.Exec("SELECT last_seq, pinned_message_id, pinned_by FROM chat_rooms WHERE room = $1",
                                       {std::string(room)}));
  ChatRoomRecord out;
  out.room = std::string(room);
  if (r.rows.empty()) return out;
  out.last_seq = r.rows[0].Int(0);
  if (!r.rows[0].IsNull(1)) out.pinned_message_id = r.rows[0].Int(1);
  if (!r.rows[0].IsNull(2)) out.pinned_by = r.rows[0].Int(2);
  return out;
}

Status SqlChatStore::SetPin(std::string_view room, std::optional<std::int64_t> message_id,
                            std::optional<std::int64_t> pinned_by) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r,
                         session_.Exec("UPDATE chat_rooms SET pinned_message_id = $2, pinned_by = $3 WHERE room = $1",
                                       {std::string(room), Optional(message_id), Optional(pinned_by)}));
  return r.affected > 0 ? Status::Ok() : Status::NotFound("chat room not found");
}

Result<std::int64_t> SqlChatStore::InsertMessage(const ChatMessage& m) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r,
                         session_.Exec("INSERT INTO chat_messages (room, seq, user_id, content, created_at) "
                                       "VALUES ($1, $2, $3, $4, $5) RETURNING id",
                                       {m.room, m.seq, m.user_id, m.text, m.created_at.unix_micros()}));
  if (r.rows.empty()) return Status::Internal("insert of a chat message returned no id");
  return r.rows[0].Int(0);
}

Result<ChatMessage> SqlChatStore::OneMessage(const std::string& where, const std::vector<SqlValue>& params) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec(std::string(kMessageColumns) + where, params));
  if (r.rows.empty()) return Status::NotFound("Message not found.");
  return MessageFromRow(r.rows[0]);
}

Result<ChatMessage> SqlChatStore::GetMessage(std::string_view room, std::int64_t id) {
  return OneMessage("WHERE m.room = $1 AND m.id = $2", {std::string(room), id});
}

Result<ChatMessage> SqlChatStore::FindMessage(std::string_view room, Timestamp created_at) {
  return OneMessage("WHERE m.room = $1 AND m.created_at = $2", {std::string(room), created_at.unix_micros()});
}

Status SqlChatStore::EditMessage(std::int64_t id, std::string_view text, Timestamp edited_at) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("UPDATE chat_messages SET content = $2, edited_at = $3 WHERE id = $1",
                                                    {id, std::string(text), edited_at.unix_micros()}));
  return r.affected > 0 ? Status::Ok() : Status::NotFound("Message not found.");
}

Status SqlChatStore::DeleteMessage(std::int64_t id, std::int64_t deleted_by, Timestamp at) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r,
                         session_.Exec("UPDATE chat_messages SET content = '', deleted_at = $2, deleted_by = $3 "
                                       "WHERE id = $1",
                                       {id, at.unix_micros(), deleted_by}));
  if (r.affected == 0) return Status::NotFound("Message not found.");
  CLASH_RETURN_IF_ERROR(session_.Exec("DELETE FROM chat_reactions WHERE message_id = $1", {id}));
  return Status::Ok();
}

Result<bool> SqlChatStore::ToggleReaction(std::int64_t message_id, std::string_view emoji, std::int64_t user_id,
                                          Timestamp now) {
  CLASH_ASSIGN_OR_RETURN(SqlResult removed,
                         session_.Exec("DELETE FROM chat_reactions WHERE message_id = $1 AND emoji = $2 AND user_id = $3",
                                       {message_id, std::string(emoji), user_id}));
  if (removed.affected > 0) return false;
  CLASH_RETURN_IF_ERROR(session_.Exec("INSERT INTO chat_reactions (message_id, emoji, user_id, created_at) "
                                      "VALUES ($1, $2, $3, $4)",
                                      {message_id, std::string(emoji), user_id, now.unix_micros()}));
  return true;
}

Result<int> SqlChatStore::ReactionEmojiCount(std::int64_t message_id) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("SELECT COUNT(DISTINCT emoji) FROM chat_reactions WHERE message_id = $1",
                                                    {message_id}));
  return r.rows.empty() ? 0 : static_cast<int>(r.rows[0].Int(0));
}

Result<std::map<std::int64_t, ChatReactions>> SqlChatStore::Reactions(const std::vector<std::int64_t>& message_ids) {
  std::map<std::int64_t, ChatReactions> out;
  if (message_ids.empty()) return out;
  std::string in;
  std::vector<SqlValue> params;
  for (std::int64_t id : message_ids) {
    params.emplace_back(std::in_place_index<1>, id);
    in += (in.empty() ? "$" : ", $") + std::to_string(params.size());
  }
  CLASH_ASSIGN_OR_RETURN(SqlResult r,
                         session_.Exec("SELECT r.message_id, r.emoji, u.username FROM chat_reactions r "
                                       "JOIN users u ON u.id = r.user_id WHERE r.message_id IN (" + in + ") "
                                       "ORDER BY r.message_id, r.created_at, r.user_id",
                                       params));
  for (const SqlRow& row : r.rows) out[row.Int(0)][row.Text(1)].push_back(row.Text(2));
  return out;
}

Result<std::vector<ChatMessage>> SqlChatStore::History(std::string_view room, std::optional<std::int64_t> before_seq,
                                                       int limit) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec(std::string(kMessageColumns) +
                                                        "WHERE m.room = $1 AND m.seq < $2 AND m.deleted_at IS NULL "
                                                        "ORDER BY m.seq DESC LIMIT $3",
                                                    {std::string(room), before_seq.value_or(INT64_MAX),
                                                     std::int64_t{limit}}));
  std::vector<ChatMessage> out;
  out.reserve(r.rows.size());
  for (const SqlRow& row : r.rows) out.push_back(MessageFromRow(row));
  return out;
}

Status SqlChatStore::AppendEvent(std::string_view room, const ChatEventRecord& e) {
  CLASH_RETURN_IF_ERROR(session_.Exec("INSERT INTO chat_events (room, seq, created_at, frame) VALUES ($1, $2, $3, $4)",
                                      {std::string(room), e.seq, e.at.unix_micros(), e.frame}));
  return Status::Ok();
}

Result<std::vector<ChatEventRecord>> SqlChatStore::EventsAfter(std::string_view room, std::int64_t after_seq,
                                                                int limit) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("SELECT seq, created_at, frame FROM chat_events "
                                                    "WHERE room = $1 AND seq > $2 ORDER BY seq LIMIT $3",
                                                    {std::string(room), after_seq, std::int64_t{limit}}));
  std::vector<ChatEventRecord> out;
  out.reserve(r.rows.size());
  for (const SqlRow& row : r.rows) {
    out.push_back(ChatEventRecord{row.Int(0), Timestamp::FromUnixMicros(row.Int(1)), row.Text(2)});
  }
  return out;
}

Result<std::int64_t> SqlChatStore::PruneEvents(std::string_view room, std::int64_t up_to_seq, Timestamp before) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("DELETE FROM chat_events WHERE room = $1 AND "
                                                    "(seq <= $2 OR created_at < $3)",
                                                    {std::string(room), up_to_seq, before.unix_micros()}));
  return r.affected;
}

Status SqlChatStore::SetMute(std::int64_t user_id, Timestamp until, std::int64_t muted_by, Timestamp now) {
  CLASH_RETURN_IF_ERROR(session_.Exec("INSERT INTO chat_mutes (user_id, muted_until, muted_by, created_at) "
                                      "VALUES ($1, $2, $3, $4) ON CONFLICT (user_id) DO UPDATE SET "
                                      "muted_until = excluded.muted_until, muted_by = excluded.muted_by, "
                                      "created_at = excluded.created_at",
                                      {user_id, until.unix_micros(), muted_by, now.unix_micros()}));
  return Status::Ok();
}

Result<bool> SqlChatStore::ClearMute(std::int64_t user_id) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("DELETE FROM chat_mutes WHERE user_id = $1", {user_id}));
  return r.affected > 0;
}

Result<std::optional<Timestamp>> SqlChatStore::MutedUntil(std::int64_t user_id) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("SELECT muted_until FROM chat_mutes WHERE user_id = $1", {user_id}));
  if (r.rows.empty()) return std::optional<Timestamp>();
  return std::optional<Timestamp>(Timestamp::FromUnixMicros(r.rows[0].Int(0)));
}

}  // namespace clash::internal
