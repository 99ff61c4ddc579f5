// Internal: JudgeJobStore on the shared SQL layer (table `judge_jobs`, migration 3).
#pragma once

#include "clash/storage.h"
#include "storage/sql/sql_session.h"

namespace clash::internal {

class SqlJudgeJobStore final : public JudgeJobStore {
 public:
  explicit SqlJudgeJobStore(SqlSession& session) : session_(session) {}
  Result<std::int64_t> Insert(std::string_view request_json, Timestamp now) override;
  Result<std::int64_t> CountUnfinished() override;
  Result<std::optional<JudgeJobRecord>> LockNextClaimable(Timestamp now) override;
  Status MarkRunning(std::int64_t id, std::string_view worker, Timestamp lease_until, Timestamp now) override;
  Status Complete(std::int64_t id, std::string_view worker, std::string_view result_json, Timestamp now) override;
  Status MarkDone(std::int64_t id, std::string_view result_json, Timestamp now) override;
  Result<std::optional<std::string>> LoadResult(std::int64_t id) override;

 private:
  SqlSession& session_;
};

}  // namespace clash::internal
