#include "storage/sql/level_store_sql.h"

#include <nlohmann/json.hpp>

namespace clash::internal {
namespace {

// Public columns first; the secret ones are selected only when asked for.
constexpr const char* kPublicColumns =
    "id, slug, ord, title, description, initial_code, test_code, xp_reward, time_limit_seconds, "
    "target_time_seconds, stage, topics, created_for_user";
constexpr const char* kSecretColumns = ", cases_json, solution, hints";

std::string EncodeStrings(const std::vector<std::string>& items) { return nlohmann::json(items).dump(); }

std::vector<std::string> DecodeStrings(const std::string& text) {
  auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  std::vector<std::string> out;
  if (!j.is_array()) return out;
  for (const auto& h : j) {
    if (h.is_string()) out.push_back(h.get<std::string>());
  }
  return out;
}

Level FromRow(const SqlRow& row, bool with_secrets) {
  Level l;
  l.id = row.Int(0);
  l.slug = row.Text(1);
  l.order = static_cast<int>(row.Int(2));
  l.title = row.Text(3);
  l.description = row.Text(4);
  l.initial_code = row.Text(5);
  l.test_code = row.Text(6);
  l.xp_reward = static_cast<int>(row.Int(7));
  l.time_limit_seconds = static_cast<int>(row.Int(8));
  l.target_time_seconds = static_cast<int>(row.Int(9));
  l.stage = static_cast<int>(row.Int(10));
  l.topics = DecodeStrings(row.Text(11));
  if (!row.IsNull(12)) l.created_for_user = row.Int(12);
  if (with_secrets) {
    l.secrets.cases_json = row.Text(13);
    l.secrets.solution = row.Text(14);
    l.secrets.hints = DecodeStrings(row.Text(15));
  }
  return l;
}

}  // namespace

Result<std::int64_t> SqlLevelStore::Upsert(const Level& level) {
  SqlValue owner = level.created_for_user ? SqlValue(*level.created_for_user) : SqlValue(std::monostate{});
  CLASH_ASSIGN_OR_RETURN(
      SqlResult r,
      session_.Exec("INSERT INTO levels (slug, ord, title, description, initial_code, test_code, xp_reward, "
                    "time_limit_seconds, target_time_seconds, stage, topics, created_for_user, cases_json, "
                    "solution, hints) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) "
                    "ON CONFLICT (slug) DO UPDATE SET ord = excluded.ord, title = excluded.title, "
                    "description = excluded.description, initial_code = excluded.initial_code, "
                    "test_code = excluded.test_code, xp_reward = excluded.xp_reward, "
                    "time_limit_seconds = excluded.time_limit_seconds, "
                    "target_time_seconds = excluded.target_time_seconds, stage = excluded.stage, "
                    "topics = excluded.topics, created_for_user = excluded.created_for_user, "
                    "cases_json = excluded.cases_json, solution = excluded.solution, hints = excluded.hints "
                    "RETURNING id",
                    {level.slug, std::int64_t{level.order}, level.title, level.description, level.initial_code,
                     level.test_code, std::int64_t{level.xp_reward}, std::int64_t{level.time_limit_seconds},
                     std::int64_t{level.target_time_seconds}, std::int64_t{level.stage}, EncodeStrings(level.topics),
                     owner, level.secrets.cases_json, level.secrets.solution, EncodeStrings(level.secrets.hints)}));
  if (r.rows.empty()) return Status::Internal("upsert of level returned no id");
  return r.rows[0].Int(0);
}

Result<std::vector<Level>> SqlLevelStore::Select(const std::string& where, const std::vector<SqlValue>& params,
                                                 bool with_secrets) {
  std::string sql = std::string("SELECT ") + kPublicColumns + (with_secrets ? kSecretColumns : "") +
                    " FROM levels " + where + " ORDER BY ord, slug";
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec(sql, params));
  std::vector<Level> out;
  out.reserve(r.rows.size());
  for (const SqlRow& row : r.rows) out.push_back(FromRow(row, with_secrets));
  return out;
}

Result<std::vector<Level>> SqlLevelStore::List(bool with_secrets) { return Select("", {}, with_secrets); }

Result<std::vector<Level>> SqlLevelStore::ListGlobal() {
  return Select("WHERE created_for_user IS NULL", {}, /*with_secrets=*/false);
}

Result<std::vector<Level>> SqlLevelStore::ListFor(std::int64_t user_id) {
  return Select("WHERE created_for_user = $1", {user_id}, /*with_secrets=*/false);
}

Result<std::vector<std::int64_t>> SqlLevelStore::PersonalOwners() {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("SELECT DISTINCT created_for_user FROM levels "
                                                    "WHERE created_for_user IS NOT NULL ORDER BY created_for_user"));
  std::vector<std::int64_t> out;
  out.reserve(r.rows.size());
  for (const SqlRow& row : r.rows) out.push_back(row.Int(0));
  return out;
}

Result<Level> SqlLevelStore::Get(std::string_view slug, bool with_secrets) {
  CLASH_ASSIGN_OR_RETURN(std::vector<Level> found, Select("WHERE slug = $1", {std::string(slug)}, with_secrets));
  if (found.empty()) return Status::NotFound("level '" + std::string(slug) + "' does not exist");
  return std::move(found[0]);
}

Status SqlLevelStore::Remove(std::string_view slug) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("DELETE FROM levels WHERE slug = $1", {std::string(slug)}));
  if (r.affected == 0) return Status::NotFound("level '" + std::string(slug) + "' does not exist");
  return Status::Ok();
}

}  // namespace clash::internal
