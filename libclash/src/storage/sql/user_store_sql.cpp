#include "storage/sql/user_store_sql.h"

namespace clash::internal {
namespace {

constexpr const char* kColumns =
    "id, username, email, first_name, last_name, is_active, is_staff, is_superuser, avatar_url, banner_url, bio, "
    "provider, referral_code, active_theme, active_font, active_effect, active_victory, created_at";

User FromRow(const SqlRow& r) {
  User u;
  u.id = r.Int(0);
  u.username = r.Text(1);
  u.email = r.Text(2);
  u.first_name = r.Text(3);
  u.last_name = r.Text(4);
  u.is_active = r.Int(5) != 0;
  u.is_staff = r.Int(6) != 0;
  u.is_superuser = r.Int(7) != 0;
  u.profile.avatar_url = r.Text(8);
  u.profile.banner_url = r.Text(9);
  u.profile.bio = r.Text(10);
  u.profile.provider = r.Text(11);
  u.profile.referral_code = r.Text(12);
  u.profile.active_theme = r.Text(13);
  u.profile.active_font = r.Text(14);
  if (!r.IsNull(15)) u.profile.active_effect = r.Text(15);
  u.profile.active_victory = r.Text(16);
  u.date_joined = Timestamp::FromUnixMicros(r.Int(17));
  return u;
}

SqlValue NullableText(const std::optional<std::string>& v) {
  if (!v) return std::monostate{};
  return *v;
}

SqlValue NullIfEmpty(const std::string& v) {
  if (v.empty()) return std::monostate{};
  return v;
}

}  // namespace

Result<User> SqlUserStore::Create(const NewUser& u) {
  CLASH_ASSIGN_OR_RETURN(
      SqlResult r,
      session_.Exec("INSERT INTO users (username, email, first_name, last_name, password_hash, is_active, is_staff, "
                    "is_superuser, avatar_url, banner_url, bio, provider, referral_code, active_theme, active_font, "
                    "active_effect, active_victory, created_at) VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $8, $9, $10, "
                    "$11, $12, $13, $14, $15, $16, $17) RETURNING id",
                    {u.username, NullIfEmpty(u.email), u.first_name, u.last_name, u.password_hash,
                     std::int64_t{u.is_staff}, std::int64_t{u.is_superuser}, u.profile.avatar_url,
                     u.profile.banner_url, u.profile.bio, u.profile.provider, NullIfEmpty(u.profile.referral_code),
                     u.profile.active_theme, u.profile.active_font, NullableText(u.profile.active_effect),
                     u.profile.active_victory, u.created_at.unix_micros()}));
  if (r.rows.empty()) return Status::Internal("insert of user returned no id");
  return GetById(r.rows[0].Int(0));
}

Result<User> SqlUserStore::GetWhere(const char* where, SqlValue value) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r,
                         session_.Exec(std::string("SELECT ") + kColumns + " FROM users WHERE " + where, {value}));
  if (r.rows.empty()) return Status::NotFound("user not found");
  return FromRow(r.rows[0]);
}

Result<User> SqlUserStore::GetById(std::int64_t id) { return GetWhere("id = $1", id); }

Result<std::pair<User, bool>> SqlUserStore::GetWithLoginState(std::int64_t id, std::string_view family) {
  // The family's state as SqlSessionStore::FamilyActive reads it (any one row tells it).
  CLASH_ASSIGN_OR_RETURN(
      SqlResult r, session_.Exec(std::string("SELECT ") + kColumns +
                                     ", COALESCE((SELECT CASE WHEN t.revoked = 0 THEN 1 ELSE 0 END FROM refresh_tokens t "
                                     "WHERE t.family = $2 LIMIT 1), 0) FROM users WHERE id = $1",
                                 {id, std::string(family)}));
  if (r.rows.empty()) return Status::NotFound("user not found");
  return std::make_pair(FromRow(r.rows[0]), r.rows[0].Int(18) != 0);
}
Result<User> SqlUserStore::GetByEmail(std::string_view email) { return GetWhere("email = $1", std::string(email)); }
Result<User> SqlUserStore::GetByUsername(std::string_view username) {
  return GetWhere("username = $1", std::string(username));
}

Result<std::string> SqlUserStore::PasswordHash(std::int64_t id) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("SELECT password_hash FROM users WHERE id = $1", {id}));
  if (r.rows.empty()) return Status::NotFound("user not found");
  return r.rows[0].Text(0);
}

Status SqlUserStore::Update(const User& u) {
  CLASH_ASSIGN_OR_RETURN(
      SqlResult r,
      session_.Exec("UPDATE users SET username = $2, email = $3, first_name = $4, last_name = $5, is_active = $6, "
                    "is_staff = $7, is_superuser = $8, avatar_url = $9, banner_url = $10, bio = $11, provider = $12 "
                    "WHERE id = $1",
                    {u.id, u.username, NullIfEmpty(u.email), u.first_name, u.last_name, std::int64_t{u.is_active},
                     std::int64_t{u.is_staff}, std::int64_t{u.is_superuser}, u.profile.avatar_url,
                     u.profile.banner_url, u.profile.bio, u.profile.provider}));
  if (r.affected == 0) return Status::NotFound("user not found");
  return Status::Ok();
}

Status SqlUserStore::SetEquipped(std::int64_t user_id, ShopCategory category, std::optional<std::string> value) {
  // One fixed statement per column: the column name never comes from input.
  const char* sql = nullptr;
  switch (category) {
    case ShopCategory::kTheme: sql = "UPDATE users SET active_theme = $2 WHERE id = $1"; break;
    case ShopCategory::kFont: sql = "UPDATE users SET active_font = $2 WHERE id = $1"; break;
    case ShopCategory::kEffect: sql = "UPDATE users SET active_effect = $2 WHERE id = $1"; break;
    case ShopCategory::kVictory: sql = "UPDATE users SET active_victory = $2 WHERE id = $1"; break;
  }
  if (sql == nullptr) return Status::InvalidArgument("Invalid category.");
  if (!value && category != ShopCategory::kEffect) return Status::InvalidArgument("only the effect can be cleared");
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec(sql, {user_id, NullableText(value)}));
  if (r.affected == 0) return Status::NotFound("user not found");
  return Status::Ok();
}

Status SqlUserStore::Delete(std::int64_t id) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("DELETE FROM users WHERE id = $1", {id}));
  if (r.affected == 0) return Status::NotFound("user not found");
  return Status::Ok();
}

Result<std::int64_t> SqlUserStore::CountActiveSuperusers() {
  CLASH_ASSIGN_OR_RETURN(SqlResult r,
                         session_.Exec("SELECT COUNT(*) FROM users WHERE is_superuser = 1 AND is_active = 1"));
  return r.rows.empty() ? 0 : r.rows[0].Int(0);
}

Result<std::optional<std::int64_t>> SqlUserStore::FindIdentity(std::string_view provider, std::string_view uid) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r,
                         session_.Exec("SELECT user_id FROM user_identities WHERE provider = $1 AND provider_uid = $2",
                                       {std::string(provider), std::string(uid)}));
  if (r.rows.empty()) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(r.rows[0].Int(0));
}

Status SqlUserStore::LinkIdentity(std::int64_t user_id, std::string_view provider, std::string_view uid,
                                  Timestamp now) {
  CLASH_RETURN_IF_ERROR(session_.Exec(
      "INSERT INTO user_identities (provider, provider_uid, user_id, created_at) VALUES ($1, $2, $3, $4)",
      {std::string(provider), std::string(uid), user_id, now.unix_micros()}));
  return Status::Ok();
}

}  // namespace clash::internal
