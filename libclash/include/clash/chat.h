// clash/chat.h — real-time chat rooms and the per-user notification channel, on one host or many.
//
// Chat routes the frames of the web client's /ws/chat/<room> socket (client-contract.md section 13,
// with the fixes of product.md) and LiveNotifications those of /ws/notifications (section 12). The
// rules live here; a transport (the host's WebSocket route, the Python module) only moves frames:
// it admits a client with the access token (Admit, which may read storage: call it off an event
// loop), hands Open a ChatPeer that can send a frame and close, then passes every inbound text frame
// to ChatConnection::Receive and reports the end with Closed(). Nothing here blocks the caller of
// Receive: frames are queued per connection and handled in order on the chat's worker threads.
//
// Messages: 1-1000 characters (Unicode code points, not all blank), stored before they are sent to
// anyone (a failed save answers the sender with an error frame and sends nothing), each with a
// stable id and a per-room sequence number. Every change a client can see (a message, an edit, a
// delete, a reaction, a pin, an unpin) takes the room's next sequence number and is kept, as the
// exact frame clients got, in the room's event log for the resume window (default 10 minutes or
// 1,000 events). A client that reconnects with the last sequence it saw (Admit's resume_after) gets
// exactly the events it missed in one `resume` frame, or, beyond the window, the normal `history`
// frame with "gap": true. Edits and deletes belong to the author; staff may delete any message and
// mute a user for a period; reactions toggle atomically; a pin shows the stored text; `@username`
// reaches that user's notification sockets as {"type":"mention", sender, room, ...}.
//
// Several hosts: every host serves its own sockets and shares the rest through the PubSub (Redis):
// events are published after they commit and delivered in sequence order on every host (a gap is
// filled from storage, a duplicate dropped, so each client gets each event once and in order);
// presence is the union of every host's online users (each host announces its own, coalesced to at
// most one update per presence_interval per room, and re-announces them every presence_heartbeat;
// a host silent for three heartbeats is forgotten). When the PubSub link is lost a host keeps
// serving its own sockets (its own events still reach them at once, others' as soon as one of its
// own events reveals the gap); when the link returns it reads what it missed from storage.
//
// Limits (RateLimitPolicy scopes, counted in Redis when the engine's limiter is): chat_connect per
// connection, chat_burst and chat_message per frame, chat_typing per typing frame. An over-limit,
// malformed or refused frame gets an `error` frame and the socket stays open.
//
// Access: a connection ends with close code 4001 when its token expires, unless the client sent a
// fresh token first ({"action":"auth","token":...}); when its login ends (logout) with 4001; when
// its user is blocked or deleted with 1008, at once on every host (Auth's AccessRevoked, published
// on kAccessRevokedTopic by the engine).
//
// Thread-safety: Chat, LiveNotifications and ChatConnection are safe for concurrent use. ChatPeer
// methods are called from the chat's threads and must not block.
//
// Example (a transport):
//   CLASH_ASSIGN_OR_RETURN(clash::ChatTicket t, engine->chat().Admit(token, "global", std::nullopt));
//   std::shared_ptr<clash::ChatConnection> c = engine->chat().Open(std::move(t), my_peer);
//   c->Receive(R"({"action":"send","message":"hello"})");   // every client frame
//   c->Closed();                                            // when the socket is gone
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clash/auth.h"
#include "clash/clock.h"
#include "clash/export.h"
#include "clash/log.h"
#include "clash/pubsub.h"
#include "clash/ratelimit.h"
#include "clash/rng.h"
#include "clash/status.h"

