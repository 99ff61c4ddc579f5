// Matches: what callers read (a match, its events and results, lists, the leaderboard) and the
// matchmaking queue.
#include <algorithm>
#include <cmath>

#include "matches/matches_internal.h"

namespace clash {

using matches_internal::FindMember;
using matches_internal::json;
using matches_internal::LockMatch;
using matches_internal::Millis;
using matches_internal::Plus;

namespace {

Status CheckLimit(int limit) {
  if (limit < 1 || limit > 100) return Status::InvalidArgument("limit must be 1-100");
  return Status::Ok();
}

bool Started(MatchState s) { return s == MatchState::kRunning || s == MatchState::kFinished; }

}  // namespace

Result<MatchResult> Matches::BuildResult(StorageTransaction& tx, const MatchRecord& match, std::int64_t viewer_id) {
  if (match.state != MatchState::kFinished) return Status::FailedPrecondition("the match has not finished");
  CLASH_ASSIGN_OR_RETURN(std::vector<MatchPlayerRecord> members, tx.matches().ListPlayers(match.id));
  CLASH_ASSIGN_OR_RETURN(std::vector<MatchSubmissionRecord> subs, tx.matches().ListSubmissions(match.id));
  MatchResult result{.match_id = match.id, .mode = match.mode,
                     .players = matches_internal::ComputeResults(match, members, subs)};
  const MatchPlayerRecord* viewer = FindMember(members, viewer_id);
  const bool viewer_played = viewer != nullptr && !viewer->spectator;
  for (PlayerResult& r : result.players) {
    const MatchPlayerRecord* p = FindMember(members, r.user_id);
    // The stored rank is the one the XP was awarded for.
    if (p != nullptr && p->rank > 0) r.rank = p->rank;
    const bool revealed = r.user_id == viewer_id || (viewer_played && p != nullptr && p->reveal_code);
    if (!revealed) {
      r.code.reset();
      r.language.reset();
    }
  }
  std::stable_sort(result.players.begin(), result.players.end(),
                   [](const PlayerResult& a, const PlayerResult& b) { return a.rank < b.rank; });
  return result;
}

Result<MatchView> Matches::BuildView(StorageTransaction& tx, const MatchRecord& match, std::int64_t viewer_id) {
  MatchView v;
  v.match = match;
  const Puzzle* puzzle = FindPuzzle(match.puzzle_slug);
  if (puzzle != nullptr) v.puzzle_title = puzzle->title;
  CLASH_ASSIGN_OR_RETURN(v.players, tx.matches().ListPlayers(match.id));
  if (FindMember(v.players, viewer_id) == nullptr) v.match.join_code.clear();
  if (Started(match.state) && puzzle != nullptr) {
    if (match.mode != MatchMode::kReverse) v.statement = puzzle->statement;
    v.sample_cases = puzzle->public_cases;
    CLASH_ASSIGN_OR_RETURN(std::vector<MatchSubmissionRecord> subs, tx.matches().ListSubmissions(match.id));
    for (const MatchPlayerRecord& p : v.players) {
      if (p.spectator) continue;
      PlayerProgress pr{.user_id = p.user_id};
      for (const MatchSubmissionRecord& s : subs) {
        if (s.user_id != p.user_id) continue;
        ++pr.submissions;
        pr.best_passed = std::max(pr.best_passed, s.tests_passed);
        pr.tests_total = s.tests_total;
      }
      v.progress.push_back(pr);
    }
  }
  if (match.state == MatchState::kFinished) {
    CLASH_ASSIGN_OR_RETURN(MatchResult r, BuildResult(tx, match, viewer_id));
    v.result = std::move(r);
  }
  return v;
}

Result<MatchView> Matches::Get(std::string_view match_id, std::int64_t viewer_id) {
  MatchView v;
  MATCHES_RETURN_IF_ERROR(storage_.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(std::optional<MatchRecord> m, tx.matches().GetMatch(match_id, false));
    if (!m) return matches_internal::MatchNotFound();
    CLASH_ASSIGN_OR_RETURN(v, BuildView(tx, *m, viewer_id));
    return Status::Ok();
  }));
  return v;
}

