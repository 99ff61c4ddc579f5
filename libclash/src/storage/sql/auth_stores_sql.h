// Internal: OtpStore and SessionStore on the shared SQL layer (tables `otp_codes`, `otp_guards`,
// `refresh_tokens`).
#pragma once

#include "clash/storage.h"
#include "storage/sql/sql_session.h"

namespace clash::internal {

class SqlOtpStore final : public OtpStore {
 public:
  explicit SqlOtpStore(SqlSession& session) : session_(session) {}
  Result<OtpGuard> LockGuard(std::string_view email) override;
  Status SaveGuard(std::string_view email, const OtpGuard& guard) override;
  Status ReplaceCode(std::string_view email, std::string_view code_hash, Timestamp created_at,
                     Timestamp expires_at) override;
  Result<bool> ConsumeCode(std::string_view email, std::string_view code_hash, Timestamp now) override;

 private:
  SqlSession& session_;
};

class SqlSessionStore final : public SessionStore {
 public:
  explicit SqlSessionStore(SqlSession& session) : session_(session) {}
  Status Insert(const RefreshRecord& record) override;
  Result<RefreshRecord> Get(std::string_view jti) override;
  Result<bool> MarkRotated(std::string_view jti) override;
  Status RevokeFamily(std::string_view family) override;
  Result<bool> FamilyActive(std::string_view family) override;
  Status RevokeUser(std::int64_t user_id) override;

 private:
  SqlSession& session_;
};

}  // namespace clash::internal