namespace clash {

class Storage;
class Notifications;

// Where the engine publishes Auth's AccessRevoked reports, and their encoding.
inline constexpr std::string_view kAccessRevokedTopic = "auth:revoked";
CLASH_EXPORT std::string EncodeAccessRevoked(const AccessRevoked& revoked);
CLASH_EXPORT std::optional<AccessRevoked> DecodeAccessRevoked(std::string_view payload);

// The close codes chat and notification sockets end with.
inline constexpr int kChatClosePolicy = 1008;         // bad or missing credentials, unknown room, too many
                                                      // connections, blocked account
inline constexpr int kChatCloseUnauthorized = 4001;   // the token expired or the login ended

struct ChatOptions {
  // The rooms clients may join; any other room is refused (1008). Names: 1-64 of [A-Za-z0-9_-].
  std::vector<std::string> rooms = {"global"};
  // Messages in the `history` frame sent on connect.
  int history_limit = 50;
  // Resume: a reconnecting client gets the events it missed if there are at most
  // resume_max_events of them and the first is younger than resume_window.
  std::chrono::seconds resume_window{600};
  int resume_max_events = 1000;
  // A typing indicator lasts this long (clients show it as long; the server forgets it then).
  std::chrono::milliseconds typing_ttl{3000};
  // Presence updates of a room are coalesced to at most one per interval.
  std::chrono::milliseconds presence_interval{500};
  // Each host re-announces its online users this often; one silent for 3 heartbeats is forgotten.
  std::chrono::milliseconds presence_heartbeat{10'000};
  // Threads that handle clients' frames (storage, limits). 1-64.
  int workers = 2;
  // How often the timer thread runs Tick() (token expiry, typing expiry, presence). 0: no timer
  // thread (tests call Tick() after moving a FakeClock).
  std::chrono::milliseconds tick_interval{250};
  // Who may pin and unpin: staff only (false) or anyone (true, the reference's behaviour).
  bool anyone_may_pin = false;
  // Client frames a connection may have waiting; more get an error frame.
  int max_queued_frames = 64;
  // Users a message may mention (more are ignored).
  int max_mentions = 10;
  // Distinct emojis on one message.
  int max_reaction_emojis = 20;
  // Names this process on the PubSub; empty: random.
  std::string host_id;
};

using ChatReactions = std::map<std::string, std::vector<std::string>>;  // emoji -> usernames

struct ChatMessage {
  std::int64_t id = 0;
  std::string room;
  std::int64_t seq = 0;                 // the room sequence number of the send
  std::int64_t user_id = 0;
  std::string username;
  std::string avatar_url;
  std::string text;
  Timestamp created_at;                 // unique in the room: the client identifies messages by it
  std::optional<Timestamp> edited_at;
  bool deleted = false;
  ChatReactions reactions;
};

// The wire form of a message timestamp ("2026-03-22T08:35:33.123456+00:00"), and its parser (any
// RFC 3339 / ISO 8601 date-time with an offset or Z, up to microseconds).
CLASH_EXPORT std::string ChatTimestamp(Timestamp t);
CLASH_EXPORT std::optional<Timestamp> ParseChatTimestamp(std::string_view text);

// GET /api/chat/history/?before=<seq>&limit=<n>: messages with a sequence number below `before`
// (absent: the newest), at most `limit` (1-100, default 50).
struct ChatHistoryQuery {
  std::optional<std::int64_t> before;
  int limit = 50;
};
// InvalidArgument("before must be a positive integer" / "limit must be 1-100") for bad values; an
// absent value (nullopt) is the default.
CLASH_EXPORT Result<ChatHistoryQuery> ParseChatHistoryQuery(std::optional<std::string_view> before,
                                                            std::optional<std::string_view> limit);

struct ChatHistoryPage {
  std::string room;
  std::vector<ChatMessage> messages;    // oldest first
  bool has_more = false;                // older messages exist
  std::int64_t last_seq = 0;            // the room's newest sequence number
};

struct ChatUser {
  std::int64_t user_id = 0;
  std::string username;
  std::string avatar_url;
};

struct ChatPresence {
  std::string room;
  std::int64_t count = 0;               // distinct users online in the room, on every host
  std::vector<ChatUser> users;          // at most the requested number, by user id
};

// One frame for clients: the JSON text, shared by every recipient of a broadcast.
class CLASH_EXPORT ChatFrame {
 public:
  explicit ChatFrame(std::string json, std::int64_t seq = 0) : json_(std::move(json)), seq_(seq) {}
  const std::string& json() const { return json_; }
  // The room sequence number of a stored event; 0 for presence, typing, errors and replies.
  std::int64_t seq() const { return seq_; }
  // The transport's encoding of this frame (a WebSocket frame), made by the first caller with
  // `encode` and shared by every later one.
  std::shared_ptr<const std::string> Encoded(
      const std::function<std::shared_ptr<const std::string>(std::string_view)>& encode) const;

 private:
  std::string json_;
  std::int64_t seq_;
  mutable std::once_flag encode_once_;
  mutable std::shared_ptr<const std::string> encoded_;
};
using ChatFramePtr = std::shared_ptr<const ChatFrame>;

// Implemented by a transport for each client connection. Called from the chat's threads; neither
// call may block (queue the frame; a client that cannot keep up is the transport's to drop).
class CLASH_EXPORT ChatPeer {
 public:
  virtual ~ChatPeer() = default;
  // Queues `frame` for the client. Returns false if the client is gone.
  virtual bool Send(const ChatFramePtr& frame) = 0;
  // Ends the connection with `code` (kChatClosePolicy, kChatCloseUnauthorized) and a short reason.
  virtual void Close(int code, std::string_view reason) = 0;
};

// A client that Admit accepted: who it is and what it asked for.
struct ChatTicket {
  std::int64_t user_id = 0;
  std::string username;
  std::string avatar_url;
  bool staff = false;
  bool superuser = false;
  std::string session_id;               // the login (Auth::Grant)
  Timestamp expires_at;                 // the token's expiry
  std::string room;                     // empty for a notification socket
  std::optional<std::int64_t> resume_after;
};

// A served connection (Chat::Open, Chat::Watch, LiveNotifications::Open).
class CLASH_EXPORT ChatConnection {
 public:
  virtual ~ChatConnection() = default;
  // An inbound text frame from the client: queued and handled in order; never blocks.
  virtual void Receive(std::string_view text) = 0;
  // The transport is gone: the connection leaves its room. Idempotent.
  virtual void Closed() = 0;
};

struct ChatStats {
  std::uint64_t connections = 0;        // open chat connections on this host (watchers included)
  std::uint64_t notification_connections = 0;
  std::uint64_t events_stored = 0;      // events this host committed
  std::uint64_t frames_sent = 0;        // frames handed to peers
  std::uint64_t frames_rejected = 0;    // client frames answered with an error
  std::uint64_t gaps_filled = 0;        // events read from storage because the PubSub missed them
  std::uint64_t duplicates_dropped = 0; // events that arrived again
  std::uint64_t publish_failures = 0;   // events, typing and presence the PubSub refused
  std::map<std::string, std::int64_t> online;  // room -> distinct users online on every host
};

struct ChatDeps {
  Storage& storage;
  Clock& clock;
  Rng& rng;
  const Logger& logger;
  PubSub& pubsub;
  Auth& auth;
  RateLimiter* limiter = nullptr;       // null: no limits
  RateLimitPolicy policy;
  Notifications* notifications = nullptr;  // null: mentions are not delivered
};

class LiveNotifications;

class CLASH_EXPORT Chat {
 public:
  // Subscribes to the rooms' PubSub topics and starts the worker and timer threads.
  // InvalidArgument for bad options (a bad room name, workers outside 1-64, ...); the storage's
  // error if the rooms' state cannot be read.
  static Result<std::unique_ptr<Chat>> Create(const ChatDeps& deps, ChatOptions options);
  ~Chat();
  Chat(const Chat&) = delete;
  Chat& operator=(const Chat&) = delete;

