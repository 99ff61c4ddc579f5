// Matches: construction, the event log, and the lobby (create, join, leave, ready, kick, start).
#include <algorithm>

#include "clash/events.h"
#include "clash/judge_gateway.h"
#include "clash/pubsub.h"
#include "matches/matches_internal.h"

namespace clash {

using matches_internal::CountPlayers;
using matches_internal::FindMember;
using matches_internal::json;
using matches_internal::LockMatch;
using matches_internal::Millis;
using matches_internal::Plus;

namespace {

constexpr std::string_view kCodeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

bool Active(MatchState s) { return s == MatchState::kLobby || s == MatchState::kCountdown || s == MatchState::kRunning; }

Status AlreadyInMatch() { return Status::AlreadyExists("already in a match: leave it first"); }

}  // namespace

Matches::Matches(Storage& storage, Clock& clock, Rng& rng, JudgeGateway& judge, PubSub* pubsub, Events* events,
                 MatchesOptions options)
    : storage_(storage), clock_(clock), rng_(rng), judge_(judge), pubsub_(pubsub), events_(events),
      options_(std::move(options)) {
  if (options_.puzzles_dir.empty()) {
    puzzles_status_ = Status::FailedPrecondition("no puzzle directory configured");
    return;
  }
  Result<std::vector<Puzzle>> loaded = LoadPuzzles(options_.puzzles_dir);
  if (loaded.ok()) {
    puzzles_ = std::move(loaded).value();
  } else {
    puzzles_status_ = loaded.status();
  }
}

Matches::~Matches() = default;

const Puzzle* Matches::FindPuzzle(std::string_view slug) const {
  for (const Puzzle& p : puzzles_) {
    if (p.slug == slug) return &p;
  }
  return nullptr;
}

Status Matches::Append(StorageTransaction& tx, MatchRecord& match, std::string_view type, std::string data_json,
                       Timestamp now, std::vector<MatchEventRecord>& out) {
  MatchEventRecord e{.match_id = match.id, .seq = match.last_seq + 1, .type = std::string(type),
                     .data_json = std::move(data_json), .at = now};
  CLASH_RETURN_IF_ERROR(tx.matches().InsertEvent(e));
  match.last_seq = e.seq;
  out.push_back(std::move(e));
  return Status::Ok();
}

void Matches::PublishAfterCommit(StorageTransaction& tx, std::vector<MatchEventRecord>& events) {
  if (pubsub_ == nullptr || events.empty()) return;
  tx.OnCommit([bus = pubsub_, events = events]() {
    for (const MatchEventRecord& e : events) {
      json frame{{"type", e.type}, {"seq", e.seq}, {"match_id", e.match_id}, {"at", Millis(e.at)},
                 {"data", json::parse(e.data_json, nullptr, false)}};
      (void)bus->Publish(Topic(e.match_id), frame.dump());  // live delivery only; the log is stored
    }
  });
}

Result<MatchView> Matches::Create(std::int64_t host_id, const MatchSettings& settings) {
  const int minutes = settings.time_limit_minutes;
  if (minutes != 5 && minutes != 10 && minutes != 15) {
    return Status::InvalidArgument("time_limit_minutes must be 5, 10 or 15");
  }
  if (settings.max_players < 2 || settings.max_players > 8) return Status::InvalidArgument("max_players must be 2-8");
  CLASH_RETURN_IF_ERROR(puzzles_status_);
  const Puzzle* puzzle = nullptr;
  if (!settings.puzzle_slug.empty()) {
    puzzle = FindPuzzle(settings.puzzle_slug);
    if (puzzle == nullptr) return Status::InvalidArgument("unknown puzzle: " + settings.puzzle_slug);
  } else {
    std::vector<const Puzzle*> suitable;
    for (const Puzzle& p : puzzles_) {
      if (std::find(p.modes.begin(), p.modes.end(), settings.mode) != p.modes.end()) suitable.push_back(&p);
    }
    if (suitable.empty()) return Status::FailedPrecondition("no puzzle suits this mode");
    puzzle = suitable[rng_.Uniform(0, suitable.size() - 1)];
  }
  if (std::find(puzzle->modes.begin(), puzzle->modes.end(), settings.mode) == puzzle->modes.end()) {
    return Status::InvalidArgument("the puzzle does not suit mode " + std::string(MatchModeName(settings.mode)));
  }
  const Timestamp now = clock_.Now();
  MatchRecord match{.id = rng_.HexToken(16),
                    .mode = settings.mode,
                    .puzzle_slug = puzzle->slug,
                    .host_id = host_id,
                    .is_public = settings.is_public,
                    .state = MatchState::kLobby,
                    .time_limit_seconds = minutes * 60,
                    .max_players = settings.max_players,
                    .created_at = now};
  if (!settings.is_public) {
    for (int i = 0; i < 8; ++i) match.join_code += kCodeAlphabet[rng_.Uniform(0, kCodeAlphabet.size() - 1)];
  }
  MatchView view;
  Status s = storage_.Transact([&](StorageTransaction& tx) -> Status {
    MatchRecord m = match;
    std::vector<MatchEventRecord> events;
    CLASH_RETURN_IF_ERROR(tx.matches().InsertMatch(m));
    Status claim = tx.matches().ClaimActive(host_id, m.id);
    if (claim.code() == StatusCode::kAlreadyExists) return AlreadyInMatch();
    CLASH_RETURN_IF_ERROR(claim);
    CLASH_RETURN_IF_ERROR(matches_internal::StatusOf(tx.matches().DeleteQueueEntry(host_id)));
    MatchPlayerRecord host{.match_id = m.id, .user_id = host_id, .ready = true, .joined_at = now};
    CLASH_RETURN_IF_ERROR(tx.matches().PutPlayer(host));
    CLASH_ASSIGN_OR_RETURN(std::vector<MatchPlayerRecord> members, tx.matches().ListPlayers(m.id));
    CLASH_RETURN_IF_ERROR(Append(tx, m, "joined", matches_internal::PlayerJson(members.at(0)).dump(), now, events));
    CLASH_RETURN_IF_ERROR(tx.matches().UpdateMatch(m));
    PublishAfterCommit(tx, events);
    CLASH_ASSIGN_OR_RETURN(view, BuildView(tx, m, host_id));
    return Status::Ok();
  });
  if (s.code() == StatusCode::kFailedPrecondition) return Status::NotFound("unknown user");
  CLASH_RETURN_IF_ERROR(s);
  return view;
}

Result<MatchView> Matches::Join(std::int64_t user_id, std::string_view match_id, const JoinOptions& options) {
  const Timestamp now = clock_.Now();
  MatchView view;
  MATCHES_RETURN_IF_ERROR(storage_.Transact([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(MatchRecord m, LockMatch(tx, match_id));
    std::vector<MatchEventRecord> events;
    if (!m.is_public && options.join_code != m.join_code) return Status::PermissionDenied("wrong join code");
    if (!Active(m.state)) return Status::FailedPrecondition("the match is over");
    CLASH_ASSIGN_OR_RETURN(std::vector<MatchPlayerRecord> members, tx.matches().ListPlayers(m.id));
    if (FindMember(members, user_id) != nullptr) return Status::AlreadyExists("already in this match");
    if (!options.spectator) {
      if (m.state != MatchState::kLobby) return Status::FailedPrecondition("the match has already started");
      if (CountPlayers(members) >= m.max_players) return Status::FailedPrecondition("the lobby is full");
      Status claim = tx.matches().ClaimActive(user_id, m.id);
      if (claim.code() == StatusCode::kAlreadyExists) return AlreadyInMatch();
      if (claim.code() == StatusCode::kFailedPrecondition) return Status::NotFound("unknown user");
      CLASH_RETURN_IF_ERROR(claim);
      CLASH_RETURN_IF_ERROR(matches_internal::StatusOf(tx.matches().DeleteQueueEntry(user_id)));
    }
    MatchPlayerRecord p{.match_id = m.id, .user_id = user_id, .spectator = options.spectator, .joined_at = now};
    Status put = tx.matches().PutPlayer(p);
    if (put.code() == StatusCode::kFailedPrecondition) return Status::NotFound("unknown user");
    CLASH_RETURN_IF_ERROR(put);
    CLASH_ASSIGN_OR_RETURN(members, tx.matches().ListPlayers(m.id));
    CLASH_RETURN_IF_ERROR(Append(tx, m, "joined", matches_internal::PlayerJson(*FindMember(members, user_id)).dump(),
                                 now, events));
    CLASH_RETURN_IF_ERROR(tx.matches().UpdateMatch(m));
    PublishAfterCommit(tx, events);
    CLASH_ASSIGN_OR_RETURN(view, BuildView(tx, m, user_id));
    return Status::Ok();
  }));
  return view;
}

Result<MatchView> Matches::JoinByCode(std::int64_t user_id, std::string_view join_code) {
  std::optional<std::string> id;
  MATCHES_RETURN_IF_ERROR(storage_.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(id, tx.matches().FindByCode(join_code));
    return Status::Ok();
  }));
  if (!id || join_code.empty()) return Status::NotFound("no match with this join code");
  return Join(user_id, *id, JoinOptions{.spectator = false, .join_code = std::string(join_code)});
}

