// The campaign's stores on the shared SQL layer: progress, completions, certificates, the
// leaderboard's query, and tasks (migration 7).
#include "storage/sql/campaign_stores_sql.h"

#include <string>

namespace clash::internal {
namespace {

constexpr const char* kProgressColumns = "user_id, level_id, started_at, completed_at, stars, hints_purchased";
constexpr const char* kCertificateColumns =
    "id, user_id, username, issued_at, completion_count, is_valid, key_id, signature";
constexpr const char* kTaskColumns = "id, user_id, kind, state, result_json, error, created_at, updated_at";

ProgressRecord ProgressFromRow(const SqlRow& row) {
  ProgressRecord p;
  p.user_id = row.Int(0);
  p.level_id = row.Int(1);
  p.started_at = Timestamp::FromUnixMicros(row.Int(2));
  if (!row.IsNull(3)) p.completed_at = Timestamp::FromUnixMicros(row.Int(3));
  p.stars = static_cast<int>(row.Int(4));
  p.hints_purchased = static_cast<int>(row.Int(5));
  return p;
}

Certificate CertificateFromRow(const SqlRow& row) {
  Certificate c;
  c.id = row.Text(0);
  c.user_id = row.Int(1);
  c.username = row.Text(2);
  c.issued_at = Timestamp::FromUnixMicros(row.Int(3));
  c.completion_count = static_cast<int>(row.Int(4));
  c.is_valid = row.Int(5) != 0;
  c.key_id = row.Text(6);
  c.signature = row.Text(7);
  return c;
}

Result<TaskRecord> TaskFromRow(const SqlRow& row) {
  TaskRecord t;
  t.id = row.Text(0);
  t.user_id = row.Int(1);
  t.kind = row.Text(2);
  CLASH_ASSIGN_OR_RETURN(t.state, ParseTaskState(row.Text(3)));
  t.result_json = row.Text(4);
  t.error = row.Text(5);
  t.created_at = Timestamp::FromUnixMicros(row.Int(6));
  t.updated_at = Timestamp::FromUnixMicros(row.Int(7));
  return t;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Progress and completions

Result<std::vector<ProgressRecord>> SqlCampaignStore::ListProgress(std::int64_t user_id) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec(std::string("SELECT ") + kProgressColumns +
                                                        " FROM level_progress WHERE user_id = $1",
                                                    {user_id}));
  std::vector<ProgressRecord> out;
  out.reserve(r.rows.size());
  for (const SqlRow& row : r.rows) out.push_back(ProgressFromRow(row));
  return out;
}

Result<std::optional<ProgressRecord>> SqlCampaignStore::SelectProgress(std::int64_t user_id, std::int64_t level_id,
                                                                       bool lock) {
  std::string sql = std::string("SELECT ") + kProgressColumns +
                    " FROM level_progress WHERE user_id = $1 AND level_id = $2";
  if (lock && session_.dialect() == SqlDialect::kPostgres) sql += " FOR UPDATE";
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec(sql, {user_id, level_id}));
  if (r.rows.empty()) return std::optional<ProgressRecord>();
  return std::optional<ProgressRecord>(ProgressFromRow(r.rows[0]));
}

Result<std::optional<ProgressRecord>> SqlCampaignStore::GetProgress(std::int64_t user_id, std::int64_t level_id) {
  return SelectProgress(user_id, level_id, /*lock=*/false);
}

Result<ProgressRecord> SqlCampaignStore::StartAndLock(std::int64_t user_id, std::int64_t level_id, Timestamp now) {
  // A missing user or level fails the insert with FailedPrecondition (foreign keys).
  CLASH_RETURN_IF_ERROR(session_.Exec("INSERT INTO level_progress (user_id, level_id, started_at) VALUES ($1, $2, $3) "
                                      "ON CONFLICT (user_id, level_id) DO NOTHING",
                                      {user_id, level_id, now.unix_micros()}));
  CLASH_ASSIGN_OR_RETURN(std::optional<ProgressRecord> row, SelectProgress(user_id, level_id, /*lock=*/true));
  if (!row) return Status::Internal("progress row vanished after it was created");
  return *row;
}

Result<bool> SqlCampaignStore::SetHintsPurchased(std::int64_t user_id, std::int64_t level_id, int from, int to) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r,
                         session_.Exec("UPDATE level_progress SET hints_purchased = $4 "
                                       "WHERE user_id = $1 AND level_id = $2 AND hints_purchased = $3",
                                       {user_id, level_id, std::int64_t{from}, std::int64_t{to}}));
  return r.affected > 0;
}

Result<bool> SqlCampaignStore::Complete(std::int64_t user_id, std::int64_t level_id, int stars, Timestamp now) {
  CLASH_ASSIGN_OR_RETURN(
      SqlResult r,
      session_.Exec("UPDATE level_progress SET completed_at = COALESCE(completed_at, $3), "
                    "stars = CASE WHEN stars < $4 THEN $4 ELSE stars END WHERE user_id = $1 AND level_id = $2",
                    {user_id, level_id, now.unix_micros(), std::int64_t{stars}}));
  if (r.affected == 0) return Status::NotFound("no progress on this level");
  CLASH_ASSIGN_OR_RETURN(SqlResult inserted,
                         session_.Exec("INSERT INTO level_completions (user_id, level_id, completed_at) "
                                       "VALUES ($1, $2, $3) ON CONFLICT (user_id, level_id) DO NOTHING RETURNING id",
                                       {user_id, level_id, now.unix_micros()}));
  return !inserted.rows.empty();
}

