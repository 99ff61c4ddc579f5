// MatchStore in portable SQL (migration 11).
#include "storage/sql/match_store_sql.h"

#include <string>
#include <utility>

namespace clash::internal {
namespace {

constexpr const char* kMatchColumns =
    "id, mode, puzzle_slug, host_id, is_public, join_code, state, time_limit_seconds, max_players, created_at, "
    "countdown_ends_at, started_at, ends_at, finished_at, last_seq";

SqlValue OptTime(const std::optional<Timestamp>& t) {
  if (!t) return std::monostate{};
  return t->unix_micros();
}

std::optional<Timestamp> TimeAt(const SqlRow& row, std::size_t i) {
  if (row.IsNull(i)) return std::nullopt;
  return Timestamp::FromUnixMicros(row.Int(i));
}

double Real(const SqlRow& row, std::size_t i) {
  const SqlValue& v = row.cols.at(i);
  if (const double* d = std::get_if<double>(&v)) return *d;
  if (const std::int64_t* n = std::get_if<std::int64_t>(&v)) return static_cast<double>(*n);
  if (const std::string* s = std::get_if<std::string>(&v)) return std::stod(*s);
  return 0;
}

Result<MatchRecord> MatchFromRow(const SqlRow& row) {
  MatchRecord m;
  m.id = row.Text(0);
  CLASH_ASSIGN_OR_RETURN(m.mode, ParseMatchMode(row.Text(1)));
  m.puzzle_slug = row.Text(2);
  m.host_id = row.Int(3);
  m.is_public = row.Int(4) != 0;
  m.join_code = row.Text(5);
  CLASH_ASSIGN_OR_RETURN(m.state, ParseMatchState(row.Text(6)));
  m.time_limit_seconds = static_cast<int>(row.Int(7));
  m.max_players = static_cast<int>(row.Int(8));
  m.created_at = Timestamp::FromUnixMicros(row.Int(9));
  m.countdown_ends_at = TimeAt(row, 10);
  m.started_at = TimeAt(row, 11);
  m.ends_at = TimeAt(row, 12);
  m.finished_at = TimeAt(row, 13);
  m.last_seq = row.Int(14);
  return m;
}

Result<std::vector<MatchRecord>> Matches(const SqlResult& r) {
  std::vector<MatchRecord> out;
  out.reserve(r.rows.size());
  for (const SqlRow& row : r.rows) {
    CLASH_ASSIGN_OR_RETURN(MatchRecord m, MatchFromRow(row));
    out.push_back(std::move(m));
  }
  return out;
}

std::string Mode(MatchMode mode) { return std::string(MatchModeName(mode)); }

SqlValue Code(const std::string& code) {
  if (code.empty()) return std::monostate{};
  return code;
}

}  // namespace

Status SqlMatchStore::InsertMatch(const MatchRecord& m) {
  return session_
      .Exec(std::string("INSERT INTO matches (") + kMatchColumns +
                ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
            {m.id, Mode(m.mode), m.puzzle_slug, m.host_id, std::int64_t{m.is_public ? 1 : 0}, Code(m.join_code),
             std::string(MatchStateName(m.state)), std::int64_t{m.time_limit_seconds}, std::int64_t{m.max_players},
             m.created_at.unix_micros(), OptTime(m.countdown_ends_at), OptTime(m.started_at), OptTime(m.ends_at),
             OptTime(m.finished_at), m.last_seq})
      .status();
}

Result<std::optional<MatchRecord>> SqlMatchStore::GetMatch(std::string_view id, bool lock) {
  std::string sql = std::string("SELECT ") + kMatchColumns + " FROM matches WHERE id = $1";
  if (lock && session_.dialect() == SqlDialect::kPostgres) sql += " FOR UPDATE";
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec(sql, {std::string(id)}));
  if (r.rows.empty()) return std::optional<MatchRecord>();
  CLASH_ASSIGN_OR_RETURN(MatchRecord m, MatchFromRow(r.rows[0]));
  return std::optional<MatchRecord>(std::move(m));
}

Result<std::optional<std::string>> SqlMatchStore::FindByCode(std::string_view join_code) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("SELECT id FROM matches WHERE join_code = $1",
                                                    {std::string(join_code)}));
  if (r.rows.empty()) return std::optional<std::string>();
  return std::optional<std::string>(r.rows[0].Text(0));
}