Status Matches::Leave(std::int64_t user_id, std::string_view match_id) {
  const Timestamp now = clock_.Now();
  return storage_.Transact([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(MatchRecord m, LockMatch(tx, match_id));
    std::vector<MatchEventRecord> events;
    CLASH_ASSIGN_OR_RETURN(std::vector<MatchPlayerRecord> members, tx.matches().ListPlayers(m.id));
    const MatchPlayerRecord* me = FindMember(members, user_id);
    if (me == nullptr || me->left) return Status::FailedPrecondition("not in this match");
    if (!Active(m.state)) return Status::FailedPrecondition("the match is over");
    CLASH_RETURN_IF_ERROR(matches_internal::StatusOf(tx.matches().ReleaseActive(user_id, m.id)));
    if (m.state == MatchState::kRunning && !me->spectator) {
      MatchPlayerRecord gone = *me;
      gone.left = true;
      CLASH_RETURN_IF_ERROR(tx.matches().PutPlayer(gone));
    } else {
      CLASH_RETURN_IF_ERROR(matches_internal::StatusOf(tx.matches().DeletePlayer(m.id, user_id)));
    }
    CLASH_RETURN_IF_ERROR(Append(tx, m, "left", json{{"user_id", user_id}}.dump(), now, events));
    if (m.state != MatchState::kRunning) {
      CLASH_ASSIGN_OR_RETURN(members, tx.matches().ListPlayers(m.id));
      const int players = CountPlayers(members);
      if (players == 0) {
        m.state = MatchState::kCancelled;
        m.finished_at = now;
        CLASH_RETURN_IF_ERROR(matches_internal::StatusOf(tx.matches().ReleaseAllActive(m.id)));
        CLASH_RETURN_IF_ERROR(Append(tx, m, "cancelled", json::object().dump(), now, events));
      } else {
        if (m.host_id == user_id) {
          for (const MatchPlayerRecord& p : members) {
            if (p.spectator) continue;
            m.host_id = p.user_id;
            break;
          }
          CLASH_RETURN_IF_ERROR(Append(tx, m, "host", json{{"user_id", m.host_id}}.dump(), now, events));
        }
        if (m.state == MatchState::kCountdown && players < 2) {
          m.state = MatchState::kLobby;
          m.countdown_ends_at.reset();
          CLASH_RETURN_IF_ERROR(Append(tx, m, "countdown_cancelled", json::object().dump(), now, events));
        }
      }
    }
    CLASH_RETURN_IF_ERROR(tx.matches().UpdateMatch(m));
    PublishAfterCommit(tx, events);
    return Status::Ok();
  });
}

