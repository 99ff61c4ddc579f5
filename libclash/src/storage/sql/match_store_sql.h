// Internal: MatchStore on the shared SQL layer (tables matches, match_players, match_active,
// match_submissions, match_events, match_ratings, match_queue; migration 11).
#pragma once

#include "clash/storage.h"
#include "storage/sql/sql_session.h"

namespace clash::internal {

class SqlMatchStore final : public MatchStore {
 public:
  explicit SqlMatchStore(SqlSession& session) : session_(session) {}
  Status InsertMatch(const MatchRecord& match) override;
  Result<std::optional<MatchRecord>> GetMatch(std::string_view id, bool lock) override;
  Result<std::optional<std::string>> FindByCode(std::string_view join_code) override;
  Status UpdateMatch(const MatchRecord& match) override;
  Result<std::vector<MatchRecord>> ListOpen(std::optional<MatchMode> mode, int limit) override;
  Result<std::vector<std::string>> ListDue(Timestamp now, int limit) override;
  Result<std::vector<MatchRecord>> History(std::int64_t user_id, int limit) override;
  Status PutPlayer(const MatchPlayerRecord& player) override;
  Result<bool> DeletePlayer(std::string_view match_id, std::int64_t user_id) override;
  Result<std::vector<MatchPlayerRecord>> ListPlayers(std::string_view match_id) override;
  Status ClaimActive(std::int64_t user_id, std::string_view match_id) override;
  Result<bool> ReleaseActive(std::int64_t user_id, std::string_view match_id) override;
  Result<int> ReleaseAllActive(std::string_view match_id) override;
  Result<std::optional<std::string>> ActiveMatch(std::int64_t user_id) override;
  Result<std::int64_t> InsertSubmission(const MatchSubmissionRecord& submission) override;
  Result<std::vector<MatchSubmissionRecord>> ListSubmissions(std::string_view match_id) override;
  Status InsertEvent(const MatchEventRecord& event) override;
  Result<std::vector<MatchEventRecord>> ListEvents(std::string_view match_id, std::int64_t after_seq) override;
  Result<std::optional<double>> GetRating(std::int64_t user_id, MatchMode mode) override;
  Status PutRating(std::int64_t user_id, MatchMode mode, double rating) override;
  Result<std::vector<MatchLeaderboardEntry>> Leaderboard(MatchMode mode, int limit) override;
  Status PutQueueEntry(const QueueEntry& entry) override;
  Result<bool> DeleteQueueEntry(std::int64_t user_id) override;
  Result<std::optional<QueueEntry>> GetQueueEntry(std::int64_t user_id) override;
  Result<std::vector<QueueEntry>> ListQueue(MatchMode mode) override;

 private:
  SqlSession& session_;
};

}  // namespace clash::internal
