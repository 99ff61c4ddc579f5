// Internal to matches/: shared helpers of the lobby, play and view code.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "clash/matches.h"
#include "clash/storage.h"

namespace clash::matches_internal {

using nlohmann::json;

inline std::int64_t Millis(Timestamp t) { return t.unix_micros() / 1000; }
inline Timestamp Plus(Timestamp t, std::chrono::microseconds d) {
  return Timestamp::FromUnixMicros(t.unix_micros() + d.count());
}

// The status of a result, by value (CLASH_RETURN_IF_ERROR binds a reference: not to a temporary's
// member).
template <typename T>
Status StatusOf(const Result<T>& r) {
  return r.status();
}

// CLASH_RETURN_IF_ERROR for a Transact/Read whose function uses it too (no shadowed local).
#define MATCHES_RETURN_IF_ERROR(expr)                 \
  do {                                                \
    ::clash::Status matches_status_ = (expr);         \
    if (!matches_status_.ok()) return matches_status_; \
  } while (0)

inline Status MatchNotFound() { return Status::NotFound("Match not found"); }

// The locked match, or NotFound.
inline Result<MatchRecord> LockMatch(StorageTransaction& tx, std::string_view id) {
  CLASH_ASSIGN_OR_RETURN(std::optional<MatchRecord> m, tx.matches().GetMatch(id, /*lock=*/true));
  if (!m) return MatchNotFound();
  return *std::move(m);
}

inline const MatchPlayerRecord* FindMember(const std::vector<MatchPlayerRecord>& members, std::int64_t user_id) {
  for (const MatchPlayerRecord& m : members) {
    if (m.user_id == user_id) return &m;
  }
  return nullptr;
}

inline int CountPlayers(const std::vector<MatchPlayerRecord>& members) {
  int n = 0;
  for (const MatchPlayerRecord& m : members) n += m.spectator ? 0 : 1;
  return n;
}

inline RankInput ToRankInput(const MatchSubmissionRecord& s) {
  return RankInput{.tests_passed = s.tests_passed, .tests_total = s.tests_total, .chars = s.chars,
                   .elapsed_ms = s.elapsed_ms};
}

// The counted submission of each user among `subs` (the best under the mode; ties: the earlier).
std::optional<MatchSubmissionRecord> BestOf(MatchMode mode, const std::vector<MatchSubmissionRecord>& subs,
                                            std::int64_t user_id);

// The ranks and per-player results of a match from its members and submissions (players only,
// sorted by rank). Code and language are filled in; the caller redacts them.
std::vector<PlayerResult> ComputeResults(const MatchRecord& match, const std::vector<MatchPlayerRecord>& members,
                                         const std::vector<MatchSubmissionRecord>& subs);

json PlayerJson(const MatchPlayerRecord& p);

}  // namespace clash::matches_internal
