#include "routes/docs/route_docs.h"

namespace clash::host::docs {
namespace {

constexpr const char* kMatch = "@Match";
constexpr const char* kDone = "{ok: boolean}";

}  // namespace

void AddMatchDocs(std::vector<RouteDoc>& out) {
  const std::vector<RouteDoc> docs = {
      {"POST", "/api/matches/", "matches", "user", "Create a lobby (the caller hosts it)",
       "{mode?: string, puzzle?: string, is_public?: boolean, time_limit_minutes?: integer, max_players?: integer}",
       kMatch, 201},
      {"GET", "/api/matches/", "matches", "optional", "Open public lobbies, newest first", "", "[@Match]", 200,
       "{mode?: string, limit?: integer}"},
      {"GET", "/api/matches/{id}/", "matches", "optional", "One match as the caller may see it", "", kMatch},
      {"POST", "/api/matches/{id}/join/", "matches", "user", "Join a public lobby (as a player or a spectator)",
       "{spectator?: boolean, join_code?: string}", kMatch},
      {"POST", "/api/matches/join-by-code/", "matches", "user", "Join a private lobby by its code",
       "{join_code: string}", kMatch},
      {"POST", "/api/matches/{id}/leave/", "matches", "user", "Leave a lobby or a running match", "", kDone},
      {"POST", "/api/matches/{id}/ready/", "matches", "user", "Mark the caller ready (or not)", "{ready?: boolean}",
       kDone},
      {"POST", "/api/matches/{id}/reveal/", "matches", "user", "Allow (or not) the others to see the caller's code",
       "{reveal_code?: boolean}", kDone},
      {"POST", "/api/matches/{id}/kick/", "matches", "user", "The host removes a player from the lobby",
       "{user_id: integer}", kDone},
      {"POST", "/api/matches/{id}/start/", "matches", "user", "The host starts the countdown", "", kDone},
      {"POST", "/api/matches/{id}/submit/", "matches", "user", "Submit code (judged at once; the best counts)",
       "{language: string, code: string}",
       "{submission_id: integer, verdict: string, message: string, tests_passed: integer, tests_total: integer, "
       "chars: integer, elapsed_ms: integer, best: boolean}"},
      {"GET", "/api/matches/{id}/events/", "matches", "optional", "The match's event log after a sequence number",
       "", "[{type: string, seq: integer, match_id: string, at: integer, data: any}]", 200, "{after?: integer}"},
      {"GET", "/api/matches/{id}/results/", "matches", "optional", "Ranks, scores and XP of a finished match", "",
       "@MatchResult"},
      {"GET", "/api/matches/history/", "matches", "user", "The caller's matches, newest first", "", "[@Match]", 200,
       "{limit?: integer}"},
      {"GET", "/api/matches/current/", "matches", "user", "The caller's unfinished match, if any", "",
       "{match_id: string|null}"},
      {"GET", "/api/matches/leaderboard/{mode}/", "matches", "optional", "Ratings of one mode, best first", "",
       "[{user_id: integer, username: string, rating: number, played: integer, wins: integer}]", 200,
       "{limit?: integer}"},
      {"POST", "/api/matches/queue/", "matches", "user", "Join the matchmaking queue of a mode", "{mode: string}",
       kDone},
      {"DELETE", "/api/matches/queue/", "matches", "user", "Leave the matchmaking queue", "", kDone},
      {"GET", "/api/matches/queue/", "matches", "user", "The caller's place in the queue", "",
       "{queued: boolean, mode: string|null, rating: number|null, match_id: string|null}"},
  };
  out.insert(out.end(), docs.begin(), docs.end());
}

}  // namespace clash::host::docs
