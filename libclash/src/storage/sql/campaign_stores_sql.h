// Internal: the campaign's stores on the shared SQL layer (migration 6: level_progress,
// level_completions, certificates, tasks; the leaderboard reads wallets and users too).
//
// Exactly-once rests on single conditional statements (INSERT ... ON CONFLICT DO NOTHING RETURNING,
// UPDATE ... WHERE <condition>) and on the progress row lock (FOR UPDATE on PostgreSQL; SQLite write
// transactions are exclusive). Error codes are those of clash/storage.h.
#pragma once

#include "clash/storage.h"
#include "storage/sql/sql_session.h"

namespace clash::internal {

class SqlCampaignStore final : public CampaignStore {
 public:
  explicit SqlCampaignStore(SqlSession& session) : session_(session) {}
  Result<std::vector<ProgressRecord>> ListProgress(std::int64_t user_id) override;
  Result<std::optional<ProgressRecord>> GetProgress(std::int64_t user_id, std::int64_t level_id) override;
  Result<ProgressRecord> StartAndLock(std::int64_t user_id, std::int64_t level_id, Timestamp now) override;
  Result<bool> SetHintsPurchased(std::int64_t user_id, std::int64_t level_id, int from, int to) override;
  Result<bool> Complete(std::int64_t user_id, std::int64_t level_id, int stars, Timestamp now) override;
  Result<std::vector<Timestamp>> CompletionTimes(std::int64_t user_id, Timestamp since) override;
  Result<bool> InsertCertificate(const Certificate& certificate) override;
  Result<std::optional<Certificate>> CertificateOf(std::int64_t user_id) override;
  Result<std::optional<Certificate>> GetCertificate(std::string_view id) override;
  Result<LeaderboardVersion> LeaderboardVersionNow() override;
  Result<std::vector<LeaderboardRow>> Leaderboard(int limit) override;

 private:
  Result<std::optional<ProgressRecord>> SelectProgress(std::int64_t user_id, std::int64_t level_id, bool lock);
  Result<std::optional<Certificate>> SelectCertificate(const char* where, const SqlValue& key);
  SqlSession& session_;
};

class SqlTaskStore final : public TaskStore {
 public:
  explicit SqlTaskStore(SqlSession& session) : session_(session) {}
  Status Insert(const TaskRecord& task) override;
  Result<std::optional<TaskRecord>> Get(std::string_view id) override;
  Result<bool> Update(std::string_view id, TaskState state, std::string_view result_json, std::string_view error,
                      Timestamp now) override;
  Result<int> DeleteOlderThan(std::int64_t user_id, Timestamp before) override;

 private:
  SqlSession& session_;
};

}  // namespace clash::internal
