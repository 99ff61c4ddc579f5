// clash/matches.h — multiplayer coding rounds ("clashes"): a lobby of 2-8 players, one puzzle from
// data/puzzles/ (docs/puzzles.md), a server-side timer, submissions judged in the sandbox, and
// results with a rank per player, XP through the ledger and a replay timeline (docs/matches.md).
//
// Modes:
//   fastest   ranked by tests passed (best submission), then by when that submission arrived
//   shortest  fully passing submissions ranked by fewest characters, ties by time; the others
//             after them, by tests passed then time
//   reverse   like fastest, but the statement is never shown: only the public cases
// A player may resubmit until the timer ends; the best submission counts. "Tests passed" is the
// judge's count: the cases run in order (public ones first, then hidden) and judging stops at the
// first failure, so it is the number of cases passed before the first failing one.
//
// Every timer is server-side and reads the injected Clock only: the countdown and the end of a
// match happen in Tick(now), which the host calls from its loop timer (tests advance a FakeClock
// and call Tick). All state is in storage (matches, players, submissions, the event log), so any
// host answers and another host could take a match over. Each change appends events to the match's
// log (seq 1, 2, ...) and, after the commit, publishes them on the pub/sub topic "match:<id>" as
// {"type": ..., "seq": n, "match_id": ..., "at": unix_ms, "data": {...}}; a reconnecting client
// reads Get() and EventsSince(last seq seen).
//
// Thread-safety: Matches is safe for concurrent use.
//
// Example:
//   CLASH_ASSIGN_OR_RETURN(clash::MatchView m, engine->matches().Create(host.id, {.mode = clash::MatchMode::kFastest}));
//   CLASH_RETURN_IF_ERROR(engine->matches().Join(guest.id, m.match.id, {}).status());
//   ... both SetReady, host Start, engine->matches().Tick(clock.Now()) after the countdown ...
//   CLASH_ASSIGN_OR_RETURN(clash::SubmitOutcome s, engine->matches().Submit(guest.id, m.match.id, "python3", code));
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clash/clock.h"
#include "clash/export.h"
#include "clash/judge.h"
#include "clash/rng.h"
#include "clash/status.h"