Result<std::vector<MatchEventRecord>> Matches::EventsSince(std::string_view match_id, std::int64_t after_seq) {
  std::vector<MatchEventRecord> out;
  MATCHES_RETURN_IF_ERROR(storage_.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(std::optional<MatchRecord> m, tx.matches().GetMatch(match_id, false));
    if (!m) return matches_internal::MatchNotFound();
    CLASH_ASSIGN_OR_RETURN(out, tx.matches().ListEvents(match_id, after_seq));
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<MatchView>> Matches::ListOpen(std::optional<MatchMode> mode, int limit) {
  CLASH_RETURN_IF_ERROR(CheckLimit(limit));
  std::vector<MatchView> out;
  MATCHES_RETURN_IF_ERROR(storage_.Read([&](StorageTransaction& tx) -> Status {
    out.clear();
    CLASH_ASSIGN_OR_RETURN(std::vector<MatchRecord> open, tx.matches().ListOpen(mode, limit));
    for (const MatchRecord& m : open) {
      CLASH_ASSIGN_OR_RETURN(MatchView v, BuildView(tx, m, 0));
      out.push_back(std::move(v));
    }
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<MatchView>> Matches::History(std::int64_t user_id, int limit) {
  CLASH_RETURN_IF_ERROR(CheckLimit(limit));
  std::vector<MatchView> out;
  MATCHES_RETURN_IF_ERROR(storage_.Read([&](StorageTransaction& tx) -> Status {
    out.clear();
    CLASH_ASSIGN_OR_RETURN(std::vector<MatchRecord> done, tx.matches().History(user_id, limit));
    for (const MatchRecord& m : done) {
      CLASH_ASSIGN_OR_RETURN(MatchView v, BuildView(tx, m, user_id));
      out.push_back(std::move(v));
    }
    return Status::Ok();
  }));
  return out;
}

Result<MatchResult> Matches::Results(std::string_view match_id, std::int64_t viewer_id) {
  MatchResult out;
  MATCHES_RETURN_IF_ERROR(storage_.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(std::optional<MatchRecord> m, tx.matches().GetMatch(match_id, false));
    if (!m) return matches_internal::MatchNotFound();
    CLASH_ASSIGN_OR_RETURN(out, BuildResult(tx, *m, viewer_id));
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<MatchLeaderboardEntry>> Matches::Leaderboard(MatchMode mode, int limit) {
  CLASH_RETURN_IF_ERROR(CheckLimit(limit));
  std::vector<MatchLeaderboardEntry> out;
  MATCHES_RETURN_IF_ERROR(storage_.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(out, tx.matches().Leaderboard(mode, limit));
    return Status::Ok();
  }));
  return out;
}

Result<std::optional<std::string>> Matches::CurrentMatch(std::int64_t user_id) {
  std::optional<std::string> out;
  MATCHES_RETURN_IF_ERROR(storage_.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(out, tx.matches().ActiveMatch(user_id));
    return Status::Ok();
  }));
  return out;
}

Result<double> Matches::Rating(std::int64_t user_id, MatchMode mode) {
  std::optional<double> r;
  MATCHES_RETURN_IF_ERROR(storage_.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(r, tx.matches().GetRating(user_id, mode));
    return Status::Ok();
  }));
  return r.value_or(options_.default_rating);
}

Status Matches::SetRating(std::int64_t user_id, MatchMode mode, double rating) {
  if (!std::isfinite(rating)) return Status::InvalidArgument("rating must be a finite number");
  Status s = storage_.Transact([&](StorageTransaction& tx) { return tx.matches().PutRating(user_id, mode, rating); });
  if (s.code() == StatusCode::kFailedPrecondition) return Status::NotFound("unknown user");
  return s;
}

// ---------------------------------------------------------------------------------------------
// Matchmaking

Status Matches::Enqueue(std::int64_t user_id, MatchMode mode) {
  const Timestamp now = clock_.Now();
  Status s = storage_.Transact([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(std::optional<std::string> active, tx.matches().ActiveMatch(user_id));
    if (active) return Status::AlreadyExists("already in a match: leave it first");
    CLASH_ASSIGN_OR_RETURN(std::optional<QueueEntry> old, tx.matches().GetQueueEntry(user_id));
    CLASH_ASSIGN_OR_RETURN(std::optional<double> rating, tx.matches().GetRating(user_id, mode));
    QueueEntry e{.user_id = user_id, .mode = mode, .rating = rating.value_or(options_.default_rating),
                 .queued_at = old && old->mode == mode ? old->queued_at : now};
    return tx.matches().PutQueueEntry(e);
  });
  if (s.code() == StatusCode::kFailedPrecondition) return Status::NotFound("unknown user");
  return s;
}

Status Matches::Dequeue(std::int64_t user_id) {
  bool removed = false;
  MATCHES_RETURN_IF_ERROR(storage_.Transact([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(removed, tx.matches().DeleteQueueEntry(user_id));
    return Status::Ok();
  }));
  if (!removed) return Status::FailedPrecondition("not queued");
  return Status::Ok();
}

Result<QueueStatus> Matches::Queue(std::int64_t user_id) {
  QueueStatus out;
  MATCHES_RETURN_IF_ERROR(storage_.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(std::optional<QueueEntry> e, tx.matches().GetQueueEntry(user_id));
    if (e) {
      out.queued = true;
      out.mode = e->mode;
      out.rating = e->rating;
    }
    CLASH_ASSIGN_OR_RETURN(out.match_id, tx.matches().ActiveMatch(user_id));
    return Status::Ok();
  }));
  return out;
}

