// The counted submission of each player and the ranking of a match.
#include <algorithm>

#include "matches/matches_internal.h"

namespace clash::matches_internal {

std::optional<MatchSubmissionRecord> BestOf(MatchMode mode, const std::vector<MatchSubmissionRecord>& subs,
                                            std::int64_t user_id) {
  std::vector<const MatchSubmissionRecord*> own;
  for (const MatchSubmissionRecord& s : subs) {
    if (s.user_id == user_id) own.push_back(&s);
  }
  if (own.empty()) return std::nullopt;
  std::vector<RankInput> inputs;
  for (const MatchSubmissionRecord* s : own) inputs.push_back(ToRankInput(*s));
  const std::vector<int> ranks = RankPlayers(mode, inputs);
  std::size_t best = 0;  // the first (earliest id) of rank 1
  for (std::size_t i = 0; i < ranks.size(); ++i) {
    if (ranks[i] < ranks[best]) best = i;
  }
  return *own[best];
}

std::vector<PlayerResult> ComputeResults(const MatchRecord& match, const std::vector<MatchPlayerRecord>& members,
                                         const std::vector<MatchSubmissionRecord>& subs) {
  std::vector<PlayerResult> out;
  std::vector<RankInput> inputs;
  for (const MatchPlayerRecord& m : members) {
    if (m.spectator) continue;
    PlayerResult r{.user_id = m.user_id, .username = m.username, .xp = m.xp};
    RankInput in;
    if (std::optional<MatchSubmissionRecord> best = BestOf(match.mode, subs, m.user_id)) {
      in = ToRankInput(*best);
      r.tests_passed = best->tests_passed;
      r.tests_total = best->tests_total;
      r.chars = best->chars;
      r.elapsed_ms = best->elapsed_ms;
      r.score = best->tests_total > 0 ? best->tests_passed * 100 / best->tests_total : 0;
      r.code = best->code;
      r.language = best->language;
    }
    inputs.push_back(in);
    out.push_back(std::move(r));
  }
  const std::vector<int> ranks = RankPlayers(match.mode, inputs);
  for (std::size_t i = 0; i < out.size(); ++i) out[i].rank = ranks[i];
  std::stable_sort(out.begin(), out.end(), [](const PlayerResult& a, const PlayerResult& b) { return a.rank < b.rank; });
  return out;
}

json PlayerJson(const MatchPlayerRecord& p) {
  return json{{"user_id", p.user_id}, {"username", p.username}, {"spectator", p.spectator}};
}

}  // namespace clash::matches_internal
