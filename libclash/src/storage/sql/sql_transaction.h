// Internal: the StorageTransaction handed to TransactionFns by SqlStorage.
#pragma once

#include "clash/storage.h"
#include "storage/sql/auth_stores_sql.h"
#include "storage/sql/judge_job_store_sql.h"
#include "storage/sql/level_store_sql.h"
#include "storage/sql/sql_session.h"
#include "storage/sql/user_store_sql.h"

namespace clash::internal {

class SqlTransaction final : public StorageTransaction {
 public:
  explicit SqlTransaction(SqlSession& session)
      : levels_(session), users_(session), otps_(session), sessions_(session), judge_jobs_(session) {}
  LevelStore& levels() override { return levels_; }
  UserStore& users() override { return users_; }
  OtpStore& otps() override { return otps_; }
  SessionStore& sessions() override { return sessions_; }
  JudgeJobStore& judge_jobs() override { return judge_jobs_; }

 private:
  SqlLevelStore levels_;
  SqlUserStore users_;
  SqlOtpStore otps_;
  SqlSessionStore sessions_;
  SqlJudgeJobStore judge_jobs_;
};

}  // namespace clash::internal
