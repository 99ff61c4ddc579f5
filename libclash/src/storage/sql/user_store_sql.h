// Internal: UserStore on the shared SQL layer (tables `users`, `user_identities`).
#pragma once

#include "clash/storage.h"
#include "storage/sql/sql_session.h"

namespace clash::internal {

class SqlUserStore final : public UserStore {
 public:
  explicit SqlUserStore(SqlSession& session) : session_(session) {}
  Result<User> Create(const NewUser& user) override;
  Result<User> GetById(std::int64_t id) override;
  Result<std::pair<User, bool>> GetWithLoginState(std::int64_t id, std::string_view family) override;
  Result<User> GetByEmail(std::string_view email) override;
  Result<User> GetByUsername(std::string_view username) override;
  Result<std::string> PasswordHash(std::int64_t id) override;
  Status Update(const User& user) override;
  Status SetEquipped(std::int64_t user_id, ShopCategory category, std::optional<std::string> value) override;
  Status Delete(std::int64_t id) override;
  Result<std::int64_t> CountActiveSuperusers() override;
  Result<std::optional<std::int64_t>> FindIdentity(std::string_view provider, std::string_view provider_uid) override;
  Status LinkIdentity(std::int64_t user_id, std::string_view provider, std::string_view provider_uid,
                      Timestamp now) override;

 private:
  Result<User> GetWhere(const char* where, SqlValue value);
  SqlSession& session_;
};

}  // namespace clash::internal
