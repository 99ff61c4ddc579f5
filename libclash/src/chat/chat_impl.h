// Internal: Chat's state (Chat::Impl) shared by chat.cpp (connections, PubSub, timers),
// actions.cpp (the stored changes) and live_notifications.cpp.
#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "chat/executor.h"
#include "chat/frames.h"
#include "chat/room.h"
#include "clash/chat.h"
#include "clash/notifications.h"
#include "clash/storage.h"

// CLASH_RETURN_IF_ERROR around a transaction whose body uses it too (no shadowed temporaries).
#define CHAT_RETURN_IF_ERROR(expr)          \
  do {                                      \
    ::clash::Status chat_status_ = (expr);  \
    if (!chat_status_.ok()) return chat_status_; \
  } while (false)

namespace clash {

namespace internal {
class LiveNotificationsImpl;
std::shared_ptr<LiveNotificationsImpl> NewLiveNotifications(Chat::Impl& core);
void TickLiveNotifications(LiveNotificationsImpl& live, Timestamp now);
void RevokeLiveNotifications(LiveNotificationsImpl& live, const AccessRevoked& r);
LiveNotifications& AsLiveNotifications(LiveNotificationsImpl& live);
}  // namespace internal

struct Chat::Impl : std::enable_shared_from_this<Chat::Impl> {
  Impl(const ChatDeps& deps, ChatOptions opts);

  Storage& storage;
  Clock& clock;
  Rng& rng;
  const Logger& logger;
  PubSub& pubsub;
  Auth& auth;
  RateLimiter* limiter;
  RateLimitPolicy policy;
  Notifications* notifications;
  const ChatOptions options;
  std::string host_id;

  std::map<std::string, std::unique_ptr<internal::Room>, std::less<>> rooms;  // fixed after Create
  internal::Executor executor;
  std::shared_ptr<internal::LiveNotificationsImpl> live;
  std::vector<std::unique_ptr<Subscription>> subscriptions;

  std::atomic<std::uint64_t> connections{0};
  std::atomic<std::uint64_t> events_stored{0};
  std::atomic<std::uint64_t> frames_sent{0};
  std::atomic<std::uint64_t> frames_rejected{0};
  std::atomic<std::uint64_t> gaps_filled{0};
  std::atomic<std::uint64_t> duplicates_dropped{0};
  std::atomic<std::uint64_t> publish_failures{0};

  std::mutex timer_mu;
  std::condition_variable timer_cv;
  bool stopping = false;  // guarded by timer_mu
  std::thread timer;

  internal::Room* FindRoom(std::string_view name) {
    auto it = rooms.find(name);
    return it == rooms.end() ? nullptr : it->second.get();
  }
  // After a stored event commits: delivers it here and publishes it to the other hosts.
  void Published(const std::string& room, std::int64_t seq, const std::string& frame);
  // Publishes on the PubSub, counting failures.
  void PublishRaw(const std::string& topic, const std::string& payload);
  // Takes one unit of `scope` for `user_id`; ResourceExhausted (with retry_after) past it.
  Status Limit(std::string_view scope, std::int64_t user_id);
  Result<ChatTicket> Grant(std::string_view access_token);
  // The room's state for a joining client (history, pin, last sequence number).
  Result<internal::RoomSnapshot> ReadSnapshot(internal::Room& room);
  // Serves a joined member: history or resume, pin, online, then live.
  void Join(const std::shared_ptr<internal::Member>& m);
  // The stored changes (actions.cpp), as Chat's methods of the same names.
  Result<ChatMessage> Post(const User& author, std::string_view room, std::string_view text);
  Result<ChatMessage> Edit(const User& actor, std::string_view room, std::int64_t id, std::string_view text);
  Status Delete(const User& actor, std::string_view room, std::int64_t id);
  Result<ChatMessage> React(const User& actor, std::string_view room, std::int64_t id, std::string_view emoji);
  Status Pin(const User& actor, std::string_view room, std::int64_t id);
  Status Unpin(const User& actor, std::string_view room);
  Result<Timestamp> Mute(const User& actor, std::int64_t user_id, std::chrono::seconds duration);
  Status Unmute(const User& actor, std::int64_t user_id);
  void OnRoomMessage(const PubSubMessage& message);
  void OnRevoked(const AccessRevoked& r);
  void Tick();
  void Stop();
};

}  // namespace clash
