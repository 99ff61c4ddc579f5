// Matches: submissions, the server-side timers (Tick) and the end of a match (ranks, XP, hooks).
#include <algorithm>

#include "clash/economy.h"
#include "clash/events.h"
#include "clash/judge_gateway.h"
#include "matches/matches_internal.h"

namespace clash {

using matches_internal::BestOf;
using matches_internal::FindMember;
using matches_internal::json;
using matches_internal::LockMatch;
using matches_internal::Millis;
using matches_internal::Plus;

namespace {

constexpr std::size_t kMaxCode = 64 * 1024;
constexpr int kDueBatch = 100;

int CodePoints(std::string_view code) {
  int n = 0;
  for (unsigned char c : code) n += (c & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

bool KnownLanguage(std::string_view language) {
  return language == "python3" || language == "cpp17" || language == "javascript";
}

bool Over(const MatchRecord& m, Timestamp now) { return m.ends_at && now.unix_micros() >= m.ends_at->unix_micros(); }

}  // namespace

Result<SubmitOutcome> Matches::Submit(std::int64_t user_id, std::string_view match_id, std::string_view language,
                                      std::string_view code) {
  const Timestamp received = clock_.Now();
  if (!KnownLanguage(language)) return Status::InvalidArgument("language must be python3, cpp17 or javascript");
  if (code.empty()) return Status::InvalidArgument("code must not be empty");
  if (code.size() > kMaxCode) return Status::PayloadTooLarge("code is larger than 64 KiB");
  // Check before judging (nothing runs for a refused submission); checked again when storing.
  auto check = [&](StorageTransaction& tx, bool lock) -> Result<MatchRecord> {
    CLASH_ASSIGN_OR_RETURN(std::optional<MatchRecord> found, tx.matches().GetMatch(match_id, lock));
    if (!found) return matches_internal::MatchNotFound();
    CLASH_ASSIGN_OR_RETURN(std::vector<MatchPlayerRecord> members, tx.matches().ListPlayers(found->id));
    const MatchPlayerRecord* me = FindMember(members, user_id);
    if (me == nullptr || me->spectator) return Status::PermissionDenied("only the match's players may submit");
    if (me->left) return Status::FailedPrecondition("you left this match");
    if (found->state == MatchState::kLobby || found->state == MatchState::kCountdown) {
      return Status::FailedPrecondition("the match has not started");
    }
    if (found->state != MatchState::kRunning || Over(*found, received)) {
      return Status::FailedPrecondition("the match is over");
    }
    return *found;
  };
  MatchRecord match;
  MATCHES_RETURN_IF_ERROR(storage_.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(match, check(tx, false));
    return Status::Ok();
  }));
  const Puzzle* puzzle = FindPuzzle(match.puzzle_slug);
  if (puzzle == nullptr) return Status::Internal("the match's puzzle is gone: " + match.puzzle_slug);

  JudgeRequest request;
  request.language = std::string(language);
  request.source = std::string(code);
  request.cases = puzzle->public_cases;
  request.cases.insert(request.cases.end(), puzzle->hidden_cases.begin(), puzzle->hidden_cases.end());
  const JudgeLimits max = judge_.MaxLimits();
  request.limits.cpu_time = std::min(max.cpu_time, std::chrono::milliseconds(puzzle->time_limit_seconds * 1000));
  request.limits.wall_time = std::min(max.wall_time, request.limits.cpu_time * 2 + std::chrono::milliseconds(3000));
  CLASH_ASSIGN_OR_RETURN(JudgeResult verdict, judge_.RunAndWait(std::move(request)));
  if (verdict.verdict == Verdict::kInternalError) return Status::Unavailable("the judge failed; submit again");

