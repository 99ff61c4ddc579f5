#include "storage/sql/judge_job_store_sql.h"

#include <string>

namespace clash::internal {
namespace {

// States of judge_jobs.state.
constexpr const char* kPending = "pending";
constexpr const char* kRunning = "running";
constexpr const char* kDone = "done";

// The oldest claimable job. PostgreSQL: READ COMMITTED writers run concurrently, so the row is
// locked and rows other claimers hold are skipped. SQLite: the write transaction is exclusive
// (BEGIN IMMEDIATE), so the plain select cannot race.
constexpr const char* kSelectClaimable =
    "SELECT id, request_json, attempts FROM judge_jobs "
    "WHERE state = 'pending' OR (state = 'running' AND lease_until <= $1) ORDER BY id LIMIT 1";

std::string NotFoundMessage(std::int64_t id) { return "judge job " + std::to_string(id) + " not found"; }

}  // namespace

Result<std::int64_t> SqlJudgeJobStore::Insert(std::string_view request_json, Timestamp now) {
  CLASH_ASSIGN_OR_RETURN(
      SqlResult r,
      session_.Exec("INSERT INTO judge_jobs (state, request_json, result_json, worker, lease_until, attempts, "
                    "created_at, updated_at) VALUES ($1, $2, NULL, '', 0, 0, $3, $3) RETURNING id",
                    {std::string(kPending), std::string(request_json), now.unix_micros()}));
  if (r.rows.empty()) return Status::Internal("insert of judge job returned no id");
  return r.rows[0].Int(0);
}

Result<std::int64_t> SqlJudgeJobStore::CountUnfinished() {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("SELECT COUNT(*) FROM judge_jobs WHERE state <> $1",
                                                    {std::string(kDone)}));
  return r.rows.empty() ? 0 : r.rows[0].Int(0);
}

Result<std::optional<JudgeJobRecord>> SqlJudgeJobStore::LockNextClaimable(Timestamp now) {
  std::string sql = kSelectClaimable;
  if (session_.dialect() == SqlDialect::kPostgres) sql += " FOR UPDATE SKIP LOCKED";
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec(sql, {now.unix_micros()}));
  if (r.rows.empty()) return std::optional<JudgeJobRecord>();
  JudgeJobRecord rec;
  rec.id = r.rows[0].Int(0);
  rec.request_json = r.rows[0].Text(1);
  rec.attempts = static_cast<int>(r.rows[0].Int(2));
  return std::optional<JudgeJobRecord>(std::move(rec));
}

Status SqlJudgeJobStore::MarkRunning(std::int64_t id, std::string_view worker, Timestamp lease_until,
                                     Timestamp now) {
  CLASH_ASSIGN_OR_RETURN(
      SqlResult r,
      session_.Exec("UPDATE judge_jobs SET state = $1, worker = $2, lease_until = $3, attempts = attempts + 1, "
                    "updated_at = $4 WHERE id = $5",
                    {std::string(kRunning), std::string(worker), lease_until.unix_micros(), now.unix_micros(), id}));
  if (r.affected == 0) return Status::NotFound(NotFoundMessage(id));
  return Status::Ok();
}

Status SqlJudgeJobStore::Complete(std::int64_t id, std::string_view worker, std::string_view result_json,
                                  Timestamp now) {
  // One conditional statement: the holder check and the write cannot be separated by another
  // claimer (READ COMMITTED re-checks the WHERE clause on the newest row version).
  CLASH_ASSIGN_OR_RETURN(
      SqlResult r,
      session_.Exec("UPDATE judge_jobs SET state = $1, result_json = $2, updated_at = $3 "
                    "WHERE id = $4 AND state = $5 AND worker = $6",
                    {std::string(kDone), std::string(result_json), now.unix_micros(), id, std::string(kRunning),
                     std::string(worker)}));
  if (r.affected > 0) return Status::Ok();
  CLASH_ASSIGN_OR_RETURN(SqlResult found, session_.Exec("SELECT 1 FROM judge_jobs WHERE id = $1", {id}));
  if (found.rows.empty()) return Status::NotFound(NotFoundMessage(id));
  return Status::FailedPrecondition("judge job " + std::to_string(id) + " is not claimed by " + std::string(worker));
}

Status SqlJudgeJobStore::MarkDone(std::int64_t id, std::string_view result_json, Timestamp now) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r,
                         session_.Exec("UPDATE judge_jobs SET state = $1, result_json = $2, updated_at = $3 "
                                       "WHERE id = $4",
                                       {std::string(kDone), std::string(result_json), now.unix_micros(), id}));
  if (r.affected == 0) return Status::NotFound(NotFoundMessage(id));
  return Status::Ok();
}

Result<std::optional<std::string>> SqlJudgeJobStore::LoadResult(std::int64_t id) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r,
                         session_.Exec("SELECT state, result_json FROM judge_jobs WHERE id = $1", {id}));
  if (r.rows.empty()) return Status::NotFound(NotFoundMessage(id));
  if (r.rows[0].Text(0) != kDone) return std::optional<std::string>();
  return std::optional<std::string>(r.rows[0].Text(1));
}

}  // namespace clash::internal
