// clash/stores/match_store.h — storage of matches (used by clash::Matches): the match rows, their
// members, submissions and event log, who is in which match, the matchmaking queue and ratings.
//
// For backend authors: implement this interface (reached through StorageTransaction, clash/storage.h)
// to add a storage backend; application code never calls it directly. The contract suite
// (tests/storage/match_store_test.cpp) checks it on every backend.
//
// Thread-safety: a store belongs to the thread running its transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clash/clock.h"
#include "clash/export.h"
#include "clash/matches.h"
#include "clash/status.h"

namespace clash {

struct QueueEntry {
  std::int64_t user_id = 0;
  MatchMode mode = MatchMode::kFastest;
  double rating = 0;
  Timestamp queued_at;
  bool operator==(const QueueEntry&) const = default;
};

class CLASH_EXPORT MatchStore {
 public:
  virtual ~MatchStore() = default;

  // Inserts `match`. AlreadyExists if the id or join code is taken; FailedPrecondition for an
  // unknown host.
  virtual Status InsertMatch(const MatchRecord& match) = 0;
  // The match, or nullopt. `lock`: the row stays locked until the transaction ends (PostgreSQL
  // FOR UPDATE; SQLite's writer lock already serialises), so read-check-write is safe.
  virtual Result<std::optional<MatchRecord>> GetMatch(std::string_view id, bool lock) = 0;
  // The match with this join code (any state), or nullopt.
  virtual Result<std::optional<std::string>> FindByCode(std::string_view join_code) = 0;
  // Writes every field of the match with `match.id` except created_at. NotFound if unknown.
  virtual Status UpdateMatch(const MatchRecord& match) = 0;
  // Public lobbies, newest first (of `mode` if set), at most `limit`.
  virtual Result<std::vector<MatchRecord>> ListOpen(std::optional<MatchMode> mode, int limit) = 0;
  // Ids of matches with a timer due at `now`: countdown with countdown_ends_at <= now, running
  // with ends_at <= now. At most `limit`, oldest first.
  virtual Result<std::vector<std::string>> ListDue(Timestamp now, int limit) = 0;
  // Finished matches the user played in (not as a spectator), newest first.
  virtual Result<std::vector<MatchRecord>> History(std::int64_t user_id, int limit) = 0;

  // Inserts or replaces the member (match_id, user_id); `username` is ignored. FailedPrecondition
  // for an unknown match or user.
  virtual Status PutPlayer(const MatchPlayerRecord& player) = 0;
  // Removes the member; false if they were not one.
  virtual Result<bool> DeletePlayer(std::string_view match_id, std::int64_t user_id) = 0;
  // Members with their usernames, by joined_at then user id.
  virtual Result<std::vector<MatchPlayerRecord>> ListPlayers(std::string_view match_id) = 0;

  // Records that the user is in `match_id` now. AlreadyExists if they are in any match already
  // (the same one included): one user, one match at a time, enforced by a unique key.
  virtual Status ClaimActive(std::int64_t user_id, std::string_view match_id) = 0;
  // Forgets the user's active match if it is `match_id`; false if it was not.
  virtual Result<bool> ReleaseActive(std::int64_t user_id, std::string_view match_id) = 0;
  // Forgets every active member of `match_id`; returns how many.
  virtual Result<int> ReleaseAllActive(std::string_view match_id) = 0;
  // The match the user is in, or nullopt.
  virtual Result<std::optional<std::string>> ActiveMatch(std::int64_t user_id) = 0;

  // Inserts the submission and returns its id.
  virtual Result<std::int64_t> InsertSubmission(const MatchSubmissionRecord& submission) = 0;
  // Every submission of the match, oldest first (by id).
  virtual Result<std::vector<MatchSubmissionRecord>> ListSubmissions(std::string_view match_id) = 0;

  // Inserts the event (its seq must be new for the match: AlreadyExists otherwise).
  virtual Status InsertEvent(const MatchEventRecord& event) = 0;
  // Events with seq > after_seq, by seq.
  virtual Result<std::vector<MatchEventRecord>> ListEvents(std::string_view match_id, std::int64_t after_seq) = 0;

  // The rating, or nullopt without one.
  virtual Result<std::optional<double>> GetRating(std::int64_t user_id, MatchMode mode) = 0;
  virtual Status PutRating(std::int64_t user_id, MatchMode mode, double rating) = 0;
  // By rating, highest first, with finished matches played and won (rank 1) in that mode.
  virtual Result<std::vector<MatchLeaderboardEntry>> Leaderboard(MatchMode mode, int limit) = 0;

  // Queues the user (replacing an earlier entry). FailedPrecondition for an unknown user.
  virtual Status PutQueueEntry(const QueueEntry& entry) = 0;
  virtual Result<bool> DeleteQueueEntry(std::int64_t user_id) = 0;
  virtual Result<std::optional<QueueEntry>> GetQueueEntry(std::int64_t user_id) = 0;
  // Everyone queued for `mode`, oldest first.
  virtual Result<std::vector<QueueEntry>> ListQueue(MatchMode mode) = 0;
};

}  // namespace clash