Result<int> Matches::FormQueuedMatches(Timestamp now) {
  if (puzzles_.empty()) return 0;
  int formed = 0;
  for (MatchMode mode : {MatchMode::kFastest, MatchMode::kShortest, MatchMode::kReverse}) {
    std::vector<QueueEntry> queue;
    MATCHES_RETURN_IF_ERROR(storage_.Read([&](StorageTransaction& tx) -> Status {
      CLASH_ASSIGN_OR_RETURN(queue, tx.matches().ListQueue(mode));
      return Status::Ok();
    }));
    auto band = [&](const QueueEntry& e) {
      const auto waited = std::chrono::microseconds(now.unix_micros() - e.queued_at.unix_micros());
      const auto steps = std::max<std::int64_t>(0, waited / options_.band_step);
      return std::min(options_.band_max, options_.band + options_.band_growth * static_cast<double>(steps));
    };
    std::vector<bool> taken(queue.size(), false);
    for (std::size_t a = 0; a < queue.size(); ++a) {
      if (taken[a]) continue;
      std::vector<std::size_t> group = {a};
      for (std::size_t b = a + 1; b < queue.size() && static_cast<int>(group.size()) < options_.queue_target; ++b) {
        if (taken[b]) continue;
        const double gap = std::fabs(queue[a].rating - queue[b].rating);
        if (gap <= std::min(band(queue[a]), band(queue[b]))) group.push_back(b);
      }
      const auto waited = std::chrono::microseconds(now.unix_micros() - queue[a].queued_at.unix_micros());
      const bool full = static_cast<int>(group.size()) >= options_.queue_target;
      if (!full && (group.size() < 2 || waited < options_.queue_fill_wait)) continue;
      std::vector<const Puzzle*> suitable;
      for (const Puzzle& p : puzzles_) {
        if (std::find(p.modes.begin(), p.modes.end(), mode) != p.modes.end()) suitable.push_back(&p);
      }
      if (suitable.empty()) break;
      const Puzzle* puzzle = suitable[rng_.Uniform(0, suitable.size() - 1)];
      const std::string id = rng_.HexToken(16);
      bool created = false;
      MATCHES_RETURN_IF_ERROR(storage_.Transact([&](StorageTransaction& tx) -> Status {
        created = false;
        std::vector<std::int64_t> users;
        for (std::size_t i : group) {
          CLASH_ASSIGN_OR_RETURN(std::optional<QueueEntry> still, tx.matches().GetQueueEntry(queue[i].user_id));
          CLASH_ASSIGN_OR_RETURN(std::optional<std::string> active, tx.matches().ActiveMatch(queue[i].user_id));
          if (still && still->mode == mode && !active) users.push_back(queue[i].user_id);
        }
        if (users.size() < 2) return Status::Ok();  // the queue changed meanwhile; next tick
        MatchRecord m{.id = id, .mode = mode, .puzzle_slug = puzzle->slug, .host_id = users[0], .is_public = false,
                      .state = MatchState::kCountdown,
                      .time_limit_seconds = options_.queue_time_limit_minutes * 60,
                      .max_players = std::max(2, options_.queue_target), .created_at = now,
                      .countdown_ends_at = Plus(now, options_.countdown)};
        std::vector<MatchEventRecord> events;
        CLASH_RETURN_IF_ERROR(tx.matches().InsertMatch(m));
        for (std::int64_t u : users) {
          CLASH_RETURN_IF_ERROR(matches_internal::StatusOf(tx.matches().DeleteQueueEntry(u)));
          CLASH_RETURN_IF_ERROR(tx.matches().ClaimActive(u, m.id));
          CLASH_RETURN_IF_ERROR(
              tx.matches().PutPlayer(MatchPlayerRecord{.match_id = m.id, .user_id = u, .ready = true, .joined_at = now}));
        }
        CLASH_ASSIGN_OR_RETURN(std::vector<MatchPlayerRecord> members, tx.matches().ListPlayers(m.id));
        for (const MatchPlayerRecord& p : members) {
          CLASH_RETURN_IF_ERROR(Append(tx, m, "joined", matches_internal::PlayerJson(p).dump(), now, events));
        }
        CLASH_RETURN_IF_ERROR(Append(tx, m, "countdown",
                                     json{{"starts_at", Millis(*m.countdown_ends_at)},
                                          {"seconds", options_.countdown.count()}}
                                         .dump(),
                                     now, events));
        CLASH_RETURN_IF_ERROR(tx.matches().UpdateMatch(m));
        PublishAfterCommit(tx, events);
        created = true;
        return Status::Ok();
      }));
      if (!created) continue;
      ++formed;
      for (std::size_t i : group) taken[i] = true;
    }
  }
  return formed;
}

}  // namespace clash
