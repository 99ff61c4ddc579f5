// Names of the match enums and the ranking rules of the three modes (pure; also used by storage).
#include <algorithm>
#include <numeric>
#include <tuple>

#include "clash/matches.h"
#include "common/name_table.h"

namespace clash {
namespace {

constexpr internal::NameTable<MatchMode, 3> kModes{{{
    {MatchMode::kFastest, "fastest"},
    {MatchMode::kShortest, "shortest"},
    {MatchMode::kReverse, "reverse"},
}}};

constexpr internal::NameTable<MatchState, 5> kStates{{{
    {MatchState::kLobby, "lobby"},
    {MatchState::kCountdown, "countdown"},
    {MatchState::kRunning, "running"},
    {MatchState::kFinished, "finished"},
    {MatchState::kCancelled, "cancelled"},
}}};

bool FullPass(const RankInput& p) { return p.elapsed_ms && p.tests_total > 0 && p.tests_passed == p.tests_total; }

// A key that sorts better players first; equal keys are ties.
std::tuple<int, int, int, std::int64_t> Key(MatchMode mode, const RankInput& p) {
  if (!p.elapsed_ms) return {1, 0, 0, 0};  // no submission: last, all tied
  const std::int64_t time = *p.elapsed_ms;
  if (mode == MatchMode::kShortest && FullPass(p)) return {-1, 0, p.chars, time};
  return {0, -p.tests_passed, 0, time};
}

}  // namespace

std::string_view MatchModeName(MatchMode mode) { return kModes.Name(mode, "fastest"); }
Result<MatchMode> ParseMatchMode(std::string_view name) { return kModes.Parse(name, "unknown match mode: "); }
std::string_view MatchStateName(MatchState state) { return kStates.Name(state, "lobby"); }
Result<MatchState> ParseMatchState(std::string_view name) { return kStates.Parse(name, "unknown match state: "); }

std::vector<int> RankPlayers(MatchMode mode, const std::vector<RankInput>& players) {
  std::vector<std::size_t> order(players.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return Key(mode, players[a]) < Key(mode, players[b]); });
  std::vector<int> ranks(players.size(), 0);
  for (std::size_t i = 0; i < order.size(); ++i) {
    const bool tie = i > 0 && Key(mode, players[order[i]]) == Key(mode, players[order[i - 1]]);
    ranks[order[i]] = tie ? ranks[order[i - 1]] : static_cast<int>(i) + 1;
  }
  return ranks;
}

}  // namespace clash