Status Matches::SetReady(std::int64_t user_id, std::string_view match_id, bool ready) {
  const Timestamp now = clock_.Now();
  return storage_.Transact([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(MatchRecord m, LockMatch(tx, match_id));
    std::vector<MatchEventRecord> events;
    CLASH_ASSIGN_OR_RETURN(std::vector<MatchPlayerRecord> members, tx.matches().ListPlayers(m.id));
    const MatchPlayerRecord* me = FindMember(members, user_id);
    if (me == nullptr || me->spectator) return Status::FailedPrecondition("not a player of this match");
    if (m.state != MatchState::kLobby) return Status::FailedPrecondition("the match is no longer in its lobby");
    MatchPlayerRecord p = *me;
    p.ready = ready;
    CLASH_RETURN_IF_ERROR(tx.matches().PutPlayer(p));
    CLASH_RETURN_IF_ERROR(Append(tx, m, "ready", json{{"user_id", user_id}, {"ready", ready}}.dump(), now, events));
    CLASH_RETURN_IF_ERROR(tx.matches().UpdateMatch(m));
    PublishAfterCommit(tx, events);
    return Status::Ok();
  });
}

Status Matches::SetRevealCode(std::int64_t user_id, std::string_view match_id, bool reveal) {
  return storage_.Transact([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(MatchRecord m, LockMatch(tx, match_id));
    CLASH_ASSIGN_OR_RETURN(std::vector<MatchPlayerRecord> members, tx.matches().ListPlayers(m.id));
    const MatchPlayerRecord* me = FindMember(members, user_id);
    if (me == nullptr || me->spectator) return Status::FailedPrecondition("not a player of this match");
    if (m.state == MatchState::kFinished || m.state == MatchState::kCancelled) {
      return Status::FailedPrecondition("the match is over");
    }
    MatchPlayerRecord p = *me;
    p.reveal_code = reveal;
    return tx.matches().PutPlayer(p);
  });
}

