#include "storage/sql/level_store_sql.h"

#include <nlohmann/json.hpp>

namespace clash::internal {
namespace {

constexpr const char* kColumns =
    "id, slug, ord, title, description, initial_code, test_code, xp_reward, time_limit_seconds, "
    "target_time_seconds, hidden_tests, solution, hints";

std::string EncodeHints(const std::vector<std::string>& hints) { return nlohmann::json(hints).dump(); }

std::vector<std::string> DecodeHints(const std::string& text) {
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
  if (with_secrets) {
    l.secrets.hidden_tests = row.Text(10);
    l.secrets.solution = row.Text(11);
    l.secrets.hints = DecodeHints(row.Text(12));
  }
  return l;
}

}  // namespace

Result<std::int64_t> SqlLevelStore::Upsert(const Level& level) {
  CLASH_ASSIGN_OR_RETURN(
      SqlResult r,
      session_.Exec("INSERT INTO levels (slug, ord, title, description, initial_code, test_code, xp_reward, "
                    "time_limit_seconds, target_time_seconds, hidden_tests, solution, hints) "
                    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) "
                    "ON CONFLICT (slug) DO UPDATE SET ord = excluded.ord, title = excluded.title, "
                    "description = excluded.description, initial_code = excluded.initial_code, "
                    "test_code = excluded.test_code, xp_reward = excluded.xp_reward, "
                    "time_limit_seconds = excluded.time_limit_seconds, "
                    "target_time_seconds = excluded.target_time_seconds, hidden_tests = excluded.hidden_tests, "
                    "solution = excluded.solution, hints = excluded.hints RETURNING id",
                    {level.slug, std::int64_t{level.order}, level.title, level.description, level.initial_code,
                     level.test_code, std::int64_t{level.xp_reward}, std::int64_t{level.time_limit_seconds},
                     std::int64_t{level.target_time_seconds}, level.secrets.hidden_tests, level.secrets.solution,
                     EncodeHints(level.secrets.hints)}));
  if (r.rows.empty()) return Status::Internal("upsert of level returned no id");
  return r.rows[0].Int(0);
}

Result<std::vector<Level>> SqlLevelStore::List(bool with_secrets) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r,
                         session_.Exec(std::string("SELECT ") + kColumns + " FROM levels ORDER BY ord, slug"));
  std::vector<Level> out;
  out.reserve(r.rows.size());
  for (const SqlRow& row : r.rows) out.push_back(FromRow(row, with_secrets));
  return out;
}

Result<Level> SqlLevelStore::Get(std::string_view slug, bool with_secrets) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec(std::string("SELECT ") + kColumns + " FROM levels WHERE slug = $1",
                                                    {std::string(slug)}));
  if (r.rows.empty()) return Status::NotFound("level '" + std::string(slug) + "' does not exist");
  return FromRow(r.rows[0], with_secrets);
}

Status SqlLevelStore::Remove(std::string_view slug) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("DELETE FROM levels WHERE slug = $1", {std::string(slug)}));
  if (r.affected == 0) return Status::NotFound("level '" + std::string(slug) + "' does not exist");
  return Status::Ok();
}

}  // namespace clash::internal
