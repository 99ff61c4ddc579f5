// The leaderboard: computed from storage and cached per process, keyed on the version of what it
// depends on (the newest ledger entry and the newest first completion), which every request checks:
// an XP change on any host makes the next request on every host recompute it.
#include "campaign/campaign_internal.h"

namespace clash {
namespace {

constexpr int kBoardSize = 100;

}  // namespace

Result<std::shared_ptr<const std::vector<LeaderboardEntry>>> Campaign::Leaderboard() {
  LeaderboardVersion version;
  CLASH_RETURN_IF_ERROR(deps_.storage.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(version, tx.campaign().LeaderboardVersionNow());
    return Status::Ok();
  }));
  {
    std::lock_guard lock(impl_->board_mu);
    if (impl_->board && impl_->board_version == version) return impl_->board;
  }
  // One recomputation at a time; callers that waited find the fresh board.
  std::lock_guard compute(impl_->board_compute_mu);
  {
    std::lock_guard lock(impl_->board_mu);
    if (impl_->board && impl_->board_version == version) return impl_->board;
  }
  std::vector<LeaderboardRow> rows;
  LeaderboardVersion computed_at;
  CLASH_RETURN_IF_ERROR(deps_.storage.Read([&](StorageTransaction& tx) -> Status {
    // Read the version in the same snapshot as the rows, so the cache key matches what it holds.
    CLASH_ASSIGN_OR_RETURN(computed_at, tx.campaign().LeaderboardVersionNow());
    CLASH_ASSIGN_OR_RETURN(rows, tx.campaign().Leaderboard(kBoardSize));
    return Status::Ok();
  }));
  auto board = std::make_shared<std::vector<LeaderboardEntry>>();
  board->reserve(rows.size());
  int rank = 0;
  for (LeaderboardRow& row : rows) board->push_back(LeaderboardEntry{.rank = ++rank, .player = std::move(row)});
  std::lock_guard lock(impl_->board_mu);
  impl_->board = board;
  impl_->board_version = computed_at;
  return std::shared_ptr<const std::vector<LeaderboardEntry>>(board);
}

}  // namespace clash