namespace clash {

class Storage;
class StorageTransaction;
class JudgeGateway;
class PubSub;
class Events;

enum class MatchMode { kFastest, kShortest, kReverse };
enum class MatchState { kLobby, kCountdown, kRunning, kFinished, kCancelled };

// "fastest", "shortest", "reverse".
CLASH_EXPORT std::string_view MatchModeName(MatchMode mode);
CLASH_EXPORT Result<MatchMode> ParseMatchMode(std::string_view name);
// "lobby", "countdown", "running", "finished", "cancelled".
CLASH_EXPORT std::string_view MatchStateName(MatchState state);
CLASH_EXPORT Result<MatchState> ParseMatchState(std::string_view name);

// One puzzle folder of data/puzzles/ (docs/puzzles.md).
struct Puzzle {
  std::string slug;
  std::string title;
  int difficulty = 1;
  std::vector<MatchMode> modes;
  int time_limit_seconds = 2;     // CPU seconds per case
  std::string statement;          // statement.md
  std::vector<IoCase> public_cases;
  std::vector<IoCase> hidden_cases;
};

// Reads every puzzle folder under `dir` (puzzle.json, statement.md, cases.json), sorted by slug.
// InvalidArgument naming the folder for a malformed one; NotFound if `dir` does not exist.
CLASH_EXPORT Result<std::vector<Puzzle>> LoadPuzzles(const std::string& dir);

// ---------------------------------------------------------------------------------------------
// Stored records (clash/stores/match_store.h)

struct MatchRecord {
  std::string id;                        // 32 hex characters
  MatchMode mode = MatchMode::kFastest;
  std::string puzzle_slug;
  std::int64_t host_id = 0;
  bool is_public = true;
  std::string join_code;                 // 8 characters A-Z2-9 for a private match, else ""
  MatchState state = MatchState::kLobby;
  int time_limit_seconds = 300;          // 300, 600 or 900
  int max_players = 8;                   // 2-8
  Timestamp created_at;
  std::optional<Timestamp> countdown_ends_at;
  std::optional<Timestamp> started_at;
  std::optional<Timestamp> ends_at;
  std::optional<Timestamp> finished_at;
  std::int64_t last_seq = 0;             // the seq of the newest event
  bool operator==(const MatchRecord&) const = default;
};

struct MatchPlayerRecord {
  std::string match_id;
  std::int64_t user_id = 0;
  std::string username;                  // read from users (ignored on write)
  bool spectator = false;
  bool ready = false;
  bool reveal_code = false;              // show my code to the other players after the match
  bool left = false;                     // left a running match (keeps their submissions)
  Timestamp joined_at;
  int rank = 0;                          // 1-based once finished; 0 before
  int score = 0;                         // percent of tests passed by the counted submission
  std::int64_t xp = 0;                   // XP awarded when the match finished
  bool operator==(const MatchPlayerRecord&) const = default;
};

struct MatchSubmissionRecord {
  std::int64_t id = 0;                   // assigned on insert
  std::string match_id;
  std::int64_t user_id = 0;
  std::string language;
  std::string code;
  int tests_passed = 0;
  int tests_total = 0;
  int chars = 0;                         // characters of the code (UTF-8 code points)
  Timestamp submitted_at;                // when the server received it
  std::int64_t elapsed_ms = 0;           // from the start of the match to submitted_at
  bool operator==(const MatchSubmissionRecord&) const = default;
};

struct MatchEventRecord {
  std::string match_id;
  std::int64_t seq = 0;
  std::string type;                      // joined, left, kicked, ready, countdown, started, progress, ...
  std::string data_json;                 // the event's "data" object
  Timestamp at;
  bool operator==(const MatchEventRecord&) const = default;
};

// ---------------------------------------------------------------------------------------------
// What callers see

struct MatchSettings {
  MatchMode mode = MatchMode::kFastest;
  bool is_public = true;
  int time_limit_minutes = 5;            // 5, 10 or 15
  int max_players = 8;                   // 2-8
  std::string puzzle_slug;               // empty: a random puzzle that suits the mode
};

// One player's outcome: the seam a rating updater consumes (MatchResult::players is sorted by rank;
// equal ranks are ties).
struct PlayerResult {
  std::int64_t user_id = 0;
  std::string username;
  int rank = 0;
  int score = 0;
  int tests_passed = 0;
  int tests_total = 0;
  int chars = 0;                         // of the counted submission (0 without one)
  std::optional<std::int64_t> elapsed_ms;  // of the counted submission; nullopt without one
  std::int64_t xp = 0;                   // XP awarded for this match
  std::optional<std::string> code;       // the counted code, when revealed to the viewer
  std::optional<std::string> language;
  bool operator==(const PlayerResult&) const = default;
};

struct MatchResult {
  std::string match_id;
  MatchMode mode = MatchMode::kFastest;
  std::vector<PlayerResult> players;     // by rank
};

// A player's live progress: the best submission so far (never its code while the match runs).
struct PlayerProgress {
  std::int64_t user_id = 0;
  int submissions = 0;
  int best_passed = 0;
  int tests_total = 0;
  bool operator==(const PlayerProgress&) const = default;
};

struct MatchView {
  MatchRecord match;                     // join_code only for the match's members
  std::string puzzle_title;
  std::vector<MatchPlayerRecord> players;     // players and spectators, by join time
  std::optional<std::string> statement;       // once started, except in reverse
  std::vector<IoCase> sample_cases;           // once started
  std::vector<PlayerProgress> progress;       // once started
  std::optional<MatchResult> result;          // once finished
};

struct JoinOptions {
  bool spectator = false;
  std::string join_code;                 // required for a private match (spectators too)
};

struct SubmitOutcome {
  MatchSubmissionRecord submission;      // code included (it is the submitter's own)
  Verdict verdict = Verdict::kInternalError;
  std::string message;                   // the judge's one line
  bool best = false;                     // this submission is now the counted one
};

struct QueueStatus {
  bool queued = false;
  MatchMode mode = MatchMode::kFastest;
  double rating = 0;
  std::optional<std::string> match_id;   // the match the player is in (found by the queue or joined)
};

struct MatchLeaderboardEntry {
  std::int64_t user_id = 0;
  std::string username;
  double rating = 0;
  int played = 0;
  int wins = 0;
  bool operator==(const MatchLeaderboardEntry&) const = default;
};

struct MatchesOptions {
  std::string puzzles_dir;                         // empty: no puzzles (Create answers FailedPrecondition)
  std::chrono::seconds countdown{10};              // from Start to the statement
  double default_rating = 1500;                    // a player's rating before any rated match
  // Matchmaking: players within `band` of each other's rating are matched; the band grows by
  // band_growth every band_step waited, up to band_max. A match forms with queue_target players,
  // or with >= 2 once the oldest has waited queue_fill_wait.
  double band = 100;
  double band_growth = 50;
  std::chrono::seconds band_step{10};
  double band_max = 1000;
  int queue_target = 4;
  std::chrono::seconds queue_fill_wait{30};
  int queue_time_limit_minutes = 5;
  // XP: every player with a submission gets participation_xp + (players - rank) * rank_xp; the
  // winners with a full pass get win_xp more.
  std::int64_t participation_xp = 10;
  std::int64_t rank_xp = 5;
  std::int64_t win_xp = 20;
};

class CLASH_EXPORT Matches {
 public:
  // `events` may be null (no achievements hook: MatchPlayed, clash/events.h); `pubsub` may be null (no live publishing).
  Matches(Storage& storage, Clock& clock, Rng& rng, JudgeGateway& judge, PubSub* pubsub, Events* events,
          MatchesOptions options);
  ~Matches();
  Matches(const Matches&) = delete;
  Matches& operator=(const Matches&) = delete;

