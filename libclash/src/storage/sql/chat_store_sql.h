// Internal: ChatStore on the shared SQL layer (tables chat_rooms, chat_messages, chat_reactions,
// chat_events, chat_mutes; migration 8).
#pragma once

#include "clash/storage.h"
#include "storage/sql/sql_session.h"

namespace clash::internal {

class SqlChatStore final : public ChatStore {
 public:
  explicit SqlChatStore(SqlSession& session) : session_(session) {}
  Result<ChatPosition> NextEvent(std::string_view room, Timestamp now) override;
  Result<ChatRoomRecord> Room(std::string_view room) override;
  Status SetPin(std::string_view room, std::optional<std::int64_t> message_id,
                std::optional<std::int64_t> pinned_by) override;
  Result<std::int64_t> InsertMessage(const ChatMessage& m) override;
  Result<ChatMessage> GetMessage(std::string_view room, std::int64_t id) override;
  Result<ChatMessage> FindMessage(std::string_view room, Timestamp created_at) override;
  Status EditMessage(std::int64_t id, std::string_view text, Timestamp edited_at) override;
  Status DeleteMessage(std::int64_t id, std::int64_t deleted_by, Timestamp at) override;
  Result<bool> ToggleReaction(std::int64_t message_id, std::string_view emoji, std::int64_t user_id,
                              Timestamp now) override;
  Result<int> ReactionEmojiCount(std::int64_t message_id) override;
  Result<std::map<std::int64_t, ChatReactions>> Reactions(const std::vector<std::int64_t>& message_ids) override;
  Result<std::vector<ChatMessage>> History(std::string_view room, std::optional<std::int64_t> before_seq,
                                           int limit) override;
  Status AppendEvent(std::string_view room, const ChatEventRecord& event) override;
  Result<std::vector<ChatEventRecord>> EventsAfter(std::string_view room, std::int64_t after_seq, int limit) override;
  Result<std::int64_t> PruneEvents(std::string_view room, std::int64_t up_to_seq, Timestamp before) override;
  Status SetMute(std::int64_t user_id, Timestamp until, std::int64_t muted_by, Timestamp now) override;
  Result<bool> ClearMute(std::int64_t user_id) override;
  Result<std::optional<Timestamp>> MutedUntil(std::int64_t user_id) override;

 private:
  Result<ChatMessage> OneMessage(const std::string& where, const std::vector<SqlValue>& params);
  SqlSession& session_;
};

}  // namespace clash::internal