Status SqlMatchStore::UpdateMatch(const MatchRecord& m) {
  CLASH_ASSIGN_OR_RETURN(
      SqlResult r,
      session_.Exec("UPDATE matches SET mode = $2, puzzle_slug = $3, host_id = $4, is_public = $5, join_code = $6, "
                    "state = $7, time_limit_seconds = $8, max_players = $9, countdown_ends_at = $10, "
                    "started_at = $11, ends_at = $12, finished_at = $13, last_seq = $14 WHERE id = $1",
                    {m.id, Mode(m.mode), m.puzzle_slug, m.host_id, std::int64_t{m.is_public ? 1 : 0},
                     Code(m.join_code), std::string(MatchStateName(m.state)), std::int64_t{m.time_limit_seconds},
                     std::int64_t{m.max_players}, OptTime(m.countdown_ends_at), OptTime(m.started_at),
                     OptTime(m.ends_at), OptTime(m.finished_at), m.last_seq}));
  if (r.affected == 0) return Status::NotFound("Match not found");
  return Status::Ok();
}

Result<std::vector<MatchRecord>> SqlMatchStore::ListOpen(std::optional<MatchMode> mode, int limit) {
  std::string sql = std::string("SELECT ") + kMatchColumns + " FROM matches WHERE state = 'lobby' AND is_public = 1";
  std::vector<SqlValue> params = {std::int64_t{limit}};
  if (mode) {
    sql += " AND mode = $2";
    params.emplace_back(Mode(*mode));
  }
  sql += " ORDER BY created_at DESC, id LIMIT $1";
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec(sql, params));
  return Matches(r);
}

Result<std::vector<std::string>> SqlMatchStore::ListDue(Timestamp now, int limit) {
  CLASH_ASSIGN_OR_RETURN(
      SqlResult r,
      session_.Exec("SELECT id FROM matches WHERE (state = 'countdown' AND countdown_ends_at <= $1) "
                    "OR (state = 'running' AND ends_at <= $1) ORDER BY created_at, id LIMIT $2",
                    {now.unix_micros(), std::int64_t{limit}}));
  std::vector<std::string> out;
  for (const SqlRow& row : r.rows) out.push_back(row.Text(0));
  return out;
}

Result<std::vector<MatchRecord>> SqlMatchStore::History(std::int64_t user_id, int limit) {
  std::string sql = "SELECT ";
  for (std::string_view col : {"id", "mode", "puzzle_slug", "host_id", "is_public", "join_code", "state",
                               "time_limit_seconds", "max_players", "created_at", "countdown_ends_at", "started_at",
                               "ends_at", "finished_at", "last_seq"}) {
    if (sql.size() > 7) sql += ", ";
    sql += "m." + std::string(col);
  }
  sql += " FROM matches m JOIN match_players p ON p.match_id = m.id WHERE p.user_id = $1 AND p.spectator = 0 "
         "AND m.state = 'finished' ORDER BY m.finished_at DESC, m.id LIMIT $2";
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec(sql, {user_id, std::int64_t{limit}}));
  return Matches(r);
}

Status SqlMatchStore::PutPlayer(const MatchPlayerRecord& p) {
  return session_
      .Exec("INSERT INTO match_players (match_id, user_id, spectator, ready, reveal_code, has_left, joined_at, "
            "player_rank, score, xp) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (match_id, user_id) DO UPDATE "
            "SET spectator = excluded.spectator, ready = excluded.ready, reveal_code = excluded.reveal_code, "
            "has_left = excluded.has_left, joined_at = excluded.joined_at, player_rank = excluded.player_rank, "
            "score = excluded.score, xp = excluded.xp",
            {p.match_id, p.user_id, std::int64_t{p.spectator ? 1 : 0}, std::int64_t{p.ready ? 1 : 0},
             std::int64_t{p.reveal_code ? 1 : 0}, std::int64_t{p.left ? 1 : 0}, p.joined_at.unix_micros(),
             std::int64_t{p.rank}, std::int64_t{p.score}, p.xp})
      .status();
}

Result<bool> SqlMatchStore::DeletePlayer(std::string_view match_id, std::int64_t user_id) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("DELETE FROM match_players WHERE match_id = $1 AND user_id = $2",
                                                    {std::string(match_id), user_id}));
  return r.affected > 0;
}