Result<std::vector<Timestamp>> SqlCampaignStore::CompletionTimes(std::int64_t user_id, Timestamp since) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("SELECT completed_at FROM level_completions "
                                                    "WHERE user_id = $1 AND completed_at >= $2 ORDER BY completed_at",
                                                    {user_id, since.unix_micros()}));
  std::vector<Timestamp> out;
  out.reserve(r.rows.size());
  for (const SqlRow& row : r.rows) out.push_back(Timestamp::FromUnixMicros(row.Int(0)));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Certificates

Result<bool> SqlCampaignStore::InsertCertificate(const Certificate& c) {
  CLASH_ASSIGN_OR_RETURN(
      SqlResult r,
      session_.Exec("INSERT INTO certificates (id, user_id, username, issued_at, completion_count, is_valid, key_id, "
                    "signature) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (user_id) DO NOTHING RETURNING id",
                    {c.id, c.user_id, c.username, c.issued_at.unix_micros(), std::int64_t{c.completion_count},
                     std::int64_t{c.is_valid ? 1 : 0}, c.key_id, c.signature}));
  return !r.rows.empty();
}

Result<std::optional<Certificate>> SqlCampaignStore::SelectCertificate(const char* where, const SqlValue& key) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec(std::string("SELECT ") + kCertificateColumns +
                                                        " FROM certificates WHERE " + where + " = $1",
                                                    {key}));
  if (r.rows.empty()) return std::optional<Certificate>();
  return std::optional<Certificate>(CertificateFromRow(r.rows[0]));
}

Result<std::optional<Certificate>> SqlCampaignStore::CertificateOf(std::int64_t user_id) {
  return SelectCertificate("user_id", user_id);
}

Result<std::optional<Certificate>> SqlCampaignStore::GetCertificate(std::string_view id) {
  return SelectCertificate("id", std::string(id));
}

// ---------------------------------------------------------------------------------------------
// Leaderboard

Result<LeaderboardVersion> SqlCampaignStore::LeaderboardVersionNow() {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("SELECT (SELECT COALESCE(MAX(id), 0) FROM xp_ledger), "
                                                    "(SELECT COALESCE(MAX(id), 0) FROM level_completions), "
                                                    "(SELECT COALESCE(MAX(version), 0) FROM users_version)"));
  if (r.rows.empty()) return Status::Internal("leaderboard version query returned no row");
  return LeaderboardVersion{.last_ledger_id = r.rows[0].Int(0),
                            .last_completion_id = r.rows[0].Int(1),
                            .users_version = r.rows[0].Int(2)};
}

Result<std::vector<LeaderboardRow>> SqlCampaignStore::Leaderboard(int limit) {
  // The XP of the limit-th eligible player bounds the candidates, so completed levels are counted
  // for the top of the board only (plus ties at its edge), not for every player.
  static const std::string kEligible =
      "FROM wallets w JOIN users u ON u.id = w.user_id "
      "WHERE w.balance > 0 AND u.is_active = 1 AND u.is_staff = 0 AND u.is_superuser = 0";
  const std::string sql =
      "SELECT u.id, u.username, u.avatar_url, w.balance, "
      "(SELECT COUNT(*) FROM level_completions c WHERE c.user_id = u.id) AS completed " +
      kEligible + " AND w.balance >= COALESCE((SELECT MIN(b) FROM (SELECT w.balance AS b " + kEligible +
      " ORDER BY w.balance DESC LIMIT $1) edge), 0) ORDER BY w.balance DESC, completed DESC, u.id ASC LIMIT $1";
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec(sql, {std::int64_t{limit}}));
  std::vector<LeaderboardRow> out;
  out.reserve(r.rows.size());
  for (const SqlRow& row : r.rows) {
    out.push_back(LeaderboardRow{.user_id = row.Int(0), .username = row.Text(1), .avatar_url = row.Text(2),
                                 .xp = row.Int(3), .completed_levels = static_cast<int>(row.Int(4))});
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Tasks

Status SqlTaskStore::Insert(const TaskRecord& t) {
  CLASH_RETURN_IF_ERROR(session_.Exec(
      "INSERT INTO tasks (id, user_id, kind, state, result_json, error, created_at, updated_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      {t.id, t.user_id, t.kind, std::string(TaskStateName(t.state)), t.result_json, t.error, t.created_at.unix_micros(),
       t.updated_at.unix_micros()}));
  return Status::Ok();
}

Result<std::optional<TaskRecord>> SqlTaskStore::Get(std::string_view id) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec(std::string("SELECT ") + kTaskColumns + " FROM tasks WHERE id = $1",
                                                    {std::string(id)}));
  if (r.rows.empty()) return std::optional<TaskRecord>();
  CLASH_ASSIGN_OR_RETURN(TaskRecord t, TaskFromRow(r.rows[0]));
  return std::optional<TaskRecord>(std::move(t));
}

Result<bool> SqlTaskStore::Update(std::string_view id, TaskState state, std::string_view result_json,
                                  std::string_view error, Timestamp now) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r,
                         session_.Exec("UPDATE tasks SET state = $2, result_json = $3, error = $4, updated_at = $5 "
                                       "WHERE id = $1 AND state IN ('queued', 'running')",
                                       {std::string(id), std::string(TaskStateName(state)), std::string(result_json),
                                        std::string(error), now.unix_micros()}));
  return r.affected > 0;
}

Result<int> SqlTaskStore::DeleteOlderThan(std::int64_t user_id, Timestamp before) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("DELETE FROM tasks WHERE user_id = $1 AND created_at < $2",
                                                    {user_id, before.unix_micros()}));
  return static_cast<int>(r.affected);
}

}  // namespace clash::internal
