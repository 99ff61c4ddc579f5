// Internal: the StorageTransaction handed to TransactionFns by SqlStorage.
#pragma once

#include "clash/storage.h"
#include "storage/sql/level_store_sql.h"
#include "storage/sql/sql_session.h"

namespace clash::internal {

class SqlTransaction final : public StorageTransaction {
 public:
  explicit SqlTransaction(SqlSession& session) : levels_(session) {}
  LevelStore& levels() override { return levels_; }

 private:
  SqlLevelStore levels_;
};

}  // namespace clash::internal