  // --- Transports -----------------------------------------------------------------------------
  // Checks a connection: Unauthenticated for a bad or expired token (detail reason =
  // "account_disabled" for a blocked user); NotFound for a room that is not configured;
  // ResourceExhausted past the chat_connect limit. A transport answers each with close 1008.
  Result<ChatTicket> Admit(std::string_view access_token, std::string_view room,
                           std::optional<std::int64_t> resume_after);
  // Serves an admitted client: `history` (or `resume`), the pin, `online`, then live frames.
  std::shared_ptr<ChatConnection> Open(ChatTicket ticket, std::shared_ptr<ChatPeer> peer);
  // Every frame of `room` for a server-side reader (a bot, a moderation script): history first,
  // then live frames; not counted as online. NotFound for an unknown room.
  Result<std::shared_ptr<ChatConnection>> Watch(std::string_view room, std::shared_ptr<ChatPeer> peer);
  // The notification sockets.
  LiveNotifications& notifications();

  // --- Server-side calls (what the socket actions do) ------------------------------------------
  // Errors: NotFound("Message not found.") for an unknown or deleted target and for an unknown
  // room; PermissionDenied for someone else's message or a staff-only action; InvalidArgument for
  // bad text or emoji; FailedPrecondition with detail reason = "muted" for a muted user;
  // Unavailable / Internal when storage fails (nothing was sent).
  Result<ChatMessage> Post(const User& author, std::string_view room, std::string_view text);
  Result<ChatMessage> Edit(const User& actor, std::string_view room, std::int64_t message_id, std::string_view text);
  Status Delete(const User& actor, std::string_view room, std::int64_t message_id);
  // Toggles the actor's `emoji` on the message; returns the message with its reactions after it.
  Result<ChatMessage> React(const User& actor, std::string_view room, std::int64_t message_id, std::string_view emoji);
  Status Pin(const User& actor, std::string_view room, std::int64_t message_id);
  Status Unpin(const User& actor, std::string_view room);
  // Staff: `user_id` cannot send, edit, react or pin until the returned time (duration 1 s - 30
  // days). PermissionDenied per Require(kManageUser); NotFound for an unknown user.
  Result<Timestamp> Mute(const User& actor, std::int64_t user_id, std::chrono::seconds duration);
  Status Unmute(const User& actor, std::int64_t user_id);

  Result<ChatHistoryPage> History(std::string_view room, const ChatHistoryQuery& query);
  // Who is online in `room` on every host (up to `limit` users listed). NotFound for an unknown room.
  Result<ChatPresence> Online(std::string_view room, int limit = 1000);
  // Who is typing in `room` now.
  Result<std::vector<ChatUser>> Typing(std::string_view room);

  const ChatOptions& options() const;
  ChatStats stats() const;
  // Runs the timers now: token expiry, typing expiry, presence announcements and updates.
  void Tick();
  // Waits until every client frame queued so far has been handled.
  void Flush();

  struct Impl;

 private:
  explicit Chat(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

// The /ws/notifications channel: every socket of a user, on every host, receives what is published
// on the user's topic (clash/notifications.h NotificationTopic: notifications of every module, chat
// mentions). Clients send nothing but may renew their token ({"action":"auth","token":...}).
class CLASH_EXPORT LiveNotifications {
 public:
  virtual ~LiveNotifications() = default;
  // Unauthenticated for a bad token (a transport closes with 1008).
  virtual Result<ChatTicket> Admit(std::string_view access_token) = 0;
  virtual std::shared_ptr<ChatConnection> Open(ChatTicket ticket, std::shared_ptr<ChatPeer> peer) = 0;
  // Open notification sockets on this host.
  virtual std::uint64_t connections() const = 0;
};

}  // namespace clash
