// clash/notifications.h — in-app notifications: stored, delivered live to the recipient's sockets,
// and pushed to their devices through Firebase Cloud Messaging (FCM HTTP v1).
//
// Other modules call Notify() inside their own transaction (a like, a follow, an admin broadcast):
// the notification is stored with the cause and, once the transaction commits, published on the
// pub/sub topic "notify:user:<recipient id>" as {"type":"notification","title","body","data"} (what
// the client's /ws/notifications socket reads) and queued for an FCM push to the recipient's
// registered devices. A rolled-back cause leaves neither a notification nor a message. Pushes run on
// a worker thread with retries and exponential backoff (429 and 5xx, honouring Retry-After); tokens
// FCM reports as unregistered or invalid are deleted. Without an FCM service account pushes are
// skipped and the socket delivery still happens.
//
// The REST side (client-contract.md section 12): a recipient lists their notifications (paged, with
// unread_count), reads one, marks one or all read, deletes one or all, and registers FCM tokens.
//
// Thread-safety: Notifications is safe for concurrent use.
//
// Example (a module's write path):
//   Status s = storage.Transact([&](clash::StorageTransaction& tx) -> clash::Status {
//     ...record the follow...
//     return notifications.Notify(tx, {.recipient_id = them, .actor_id = me, .verb = "started following you",
//                                      .title = "New Follower!", .body = "ada started following you."});
//   });
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clash/clock.h"
#include "clash/export.h"
#include "clash/log.h"
#include "clash/pubsub.h"
#include "clash/status.h"

namespace clash {

class Storage;
class StorageTransaction;
class HttpClient;

// Limits of the stored fields.
inline constexpr std::size_t kMaxNotificationVerbChars = 500;
inline constexpr std::size_t kMaxFcmTokenBytes = 4096;

// The pub/sub topic of a user's live notifications: "notify:user:<id>".
CLASH_EXPORT std::string NotificationTopic(std::int64_t user_id);

// What to notify. `verb` (1-500 characters) is what the list shows after the actor's name;
// `title` and `body` are the socket message's and the push's text.
struct NewNotification {
  std::int64_t recipient_id = 0;
  std::optional<std::int64_t> actor_id;        // who caused it; nullopt: the system
  std::string verb;
  std::string target_type;                     // "post", "user", or "" for none
  std::optional<std::int64_t> target_id;
  std::string target_preview;                  // an image URL of the target (a post's image), or ""
  std::string title;
  std::string body;
  std::map<std::string, std::string> data;     // extra fields of the message and the push
  bool push = true;                            // false: stored and published, no FCM push
  // The socket message's "type". Another type than "notification" (chat's "mention") also carries
  // each `data` field at the top level of the message, where the web client reads it ({type:
  // "mention", sender, room}).
  std::string socket_type = "notification";
};

// The actor as the recipient sees them.
struct NotificationActor {
  std::int64_t id = 0;
  std::string username;
  std::string avatar_url;
  std::string bio;
  bool is_following = false;                   // the recipient follows the actor
};

struct Notification {
  std::int64_t id = 0;
  std::int64_t recipient_id = 0;
  std::optional<NotificationActor> actor;
  std::string verb;
  std::string target_type;
  std::optional<std::int64_t> target_id;
  std::string target_preview;
  bool is_read = false;
  Timestamp created_at;
};

// One page of a recipient's notifications, newest first.
struct NotificationPage {
  std::vector<Notification> results;
  std::int64_t count = 0;                      // all of the recipient's notifications
  std::int64_t unread_count = 0;
  int page = 1;
  int page_size = 50;
  int total_pages = 0;                         // ceil(count / page_size); 0 when there are none
};

struct FcmRegistration {
  std::string token;
  std::string device_id;
  bool created = false;                        // false: the token existed and was re-bound to the caller
};

// Firebase Cloud Messaging through the HTTP v1 API.
struct FcmOptions {
  // The service account file's JSON (project_id, client_email, private_key, token_uri). Empty: pushes
  // are skipped.
  std::string service_account_json;
  // Where messages:send lives (tests point it at a fake server on 127.0.0.1).
  std::string api_base = "https://fcm.googleapis.com";
  // Attempts per device for 429 and 5xx answers and transport errors; the waits double from
  // initial_backoff (a Retry-After header, if longer, wins), at most max_backoff.
  int max_attempts = 4;
  std::chrono::milliseconds initial_backoff{500};
  std::chrono::milliseconds max_backoff{30'000};
  // Pushes waiting for the worker; beyond it a push is dropped (and logged).
  std::size_t max_queued = 10'000;
  // How the worker waits between attempts. Null: the real sleep. Tests record the waits instead.
  std::function<void(std::chrono::milliseconds)> sleep;
};

// Reads a notification list's paging parameters as the reference does: page >= 1 (default 1),
// page_size clamped to 1-100 (default 50); anything unparsable is the default.
struct NotificationPaging {
  int page = 1;
  int page_size = 50;
};
CLASH_EXPORT NotificationPaging ParseNotificationPaging(std::string_view page, std::string_view page_size);

class CLASH_EXPORT Notifications {
 public:
  // `http` may be null only when fcm.service_account_json is empty. InvalidArgument for a service
  // account that cannot be used (missing fields, a private key that does not parse).
  static Result<std::unique_ptr<Notifications>> Create(Storage& storage, Clock& clock, PubSub& pubsub,
                                                       const Logger& logger, HttpClient* http, FcmOptions fcm);
  ~Notifications();
  Notifications(const Notifications&) = delete;
  Notifications& operator=(const Notifications&) = delete;

  // Stores `n` in `tx` and, after `tx` commits, publishes it and queues its push. InvalidArgument
  // for an empty or too long verb; FailedPrecondition for an unknown recipient or actor. Notifying
  // yourself is allowed here; callers that must not (likes, follows) skip it.
  Status Notify(StorageTransaction& tx, const NewNotification& n);

  // The recipient's notifications, newest first, with the actor as the recipient sees them.
  Result<NotificationPage> List(std::int64_t recipient_id, NotificationPaging paging);
  // NotFound("Not found.") unless `id` is one of the recipient's.
  Result<Notification> Get(std::int64_t recipient_id, std::int64_t id);
  Status MarkRead(std::int64_t recipient_id, std::int64_t id);
  // Returns how many were unread.
  Result<std::int64_t> MarkAllRead(std::int64_t recipient_id);
  Status Delete(std::int64_t recipient_id, std::int64_t id);
  // Returns how many were deleted.
  Result<std::int64_t> ClearAll(std::int64_t recipient_id);

  // Registers an FCM device token for `user_id` (a token registered by another user moves to this
  // one, as the reference). InvalidArgument("Token is required") for an empty token, or one longer
  // than kMaxFcmTokenBytes or with control characters; device_id is cut to 255 characters.
  Result<FcmRegistration> RegisterFcmToken(std::int64_t user_id, std::string_view token, std::string_view device_id);

  // True when an FCM service account is configured.
  bool push_enabled() const;
  // Waits until every push queued so far has been sent or given up (tests, graceful shutdown).
  void FlushPushes();

 private:
  struct Impl;
  explicit Notifications(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace clash