  const std::vector<Puzzle>& puzzles() const { return puzzles_; }
  // The error LoadPuzzles gave when the engine opened (Ok when the puzzles loaded).
  const Status& puzzles_status() const { return puzzles_status_; }

  // Lobby. Errors: InvalidArgument (settings out of range, unknown puzzle or a puzzle that does
  // not suit the mode); AlreadyExists("already in a match") if the user is in another lobby or
  // running match; NotFound for an unknown user or match; FailedPrecondition for an action the
  // match's state forbids (joining a full lobby or a started match, ready outside the lobby, ...);
  // PermissionDenied for a host-only action by another member or a wrong join code.
  Result<MatchView> Create(std::int64_t host_id, const MatchSettings& settings);
  Result<MatchView> Join(std::int64_t user_id, std::string_view match_id, const JoinOptions& options);
  // Joins the private match with `join_code` as a player. NotFound for an unknown code.
  Result<MatchView> JoinByCode(std::int64_t user_id, std::string_view join_code);
  // In the lobby: removes the member (the host's role passes to the earliest other player; a lobby
  // without players is cancelled). Running: the player stays in the results with what they
  // submitted. FailedPrecondition once finished.
  Status Leave(std::int64_t user_id, std::string_view match_id);
  Status SetReady(std::int64_t user_id, std::string_view match_id, bool ready);
  // Whether the player's code is shown to the others after the match (any time before the end).
  Status SetRevealCode(std::int64_t user_id, std::string_view match_id, bool reveal);
  Status Kick(std::int64_t host_id, std::string_view match_id, std::int64_t target_id);
  // Host only, in the lobby, with 2+ players and every player but the host ready: starts the
  // countdown (the host starting is the host's ready).
  Status Start(std::int64_t host_id, std::string_view match_id);

  // Judges `code` (a player of the running match, before it ends) on every case of the puzzle.
  // FailedPrecondition("the match is over") after the end, even when the timer has not been
  // ticked yet; PermissionDenied for a spectator or non-member; InvalidArgument for an unknown
  // language or empty code (at most 64 KiB: PayloadTooLarge). The judge's own errors pass through
  // (Unavailable when it is busy). Nothing is stored when an error is returned.
  Result<SubmitOutcome> Submit(std::int64_t user_id, std::string_view match_id, std::string_view language,
                               std::string_view code);

