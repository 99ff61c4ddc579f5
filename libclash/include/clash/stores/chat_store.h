// clash/stores/chat_store.h — storage of chat rooms, messages, reactions, the event log and mutes
// (used by clash::Chat).
//
// For backend authors: implement this interface (reached through StorageTransaction, clash/storage.h)
// to add a storage backend; application code never calls it directly. Every method runs inside the
// transaction that handed the store out and documents its success and failure results; the contract
// suite (tests/storage/chat_store_test.cpp) checks them on every backend.
//
// Ordering: every visible change of a room first takes the room's next sequence number with
// NextEvent, which locks the room row for writers until the transaction ends. Changes of one room
// therefore commit in sequence order, so once event N is visible every event before it is too.
//
// Thread-safety: a store belongs to the thread running its transaction.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clash/chat.h"
#include "clash/clock.h"
#include "clash/export.h"
#include "clash/status.h"

namespace clash {

// The sequence number and the timestamp NextEvent hands out.
struct ChatPosition {
  std::int64_t seq = 0;
  Timestamp at;
};

struct ChatRoomRecord {
  std::string room;
  std::int64_t last_seq = 0;            // 0: nothing happened in the room yet
  std::optional<std::int64_t> pinned_message_id;
  std::optional<std::int64_t> pinned_by;
};

// One entry of a room's event log: the exact frame clients received.
struct ChatEventRecord {
  std::int64_t seq = 0;
  Timestamp at;
  std::string frame;
};

class CLASH_EXPORT ChatStore {
 public:
  virtual ~ChatStore() = default;

  // Takes `room`'s next sequence number (creating the room on first use) and a timestamp unique in
  // the room: `now`, or 1 us after the room's previous one when that is not earlier. Locks the room
  // for other writers until the transaction ends.
  virtual Result<ChatPosition> NextEvent(std::string_view room, Timestamp now) = 0;
  // The room's state; a room never used has last_seq 0 and no pin.
  virtual Result<ChatRoomRecord> Room(std::string_view room) = 0;
  // Sets (or with nullopt clears) the room's pinned message. The room must exist (NextEvent).
  virtual Status SetPin(std::string_view room, std::optional<std::int64_t> message_id,
                        std::optional<std::int64_t> pinned_by) = 0;

  // Stores a message (room, seq, user_id, text, created_at of `m`) and returns its id.
  // AlreadyExists if the room already has a message with that seq or created_at;
  // FailedPrecondition for an unknown user.
  virtual Result<std::int64_t> InsertMessage(const ChatMessage& m) = 0;
  // The message with its author's current username and avatar (reactions not filled). Deleted
  // messages are found, with `deleted` set. NotFound("Message not found.") otherwise.
  virtual Result<ChatMessage> GetMessage(std::string_view room, std::int64_t id) = 0;
  virtual Result<ChatMessage> FindMessage(std::string_view room, Timestamp created_at) = 0;
  // Replaces the text and sets edited_at. NotFound for an unknown id.
  virtual Status EditMessage(std::int64_t id, std::string_view text, Timestamp edited_at) = 0;
  // Marks the message deleted (its text is cleared and its reactions removed). NotFound for an
  // unknown id.
  virtual Status DeleteMessage(std::int64_t id, std::int64_t deleted_by, Timestamp at) = 0;

  // Adds `user_id`'s `emoji` to the message, or removes it if it is there; returns true if added.
  virtual Result<bool> ToggleReaction(std::int64_t message_id, std::string_view emoji, std::int64_t user_id,
                                      Timestamp now) = 0;
  // How many distinct emojis the message has.
  virtual Result<int> ReactionEmojiCount(std::int64_t message_id) = 0;
  // The reactions of each message that has any: id -> emoji -> usernames in reaction order.
  virtual Result<std::map<std::int64_t, ChatReactions>> Reactions(const std::vector<std::int64_t>& message_ids) = 0;

  // Up to `limit` messages of `room` that are not deleted, with seq < before_seq (nullopt: no
  // bound), newest first; reactions not filled.
  virtual Result<std::vector<ChatMessage>> History(std::string_view room, std::optional<std::int64_t> before_seq,
                                                   int limit) = 0;

  // Appends to the room's event log. AlreadyExists for a seq already logged.
  virtual Status AppendEvent(std::string_view room, const ChatEventRecord& event) = 0;
  // Logged events with seq > after_seq, ascending, at most `limit`.
  virtual Result<std::vector<ChatEventRecord>> EventsAfter(std::string_view room, std::int64_t after_seq,
                                                           int limit) = 0;
  // Forgets logged events with seq <= up_to_seq or older than `before`; returns how many.
  virtual Result<std::int64_t> PruneEvents(std::string_view room, std::int64_t up_to_seq, Timestamp before) = 0;

  // Mutes `user_id` until `until` (replacing an earlier mute). FailedPrecondition for an unknown user.
  virtual Status SetMute(std::int64_t user_id, Timestamp until, std::int64_t muted_by, Timestamp now) = 0;
  // Returns whether a mute was removed.
  virtual Result<bool> ClearMute(std::int64_t user_id) = 0;
  // The end of the user's mute, if one is recorded (it may lie in the past).
  virtual Result<std::optional<Timestamp>> MutedUntil(std::int64_t user_id) = 0;
};

}  // namespace clash
