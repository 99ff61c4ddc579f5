// Internal: LevelStore on the shared SQL layer (table `levels`; format-2 columns from migration 6).
#pragma once

#include "clash/storage.h"
#include "storage/sql/sql_session.h"

namespace clash::internal {

class SqlLevelStore final : public LevelStore {
 public:
  explicit SqlLevelStore(SqlSession& session) : session_(session) {}
  Result<std::int64_t> Upsert(const Level& level) override;
  Result<std::vector<Level>> List(bool with_secrets) override;
  Result<std::vector<Level>> ListGlobal() override;
  Result<std::vector<Level>> ListFor(std::int64_t user_id) override;
  Result<std::vector<std::int64_t>> PersonalOwners() override;
  Result<Level> Get(std::string_view slug, bool with_secrets) override;
  Status Remove(std::string_view slug) override;

 private:
  Result<std::vector<Level>> Select(const std::string& where, const std::vector<SqlValue>& params,
                                    bool with_secrets);
  SqlSession& session_;
};

}  // namespace clash::internal