  // Advances every timer due at `now`: countdowns that ended start their match, matches whose time
  // is up (or whose players all passed every test, in fastest and reverse) finish; then the
  // matchmaking queue forms matches. Idempotent; safe to call from several threads and hosts.
  // Returns how many matches changed state.
  Result<int> Tick(Timestamp now);

  // The match as `viewer_id` sees it (0: anonymous; code of a finished match only where revealed).
  Result<MatchView> Get(std::string_view match_id, std::int64_t viewer_id);
  // Events with seq > after_seq, oldest first: the replay timeline and what a reconnecting client
  // missed. Codes never appear in events.
  Result<std::vector<MatchEventRecord>> EventsSince(std::string_view match_id, std::int64_t after_seq);
  // Public lobbies waiting for players, newest first (mode filter optional), at most `limit` (1-100).
  Result<std::vector<MatchView>> ListOpen(std::optional<MatchMode> mode, int limit = 50);
  // The user's finished matches, newest first, at most `limit` (1-100).
  Result<std::vector<MatchView>> History(std::int64_t user_id, int limit = 20);
  // The results of a finished match; FailedPrecondition before.
  Result<MatchResult> Results(std::string_view match_id, std::int64_t viewer_id);
  // The players of `mode` by rating (highest first), at most `limit` (1-100).
  Result<std::vector<MatchLeaderboardEntry>> Leaderboard(MatchMode mode, int limit = 50);
  // The match the user is in (lobby, countdown or running), if any.
  Result<std::optional<std::string>> CurrentMatch(std::int64_t user_id);

  // Matchmaking by rating. AlreadyExists if the user is already in a match; queuing again changes
  // the mode and keeps the original waiting time for the same mode.
  Status Enqueue(std::int64_t user_id, MatchMode mode);
  Status Dequeue(std::int64_t user_id);
  Result<QueueStatus> Queue(std::int64_t user_id);
  // The stored rating (default_rating without one). SetRating is the rating updater's seam.
  Result<double> Rating(std::int64_t user_id, MatchMode mode);
  Status SetRating(std::int64_t user_id, MatchMode mode, double rating);

  // The pub/sub topic of a match's live events.
  static std::string Topic(std::string_view match_id) { return "match:" + std::string(match_id); }

 private:
  struct Impl;
  Storage& storage_;
  Clock& clock_;
  Rng& rng_;
  JudgeGateway& judge_;
  PubSub* pubsub_;
  Events* events_;
  MatchesOptions options_;
  std::vector<Puzzle> puzzles_;
  Status puzzles_status_;

  const Puzzle* FindPuzzle(std::string_view slug) const;
  Status Finish(StorageTransaction& tx, MatchRecord& match, Timestamp now, std::vector<MatchEventRecord>& out);
  Status Append(StorageTransaction& tx, MatchRecord& match, std::string_view type, std::string data_json,
                Timestamp now, std::vector<MatchEventRecord>& out);
  void PublishAfterCommit(StorageTransaction& tx, std::vector<MatchEventRecord>& events);
  Result<MatchView> BuildView(StorageTransaction& tx, const MatchRecord& match, std::int64_t viewer_id);
  Result<MatchResult> BuildResult(StorageTransaction& tx, const MatchRecord& match, std::int64_t viewer_id);
  Result<int> FormQueuedMatches(Timestamp now);
};

// The ranks of the given best submissions under `mode` (pure; exposed for the rating updater's
// tests and the docs). Each entry: tests passed, tests total, chars, elapsed_ms (nullopt: no
// submission). Returns 1-based competition ranks ("1224") in input order.
struct RankInput {
  int tests_passed = 0;
  int tests_total = 0;
  int chars = 0;
  std::optional<std::int64_t> elapsed_ms;
};
CLASH_EXPORT std::vector<int> RankPlayers(MatchMode mode, const std::vector<RankInput>& players);

}  // namespace clash