Status Matches::Kick(std::int64_t host_id, std::string_view match_id, std::int64_t target_id) {
  const Timestamp now = clock_.Now();
  return storage_.Transact([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(MatchRecord m, LockMatch(tx, match_id));
    std::vector<MatchEventRecord> events;
    if (m.host_id != host_id) return Status::PermissionDenied("only the host may kick");
    if (m.state != MatchState::kLobby) return Status::FailedPrecondition("the match is no longer in its lobby");
    if (target_id == host_id) return Status::InvalidArgument("the host cannot kick themselves; leave instead");
    CLASH_ASSIGN_OR_RETURN(std::vector<MatchPlayerRecord> members, tx.matches().ListPlayers(m.id));
    if (FindMember(members, target_id) == nullptr) return Status::NotFound("not a member of this match");
    CLASH_RETURN_IF_ERROR(matches_internal::StatusOf(tx.matches().DeletePlayer(m.id, target_id)));
    CLASH_RETURN_IF_ERROR(matches_internal::StatusOf(tx.matches().ReleaseActive(target_id, m.id)));
    CLASH_RETURN_IF_ERROR(
        Append(tx, m, "kicked", json{{"user_id", target_id}, {"by", host_id}}.dump(), now, events));
    CLASH_RETURN_IF_ERROR(tx.matches().UpdateMatch(m));
    PublishAfterCommit(tx, events);
    return Status::Ok();
  });
}

Status Matches::Start(std::int64_t host_id, std::string_view match_id) {
  const Timestamp now = clock_.Now();
  return storage_.Transact([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(MatchRecord m, LockMatch(tx, match_id));
    std::vector<MatchEventRecord> events;
    if (m.host_id != host_id) return Status::PermissionDenied("only the host may start the match");
    if (m.state != MatchState::kLobby) return Status::FailedPrecondition("the match is no longer in its lobby");
    CLASH_ASSIGN_OR_RETURN(std::vector<MatchPlayerRecord> members, tx.matches().ListPlayers(m.id));
    if (CountPlayers(members) < 2) return Status::FailedPrecondition("a match needs at least 2 players");
    for (const MatchPlayerRecord& p : members) {
      if (!p.spectator && !p.ready && p.user_id != host_id) {
        return Status::FailedPrecondition("not every player is ready");
      }
    }
    m.state = MatchState::kCountdown;
    m.countdown_ends_at = Plus(now, options_.countdown);
    CLASH_RETURN_IF_ERROR(Append(tx, m, "countdown",
                                 json{{"starts_at", Millis(*m.countdown_ends_at)},
                                      {"seconds", options_.countdown.count()}}
                                     .dump(),
                                 now, events));
    CLASH_RETURN_IF_ERROR(tx.matches().UpdateMatch(m));
    PublishAfterCommit(tx, events);
    return Status::Ok();
  });
}

}  // namespace clash
