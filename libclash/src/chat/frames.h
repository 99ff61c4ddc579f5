// Internal: the JSON frames chat clients receive (client-contract.md sections 12 and 13: the field
// names the web client reads, plus id/seq/room where the reference left them out), the PubSub
// envelope between hosts, and text checks.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clash/chat.h"
#include "clash/stores/chat_store.h"

namespace clash::internal {

// A history item: {id, seq, room, message, user_id, username, avatar_url, timestamp, reactions, edited}.
std::string MessageItemJson(const ChatMessage& m);

std::string ChatMessageFrame(const ChatMessage& m);
std::string EditFrame(const ChatMessage& m, std::int64_t seq);
std::string DeleteFrame(const ChatMessage& m, std::int64_t seq, std::int64_t deleted_by);
std::string ReactFrame(const ChatMessage& m, std::int64_t seq, std::string_view emoji, std::string_view username,
                       std::int64_t user_id, bool added);
// `seq` 0: the pin sent on connect (not an event).
std::string PinFrame(const ChatMessage& m, std::int64_t seq, std::string_view pinned_by);
std::string UnpinFrame(const std::optional<ChatMessage>& m, std::string_view room, std::int64_t seq,
                       std::string_view unpinned_by);
std::string TypingFrame(std::string_view room, const ChatUser& who, std::int64_t ttl_ms);
// `items_json` is a JSON array of MessageItemJson objects, oldest first.
std::string HistoryFrame(std::string_view room, std::string_view items_json, std::int64_t last_seq, bool gap);
std::string ResumeFrame(std::string_view room, std::int64_t after_seq, std::int64_t last_seq,
                        const std::vector<ChatEventRecord>& events);
std::string OnlineFrame(std::string_view room, std::int64_t count, const std::vector<ChatUser>& users);
std::string PresenceFrame(std::string_view room, bool join, const ChatUser& who, std::int64_t count, Timestamp at,
                          const std::vector<ChatUser>& joined, const std::vector<ChatUser>& left);
// `retry_after` > 0 adds "retry_after" (seconds).
std::string ErrorFrame(std::string_view message, std::string_view code, int retry_after = 0);
std::string MentionFrame(std::string_view sender, std::string_view room, const ChatMessage& m);
std::string AuthFrame(Timestamp expires_at);
std::string MuteFrame(std::int64_t user_id, std::optional<Timestamp> until);
std::string OnlineUsersJson(const std::vector<ChatUser>& users);

// The text of a message: 1-1000 code points of valid UTF-8, not all whitespace.
Status CheckMessageText(std::string_view text, std::size_t max_chars = 1000);
// An emoji (any short text): 1-64 bytes, no control characters or whitespace.
Status CheckEmoji(std::string_view emoji);
// The distinct @usernames of a text ([A-Za-z0-9_.-], trailing '.' and '-' dropped), at most `max`.
std::vector<std::string> Mentions(std::string_view text, int max);

// Between hosts on "chat:room:<room>": "<kind>|<host>|<seq>\n<body>". Kinds: 'E' a stored event
// (body: the frame), 'T' typing (body: [user_id, username, avatar_url]), 'P' a host's online users
// (body: [[id, username, avatar_url], ...]), 'S' asks every host to announce, 'B' a host leaves.
struct Envelope {
  char kind = 0;
  std::string host;
  std::int64_t seq = 0;
  std::string body;
};
std::string EncodeEnvelope(char kind, std::string_view host, std::int64_t seq, std::string_view body);
std::optional<Envelope> DecodeEnvelope(std::string_view payload);
std::string UsersJson(const std::vector<ChatUser>& users);        // [[id, name, avatar], ...]
std::optional<std::vector<ChatUser>> ParseUsersJson(std::string_view json);

std::string RoomTopic(std::string_view room);

}  // namespace clash::internal
