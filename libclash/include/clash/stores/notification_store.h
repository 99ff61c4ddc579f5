// clash/stores/notification_store.h — storage of notifications and FCM device tokens (used by
// clash::Notifications).
//
// For backend authors: implement this interface (reached through StorageTransaction, clash/storage.h)
// to add a storage backend; application code never calls it directly. Every method runs inside the
// transaction that handed the store out and documents its success and failure results; the contract
// suite (tests/storage/notification_store_test.cpp) checks them on every backend.
//
// Thread-safety: a store belongs to the thread running its transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clash/clock.h"
#include "clash/export.h"
#include "clash/notifications.h"
#include "clash/status.h"

namespace clash {

struct NotificationRecord {
  std::int64_t recipient_id = 0;
  std::optional<std::int64_t> actor_id;
  std::string verb;
  std::string target_type;
  std::optional<std::int64_t> target_id;
  std::string target_preview;
  Timestamp created_at;
};

class CLASH_EXPORT NotificationStore {
 public:
  virtual ~NotificationStore() = default;
  // Inserts an unread notification and returns its id (ids grow with insertion). FailedPrecondition
  // if the recipient or the actor does not exist; InvalidArgument for an empty verb.
  virtual Result<std::int64_t> Insert(const NotificationRecord& record) = 0;
  // The recipient's notifications newest first (by id), skipping `offset`, at most `limit`; the
  // actor's username, avatar and bio joined in, and whether the recipient follows the actor.
  virtual Result<std::vector<Notification>> List(std::int64_t recipient_id, std::int64_t offset, int limit) = 0;
  // How many notifications the recipient has, and how many of them are unread.
  virtual Result<std::pair<std::int64_t, std::int64_t>> Counts(std::int64_t recipient_id) = 0;
  // NotFound if `id` does not exist or belongs to someone else.
  virtual Result<Notification> Get(std::int64_t recipient_id, std::int64_t id) = 0;
  // Marks it read. NotFound as Get.
  virtual Status MarkRead(std::int64_t recipient_id, std::int64_t id) = 0;
  // Marks all of the recipient's unread notifications read; returns how many changed.
  virtual Result<std::int64_t> MarkAllRead(std::int64_t recipient_id) = 0;
  // NotFound as Get.
  virtual Status Delete(std::int64_t recipient_id, std::int64_t id) = 0;
  // Deletes all of the recipient's notifications; returns how many.
  virtual Result<std::int64_t> DeleteAll(std::int64_t recipient_id) = 0;

  // Binds `token` to `user_id` with `device_id`: inserts it (returns true) or, if the token exists
  // (for this or another user), moves it to `user_id` and updates device_id (returns false).
  // FailedPrecondition if the user does not exist.
  virtual Result<bool> UpsertFcmToken(std::int64_t user_id, std::string_view token, std::string_view device_id,
                                      Timestamp now) = 0;
  // The user's tokens, most recently updated first.
  virtual Result<std::vector<std::string>> FcmTokens(std::int64_t user_id) = 0;
  // Deletes `token` (whoever holds it); returns whether it existed.
  virtual Result<bool> DeleteFcmToken(std::string_view token) = 0;
};

}  // namespace clash