Result<std::vector<MatchPlayerRecord>> SqlMatchStore::ListPlayers(std::string_view match_id) {
  CLASH_ASSIGN_OR_RETURN(
      SqlResult r,
      session_.Exec("SELECT p.match_id, p.user_id, u.username, p.spectator, p.ready, p.reveal_code, p.has_left, "
                    "p.joined_at, p.player_rank, p.score, p.xp FROM match_players p JOIN users u ON u.id = p.user_id "
                    "WHERE p.match_id = $1 ORDER BY p.joined_at, p.user_id",
                    {std::string(match_id)}));
  std::vector<MatchPlayerRecord> out;
  for (const SqlRow& row : r.rows) {
    out.push_back(MatchPlayerRecord{.match_id = row.Text(0),
                                    .user_id = row.Int(1),
                                    .username = row.Text(2),
                                    .spectator = row.Int(3) != 0,
                                    .ready = row.Int(4) != 0,
                                    .reveal_code = row.Int(5) != 0,
                                    .left = row.Int(6) != 0,
                                    .joined_at = Timestamp::FromUnixMicros(row.Int(7)),
                                    .rank = static_cast<int>(row.Int(8)),
                                    .score = static_cast<int>(row.Int(9)),
                                    .xp = row.Int(10)});
  }
  return out;
}

Status SqlMatchStore::ClaimActive(std::int64_t user_id, std::string_view match_id) {
  return session_
      .Exec("INSERT INTO match_active (user_id, match_id) VALUES ($1, $2)", {user_id, std::string(match_id)})
      .status();
}

Result<bool> SqlMatchStore::ReleaseActive(std::int64_t user_id, std::string_view match_id) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("DELETE FROM match_active WHERE user_id = $1 AND match_id = $2",
                                                    {user_id, std::string(match_id)}));
  return r.affected > 0;
}

Result<int> SqlMatchStore::ReleaseAllActive(std::string_view match_id) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r,
                         session_.Exec("DELETE FROM match_active WHERE match_id = $1", {std::string(match_id)}));
  return static_cast<int>(r.affected);
}

Result<std::optional<std::string>> SqlMatchStore::ActiveMatch(std::int64_t user_id) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("SELECT match_id FROM match_active WHERE user_id = $1", {user_id}));
  if (r.rows.empty()) return std::optional<std::string>();
  return std::optional<std::string>(r.rows[0].Text(0));
}

Result<std::int64_t> SqlMatchStore::InsertSubmission(const MatchSubmissionRecord& s) {
  CLASH_ASSIGN_OR_RETURN(
      SqlResult r,
      session_.Exec("INSERT INTO match_submissions (match_id, user_id, language, code, tests_passed, tests_total, "
                    "chars, submitted_at, elapsed_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                    {s.match_id, s.user_id, s.language, s.code, std::int64_t{s.tests_passed},
                     std::int64_t{s.tests_total}, std::int64_t{s.chars}, s.submitted_at.unix_micros(),
                     s.elapsed_ms}));
  if (r.rows.empty()) return Status::Internal("INSERT ... RETURNING id returned no row");
  return r.rows[0].Int(0);
}

Result<std::vector<MatchSubmissionRecord>> SqlMatchStore::ListSubmissions(std::string_view match_id) {
  CLASH_ASSIGN_OR_RETURN(
      SqlResult r,
      session_.Exec("SELECT id, match_id, user_id, language, code, tests_passed, tests_total, chars, submitted_at, "
                    "elapsed_ms FROM match_submissions WHERE match_id = $1 ORDER BY id",
                    {std::string(match_id)}));
  std::vector<MatchSubmissionRecord> out;
  for (const SqlRow& row : r.rows) {
    out.push_back(MatchSubmissionRecord{.id = row.Int(0),
                                        .match_id = row.Text(1),
                                        .user_id = row.Int(2),
                                        .language = row.Text(3),
                                        .code = row.Text(4),
                                        .tests_passed = static_cast<int>(row.Int(5)),
                                        .tests_total = static_cast<int>(row.Int(6)),
                                        .chars = static_cast<int>(row.Int(7)),
                                        .submitted_at = Timestamp::FromUnixMicros(row.Int(8)),
                                        .elapsed_ms = row.Int(9)});
  }
  return out;
}

Status SqlMatchStore::InsertEvent(const MatchEventRecord& e) {
  return session_
      .Exec("INSERT INTO match_events (match_id, seq, type, data_json, at) VALUES ($1, $2, $3, $4, $5)",
            {e.match_id, e.seq, e.type, e.data_json, e.at.unix_micros()})
      .status();
}

Result<std::vector<MatchEventRecord>> SqlMatchStore::ListEvents(std::string_view match_id, std::int64_t after_seq) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r,
                         session_.Exec("SELECT match_id, seq, type, data_json, at FROM match_events "
                                       "WHERE match_id = $1 AND seq > $2 ORDER BY seq",
                                       {std::string(match_id), after_seq}));
  std::vector<MatchEventRecord> out;
  for (const SqlRow& row : r.rows) {
    out.push_back(MatchEventRecord{.match_id = row.Text(0),
                                   .seq = row.Int(1),
                                   .type = row.Text(2),
                                   .data_json = row.Text(3),
                                   .at = Timestamp::FromUnixMicros(row.Int(4))});
  }
  return out;
}