  SubmitOutcome out;
  out.verdict = verdict.verdict;
  out.message = verdict.message;
  MATCHES_RETURN_IF_ERROR(storage_.Transact([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(MatchRecord m, check(tx, true));
    std::vector<MatchEventRecord> events;
    CLASH_ASSIGN_OR_RETURN(std::vector<MatchSubmissionRecord> subs, tx.matches().ListSubmissions(m.id));
    MatchSubmissionRecord s{.match_id = m.id,
                            .user_id = user_id,
                            .language = std::string(language),
                            .code = std::string(code),
                            .tests_passed = verdict.tests_passed,
                            .tests_total = verdict.tests_total,
                            .chars = CodePoints(code),
                            .submitted_at = received,
                            .elapsed_ms = (received.unix_micros() - m.started_at->unix_micros()) / 1000};
    CLASH_ASSIGN_OR_RETURN(s.id, tx.matches().InsertSubmission(s));
    subs.push_back(s);
    const std::optional<MatchSubmissionRecord> best = BestOf(m.mode, subs, user_id);
    out.submission = s;
    out.best = best && best->id == s.id;
    int count = 0;
    for (const MatchSubmissionRecord& x : subs) count += x.user_id == user_id ? 1 : 0;
    CLASH_RETURN_IF_ERROR(Append(tx, m, "submitted",
                                 json{{"user_id", user_id}, {"submission", count}, {"language", s.language},
                                      {"elapsed_ms", s.elapsed_ms}}
                                     .dump(),
                                 received, events));
    CLASH_RETURN_IF_ERROR(Append(tx, m, "progress",
                                 json{{"user_id", user_id}, {"tests_passed", s.tests_passed},
                                      {"tests_total", s.tests_total}, {"best_passed", best->tests_passed}}
                                     .dump(),
                                 received, events));
    // fastest and reverse end early once every remaining player passed every test.
    if (m.mode != MatchMode::kShortest) {
      CLASH_ASSIGN_OR_RETURN(std::vector<MatchPlayerRecord> members, tx.matches().ListPlayers(m.id));
      bool all = true;
      for (const MatchPlayerRecord& p : members) {
        if (p.spectator || p.left) continue;
        std::optional<MatchSubmissionRecord> b = BestOf(m.mode, subs, p.user_id);
        if (!b || b->tests_total == 0 || b->tests_passed < b->tests_total) all = false;
      }
      if (all) CLASH_RETURN_IF_ERROR(Finish(tx, m, received, events));
    }
    CLASH_RETURN_IF_ERROR(tx.matches().UpdateMatch(m));
    PublishAfterCommit(tx, events);
    return Status::Ok();
  }));
  return out;
}

Status Matches::Finish(StorageTransaction& tx, MatchRecord& m, Timestamp now, std::vector<MatchEventRecord>& events) {
  m.state = MatchState::kFinished;
  m.finished_at = now;
  CLASH_RETURN_IF_ERROR(Append(tx, m, "finished",
                               json{{"reason", Over(m, now) ? "time" : "all_passed"}}.dump(), now, events));
  CLASH_ASSIGN_OR_RETURN(std::vector<MatchPlayerRecord> members, tx.matches().ListPlayers(m.id));
  CLASH_ASSIGN_OR_RETURN(std::vector<MatchSubmissionRecord> subs, tx.matches().ListSubmissions(m.id));
  std::vector<PlayerResult> results = matches_internal::ComputeResults(m, members, subs);
  const int n = static_cast<int>(results.size());
  json players = json::array();
  for (PlayerResult& r : results) {
    const bool full = r.tests_total > 0 && r.tests_passed == r.tests_total;
    std::int64_t xp = 0;
    if (r.elapsed_ms) {
      xp = options_.participation_xp + (n - r.rank) * options_.rank_xp + (r.rank == 1 && full ? options_.win_xp : 0);
    }
    if (xp > 0) {
      XpChange change{.user_id = r.user_id,
                      .amount = xp,
                      .source = XpSource::kMatch,
                      .reference = m.id,
                      .idempotency_key = "match:" + m.id,
                      .reason = "match " + std::string(MatchModeName(m.mode)) + ", rank " + std::to_string(r.rank)};
      CLASH_RETURN_IF_ERROR(matches_internal::StatusOf(Ledger::ApplyIn(tx, change, now)));
    }
    r.xp = xp;
    MatchPlayerRecord p = *FindMember(members, r.user_id);
    p.rank = r.rank;
    p.score = r.score;
    p.xp = xp;
    CLASH_RETURN_IF_ERROR(tx.matches().PutPlayer(p));
    if (events_ != nullptr) {
      CLASH_RETURN_IF_ERROR(events_->Publish(tx, MatchPlayed{.user_id = r.user_id,
                                                             .match_id = m.id,
                                                             .mode = std::string(MatchModeName(m.mode)),
                                                             .rank = r.rank,
                                                             .players = n,
                                                             .full_pass = full}));
    }
    json pj{{"user_id", r.user_id}, {"username", r.username}, {"rank", r.rank}, {"score", r.score},
            {"tests_passed", r.tests_passed}, {"tests_total", r.tests_total}, {"chars", r.chars}, {"xp", xp},
            {"elapsed_ms", r.elapsed_ms ? json(*r.elapsed_ms) : json(nullptr)}};
    players.push_back(std::move(pj));
  }
  CLASH_RETURN_IF_ERROR(matches_internal::StatusOf(tx.matches().ReleaseAllActive(m.id)));
  return Append(tx, m, "results", json{{"players", players}}.dump(), now, events);
}

Result<int> Matches::Tick(Timestamp now) {
  std::vector<std::string> due;
  MATCHES_RETURN_IF_ERROR(storage_.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(due, tx.matches().ListDue(now, kDueBatch));
    return Status::Ok();
  }));
  int changed = 0;
  for (const std::string& id : due) {
    bool did = false;
    MATCHES_RETURN_IF_ERROR(storage_.Transact([&](StorageTransaction& tx) -> Status {
      did = false;
      CLASH_ASSIGN_OR_RETURN(MatchRecord m, LockMatch(tx, id));
      std::vector<MatchEventRecord> events;
      if (m.state == MatchState::kCountdown && m.countdown_ends_at &&
          m.countdown_ends_at->unix_micros() <= now.unix_micros()) {
        const Puzzle* puzzle = FindPuzzle(m.puzzle_slug);
        if (puzzle == nullptr) return Status::Internal("the match's puzzle is gone: " + m.puzzle_slug);
        m.state = MatchState::kRunning;
        m.started_at = *m.countdown_ends_at;  // the scheduled start: a late tick does not shift the timer
        m.ends_at = Plus(*m.started_at, std::chrono::seconds(m.time_limit_seconds));
        json samples = json::array();
        for (const IoCase& c : puzzle->public_cases) samples.push_back({{"input", c.input}, {"output", c.expected_output}});
        json data{{"puzzle", {{"slug", puzzle->slug}, {"title", puzzle->title}}},
                  {"statement", m.mode == MatchMode::kReverse ? json(nullptr) : json(puzzle->statement)},
                  {"samples", samples},
                  {"started_at", Millis(*m.started_at)},
                  {"ends_at", Millis(*m.ends_at)}};
        CLASH_RETURN_IF_ERROR(Append(tx, m, "started", data.dump(), now, events));
        did = true;
      }
      if (m.state == MatchState::kRunning && Over(m, now)) {
        CLASH_RETURN_IF_ERROR(Finish(tx, m, now, events));
        did = true;
      }
      if (!did) return Status::Ok();  // another caller got there first
      CLASH_RETURN_IF_ERROR(tx.matches().UpdateMatch(m));
      PublishAfterCommit(tx, events);
      return Status::Ok();
    }));
    changed += did ? 1 : 0;
  }
  CLASH_ASSIGN_OR_RETURN(int formed, FormQueuedMatches(now));
  return changed + formed;
}

}  // namespace clash
