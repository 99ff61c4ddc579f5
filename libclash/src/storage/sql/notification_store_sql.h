// Internal: NotificationStore on the shared SQL layer (tables notifications, fcm_tokens; migration 6).
#pragma once

#include "clash/storage.h"
#include "storage/sql/sql_session.h"

namespace clash::internal {

class SqlNotificationStore final : public NotificationStore {
 public:
  explicit SqlNotificationStore(SqlSession& session) : session_(session) {}
  Result<std::int64_t> Insert(const NotificationRecord& record) override;
  Result<std::vector<Notification>> List(std::int64_t recipient_id, std::int64_t offset, int limit) override;
  Result<std::pair<std::int64_t, std::int64_t>> Counts(std::int64_t recipient_id) override;
  Result<Notification> Get(std::int64_t recipient_id, std::int64_t id) override;
  Status MarkRead(std::int64_t recipient_id, std::int64_t id) override;
  Result<std::int64_t> MarkAllRead(std::int64_t recipient_id) override;
  Status Delete(std::int64_t recipient_id, std::int64_t id) override;
  Result<std::int64_t> DeleteAll(std::int64_t recipient_id) override;
  Result<bool> UpsertFcmToken(std::int64_t user_id, std::string_view token, std::string_view device_id,
                              Timestamp now) override;
  Result<std::vector<std::string>> FcmTokens(std::int64_t user_id) override;
  Result<bool> DeleteFcmToken(std::string_view token) override;

 private:
  SqlSession& session_;
};

}  // namespace clash::internal
