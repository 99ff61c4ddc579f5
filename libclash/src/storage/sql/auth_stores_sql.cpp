#include "storage/sql/auth_stores_sql.h"

namespace clash::internal {

Result<OtpGuard> SqlOtpStore::LockGuard(std::string_view email) {
  // Make sure the row exists, then lock it (PostgreSQL; SQLite write transactions are exclusive).
  CLASH_RETURN_IF_ERROR(session_.Exec(
      "INSERT INTO otp_guards (email, requests, window_start, failures, locked_until) VALUES ($1, 0, 0, 0, 0) "
      "ON CONFLICT (email) DO NOTHING",
      {std::string(email)}));
  std::string sql = "SELECT requests, window_start, failures, locked_until FROM otp_guards WHERE email = $1";
  if (session_.dialect() == SqlDialect::kPostgres) sql += " FOR UPDATE";
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec(sql, {std::string(email)}));
  OtpGuard g;
  if (r.rows.empty()) return g;
  g.requests = static_cast<int>(r.rows[0].Int(0));
  g.window_start = Timestamp::FromUnixMicros(r.rows[0].Int(1));
  g.failures = static_cast<int>(r.rows[0].Int(2));
  g.locked_until = Timestamp::FromUnixMicros(r.rows[0].Int(3));
  return g;
}

Status SqlOtpStore::SaveGuard(std::string_view email, const OtpGuard& g) {
  CLASH_RETURN_IF_ERROR(session_.Exec(
      "INSERT INTO otp_guards (email, requests, window_start, failures, locked_until) VALUES ($1, $2, $3, $4, $5) "
      "ON CONFLICT (email) DO UPDATE SET requests = excluded.requests, window_start = excluded.window_start, "
      "failures = excluded.failures, locked_until = excluded.locked_until",
      {std::string(email), std::int64_t{g.requests}, g.window_start.unix_micros(), std::int64_t{g.failures},
       g.locked_until.unix_micros()}));
  return Status::Ok();
}

Status SqlOtpStore::ReplaceCode(std::string_view email, std::string_view code_hash, Timestamp created_at,
                                Timestamp expires_at) {
  CLASH_RETURN_IF_ERROR(
      session_.Exec("UPDATE otp_codes SET used = 1 WHERE email = $1 AND used = 0", {std::string(email)}));
  CLASH_RETURN_IF_ERROR(session_.Exec(
      "INSERT INTO otp_codes (email, code_hash, created_at, expires_at, used) VALUES ($1, $2, $3, $4, 0)",
      {std::string(email), std::string(code_hash), created_at.unix_micros(), expires_at.unix_micros()}));
  return Status::Ok();
}

Result<bool> SqlOtpStore::ConsumeCode(std::string_view email, std::string_view code_hash, Timestamp now) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r,
                         session_.Exec("UPDATE otp_codes SET used = 1 WHERE email = $1 AND code_hash = $2 AND "
                                       "used = 0 AND expires_at > $3",
                                       {std::string(email), std::string(code_hash), now.unix_micros()}));
  return r.affected >= 1;
}

Status SqlSessionStore::Insert(const RefreshRecord& rec) {
  CLASH_RETURN_IF_ERROR(session_.Exec(
      "INSERT INTO refresh_tokens (jti, family, user_id, issued_at, expires_at, rotated, revoked) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7)",
      {rec.jti, rec.family, rec.user_id, rec.issued_at.unix_micros(), rec.expires_at.unix_micros(),
       std::int64_t{rec.rotated}, std::int64_t{rec.revoked}}));
  return Status::Ok();
}

Result<RefreshRecord> SqlSessionStore::Get(std::string_view jti) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("SELECT jti, family, user_id, issued_at, expires_at, rotated, "
                                                    "revoked FROM refresh_tokens WHERE jti = $1",
                                                    {std::string(jti)}));
  if (r.rows.empty()) return Status::NotFound("refresh token not found");
  const SqlRow& row = r.rows[0];
  RefreshRecord rec;
  rec.jti = row.Text(0);
  rec.family = row.Text(1);
  rec.user_id = row.Int(2);
  rec.issued_at = Timestamp::FromUnixMicros(row.Int(3));
  rec.expires_at = Timestamp::FromUnixMicros(row.Int(4));
  rec.rotated = row.Int(5) != 0;
  rec.revoked = row.Int(6) != 0;
  return rec;
}

Result<bool> SqlSessionStore::MarkRotated(std::string_view jti) {
  // One conditional UPDATE: of two concurrent refreshes with the same token exactly one wins.
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("UPDATE refresh_tokens SET rotated = 1 WHERE jti = $1 AND "
                                                    "rotated = 0 AND revoked = 0",
                                                    {std::string(jti)}));
  return r.affected == 1;
}

Status SqlSessionStore::RevokeFamily(std::string_view family) {
  CLASH_RETURN_IF_ERROR(
      session_.Exec("UPDATE refresh_tokens SET revoked = 1 WHERE family = $1", {std::string(family)}));
  return Status::Ok();
}

Result<bool> SqlSessionStore::FamilyActive(std::string_view family) {
  // Revocation marks every token of a family, so any one row tells the family's state.
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("SELECT revoked FROM refresh_tokens WHERE family = $1 LIMIT 1",
                                                    {std::string(family)}));
  if (r.rows.empty()) return false;
  return r.rows[0].Int(0) == 0;
}

Status SqlSessionStore::RevokeUser(std::int64_t user_id) {
  CLASH_RETURN_IF_ERROR(session_.Exec("UPDATE refresh_tokens SET revoked = 1 WHERE user_id = $1", {user_id}));
  return Status::Ok();
}

}  // namespace clash::internal
