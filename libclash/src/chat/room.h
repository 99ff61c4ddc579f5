// Internal: one chat room on this host: its local members, the in-order delivery of its events
// (duplicates dropped, gaps filled from storage), the cached connect snapshot, typing indicators
// and presence (this host's online users and the other hosts' announcements).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "chat/client.h"
#include "clash/chat.h"
#include "clash/stores/chat_store.h"

namespace clash::internal {

class Room;

// A chat connection (or a watcher) in a room.
class Member final : public Client, public std::enable_shared_from_this<Member> {
 public:
  Member(const ChatTicket& t, std::shared_ptr<ChatPeer> peer, bool watcher, std::weak_ptr<Chat::Impl> core,
         Room* room)
      : Client(t, std::move(peer), watcher), core(std::move(core)), room(room), resume_after(t.resume_after) {}
  void Receive(std::string_view text) override;
  void Closed() override;

  const std::weak_ptr<Chat::Impl> core;
  Room* const room;
  const std::optional<std::int64_t> resume_after;

 private:
  friend class Room;
  // Guarded by the room's mutex:
  enum class Phase : std::uint8_t { kJoining, kLive, kGone } phase_ = Phase::kJoining;
  std::int64_t min_seq_ = 0;           // sequenced frames at or below it are already in its snapshot
  std::vector<ChatFramePtr> held_;     // frames that arrived while joining
  std::size_t slot_ = 0;               // index in the room's member list
};

// What a joining client gets first: the room's state at `seq`.
struct RoomSnapshot {
  std::int64_t seq = 0;
  std::string items_json;              // the history messages, a JSON array, oldest first
  ChatFramePtr history;                // the `history` frame ("gap": false)
  ChatFramePtr pin;                    // the `chat_pin` frame, or null
};

class Room {
 public:
  // `read_events` reads the event log after a sequence number (storage); `resync` builds a fresh
  // snapshot when the log cannot fill a gap.
  struct Hooks {
    std::function<Result<std::vector<ChatEventRecord>>(std::int64_t after, int limit)> read_events;
    std::function<Result<RoomSnapshot>()> snapshot;
    std::function<void(std::string_view host_payload)> announce;  // publishes this host's online users
    std::function<void(std::uint64_t)> count_sent;
    std::function<void()> count_gap;
    std::function<void()> count_duplicate;
  };
  Room(std::string name, const ChatOptions& options, Hooks hooks);
  const std::string& name() const { return name_; }

  // --- membership ---------------------------------------------------------------------------
  void AddJoining(const std::shared_ptr<Member>& m);
  // Sends `first` frames, then those held since AddJoining that are not in the snapshot (sequenced
  // ones above `min_seq`), and makes the member live. Does nothing for a member that left.
  void GoLive(const std::shared_ptr<Member>& m, const std::vector<ChatFramePtr>& first, std::int64_t min_seq);
  void Remove(Member& m);
  std::size_t size();
  // Calls f(member) for each member, under the room's lock (f must not block).
  void ForEach(const std::function<void(Member&)>& f);

  // --- delivery -----------------------------------------------------------------------------
  void SetDelivered(std::int64_t seq);
  std::int64_t delivered();
  // Delivers a stored event in sequence order: a duplicate is dropped, a gap before it is filled
  // from the event log first.
  void Deliver(std::int64_t seq, const ChatFramePtr& frame);
  // Delivers what the log holds beyond the last delivered event (after a PubSub outage).
  void CatchUp();
  // A frame that is not an event (typing, presence), to every live member but `except_user`'s.
  void Broadcast(const ChatFramePtr& frame, std::int64_t except_user = 0);

  // --- snapshot cache -----------------------------------------------------------------------
  // The cached snapshot if it is not older than what was delivered.
  std::optional<RoomSnapshot> CachedSnapshot();
  void StoreSnapshot(const RoomSnapshot& s);

  // --- typing -------------------------------------------------------------------------------
  // Records that `who` types until now + ttl; true when the indicator should be broadcast (it was
  // not shown, or was last sent half a ttl ago).
  bool Typing(const ChatUser& who, Timestamp now);
  void StopTyping(std::int64_t user_id);
  std::vector<ChatUser> Typers(Timestamp now);

  // --- presence -----------------------------------------------------------------------------
  void RemotePresence(const std::string& host, std::vector<ChatUser> users, Timestamp now);
  void RemoteHostGone(const std::string& host);
  void RequestAnnounce();
  // Announces this host's users if they changed (or the heartbeat is due), forgets silent hosts,
  // and broadcasts one coalesced `presence` frame if the online set changed.
  void PresenceTick(Timestamp now);
  // Distinct users online on every host, up to `limit` listed by user id.
  ChatPresence Online(int limit);
  // The last broadcast online set (cheap): its size and up to `limit` users.
  std::pair<std::int64_t, std::vector<ChatUser>> Shown(int limit, const ChatUser* plus);
  std::int64_t online_count();

 private:
  void FanoutLocked(const ChatFramePtr& frame, std::int64_t except_user = 0);
  void FillGapLocked(std::int64_t up_to);
  void ResyncLocked();
  std::unordered_map<std::int64_t, ChatUser> UnionLocked() const;  // needs presence_mu_

  const std::string name_;
  const ChatOptions& options_;
  const Hooks hooks_;

  std::mutex mu_;  // members, delivery, snapshot cache
  std::vector<std::shared_ptr<Member>> members_;
  std::int64_t delivered_ = -1;  // -1: unknown until the first event (storage was down at start)
  std::optional<RoomSnapshot> snapshot_;

  std::mutex presence_mu_;  // taken after mu_ when both are needed
  struct LocalUser {
    int sockets = 0;
    ChatUser user;
  };
  struct RemoteHost {
    std::unordered_map<std::int64_t, ChatUser> users;
    Timestamp heard;
  };
  struct TypingState {
    ChatUser user;
    Timestamp until;
    Timestamp sent;
  };
  std::unordered_map<std::int64_t, LocalUser> local_;
  bool local_dirty_ = false;
  bool announce_requested_ = true;
  Timestamp last_announce_;
  std::map<std::string, RemoteHost> remote_;
  bool global_dirty_ = false;
  Timestamp last_update_;
  std::unordered_map<std::int64_t, ChatUser> shown_;
  std::unordered_map<std::int64_t, TypingState> typing_;
};

}  // namespace clash::internal