Result<std::optional<double>> SqlMatchStore::GetRating(std::int64_t user_id, MatchMode mode) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("SELECT rating FROM match_ratings WHERE user_id = $1 AND mode = $2",
                                                    {user_id, Mode(mode)}));
  if (r.rows.empty()) return std::optional<double>();
  return std::optional<double>(Real(r.rows[0], 0));
}

Status SqlMatchStore::PutRating(std::int64_t user_id, MatchMode mode, double rating) {
  return session_
      .Exec("INSERT INTO match_ratings (user_id, mode, rating) VALUES ($1, $2, $3) "
            "ON CONFLICT (user_id, mode) DO UPDATE SET rating = excluded.rating",
            {user_id, Mode(mode), rating})
      .status();
}

Result<std::vector<MatchLeaderboardEntry>> SqlMatchStore::Leaderboard(MatchMode mode, int limit) {
  CLASH_ASSIGN_OR_RETURN(
      SqlResult r,
      session_.Exec(
          "SELECT r.user_id, u.username, r.rating, "
          "(SELECT COUNT(*) FROM match_players p JOIN matches m ON m.id = p.match_id WHERE p.user_id = r.user_id "
          " AND p.spectator = 0 AND m.state = 'finished' AND m.mode = r.mode), "
          "(SELECT COUNT(*) FROM match_players p JOIN matches m ON m.id = p.match_id WHERE p.user_id = r.user_id "
          " AND p.spectator = 0 AND m.state = 'finished' AND m.mode = r.mode AND p.player_rank = 1) "
          "FROM match_ratings r JOIN users u ON u.id = r.user_id WHERE r.mode = $1 "
          "ORDER BY r.rating DESC, r.user_id LIMIT $2",
          {Mode(mode), std::int64_t{limit}}));
  std::vector<MatchLeaderboardEntry> out;
  for (const SqlRow& row : r.rows) {
    out.push_back(MatchLeaderboardEntry{.user_id = row.Int(0),
                                   .username = row.Text(1),
                                   .rating = Real(row, 2),
                                   .played = static_cast<int>(row.Int(3)),
                                   .wins = static_cast<int>(row.Int(4))});
  }
  return out;
}

Status SqlMatchStore::PutQueueEntry(const QueueEntry& e) {
  return session_
      .Exec("INSERT INTO match_queue (user_id, mode, rating, queued_at) VALUES ($1, $2, $3, $4) "
            "ON CONFLICT (user_id) DO UPDATE SET mode = excluded.mode, rating = excluded.rating, "
            "queued_at = excluded.queued_at",
            {e.user_id, Mode(e.mode), e.rating, e.queued_at.unix_micros()})
      .status();
}

Result<bool> SqlMatchStore::DeleteQueueEntry(std::int64_t user_id) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("DELETE FROM match_queue WHERE user_id = $1", {user_id}));
  return r.affected > 0;
}

namespace {
Result<QueueEntry> QueueFromRow(const SqlRow& row) {
  QueueEntry e;
  e.user_id = row.Int(0);
  CLASH_ASSIGN_OR_RETURN(e.mode, ParseMatchMode(row.Text(1)));
  e.rating = Real(row, 2);
  e.queued_at = Timestamp::FromUnixMicros(row.Int(3));
  return e;
}
}  // namespace

Result<std::optional<QueueEntry>> SqlMatchStore::GetQueueEntry(std::int64_t user_id) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("SELECT user_id, mode, rating, queued_at FROM match_queue "
                                                    "WHERE user_id = $1",
                                                    {user_id}));
  if (r.rows.empty()) return std::optional<QueueEntry>();
  CLASH_ASSIGN_OR_RETURN(QueueEntry e, QueueFromRow(r.rows[0]));
  return std::optional<QueueEntry>(std::move(e));
}

Result<std::vector<QueueEntry>> SqlMatchStore::ListQueue(MatchMode mode) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("SELECT user_id, mode, rating, queued_at FROM match_queue "
                                                    "WHERE mode = $1 ORDER BY queued_at, user_id",
                                                    {Mode(mode)}));
  std::vector<QueueEntry> out;
  for (const SqlRow& row : r.rows) {
    CLASH_ASSIGN_OR_RETURN(QueueEntry e, QueueFromRow(row));
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace clash::internal
