// Internal: LevelStore on the shared SQL layer (table `levels`).
#pragma once

#include "clash/storage.h"
#include "storage/sql/sql_session.h"

namespace clash::internal {

class SqlLevelStore final : public LevelStore {
 public:
  explicit SqlLevelStore(SqlSession& session) : session_(session) {}
  Result<std::int64_t> Upsert(const Level& level) override;
  Result<std::vector<Level>> List(bool with_secrets) override;
  Result<Level> Get(std::string_view slug, bool with_secrets) override;
  Status Remove(std::string_view slug) override;

 private:
  SqlSession& session_;
};

}  // namespace clash::internal
