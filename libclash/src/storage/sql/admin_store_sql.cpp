// The audit log, notes, reports and the users list on the shared SQL layer (migration 9).
#include <string>

#include "storage/sql/admin_store_sql.h"

namespace clash::internal {
namespace {

SqlValue OptInt(const std::optional<std::int64_t>& v) { return v ? SqlValue(*v) : SqlValue(std::monostate{}); }

// A LIKE pattern matching `text` anywhere, with %, _ and \ taken literally (ESCAPE '\').
std::string Contains(std::string_view text) {
  std::string out = "%";
  for (char c : text) {
    char l = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    if (l == '%' || l == '_' || l == '\\') out.push_back('\\');
    out.push_back(l);
  }
  return out + "%";
}

constexpr const char* kAuditColumns =
    "SELECT id, admin_id, admin_username, action, target_id, target_username, target_email, details, actor_ip, "
    "user_agent, request_id, created_at FROM admin_audit_log ";

AuditEntry AuditFromRow(const SqlRow& r) {
  AuditEntry e;
  e.id = r.Int(0);
  if (!r.IsNull(1)) e.admin_id = r.Int(1);
  e.admin_username = r.Text(2);
  e.action = r.Text(3);
  if (!r.IsNull(4)) e.target_id = r.Int(4);
  e.target_username = r.Text(5);
  e.target_email = r.Text(6);
  e.details_json = r.Text(7);
  e.actor_ip = r.Text(8);
  e.user_agent = r.Text(9);
  e.request_id = r.Text(10);
  e.created_at = Timestamp::FromUnixMicros(r.Int(11));
  return e;
}

std::vector<AuditEntry> AuditRows(const SqlResult& r) {
  std::vector<AuditEntry> out;
  for (const SqlRow& row : r.rows) out.push_back(AuditFromRow(row));
  return out;
}

// WHERE clause and parameters of an audit query.
std::string AuditWhere(const AuditQuery& q, std::vector<SqlValue>& params) {
  std::string where = "WHERE 1 = 1";
  auto param = [&params](auto v) {
    params.emplace_back(std::in_place_type<decltype(v)>, std::move(v));
    return "$" + std::to_string(params.size());
  };
  const std::string esc = " ESCAPE '\\'";
  if (!q.action.empty()) where += " AND action = " + param(std::string(q.action));
  if (!q.admin.empty()) where += " AND lower(admin_username) LIKE " + param(Contains(q.admin)) + esc;
  if (!q.target.empty()) where += " AND lower(target_username) LIKE " + param(Contains(q.target)) + esc;
  if (!q.search.empty()) {
    std::string p = param(Contains(q.search));
    where += " AND (lower(action) LIKE " + p + esc + " OR lower(admin_username) LIKE " + p + esc +
             " OR lower(target_username) LIKE " + p + esc + " OR lower(request_id) LIKE " + p + esc + ")";
  }
  if (q.from) where += " AND created_at >= " + param(std::int64_t{q.from->unix_micros()});
  if (q.to) where += " AND created_at <= " + param(std::int64_t{q.to->unix_micros()});
  return where;
}

std::string AuditOrder(const std::string& ordering) {
  const bool asc = !ordering.starts_with("-");
  const std::string key = asc ? ordering : ordering.substr(1);
  std::string column = "created_at";
  if (key == "action" || key == "admin_username" || key == "target_username") column = key;
  if (key != "timestamp" && column == "created_at") return " ORDER BY created_at DESC, id DESC";
  const char* dir = asc ? " ASC" : " DESC";
  return std::string(" ORDER BY ") + column + dir + ", id" + dir;
}

constexpr const char* kUserColumns =
    "SELECT u.id, u.username, u.email, u.first_name, u.last_name, u.is_active, u.is_staff, u.is_superuser, "
    "u.avatar_url, u.banner_url, u.bio, u.provider, u.created_at, COALESCE(w.balance, 0), "
    "(SELECT MAX(t.issued_at) FROM refresh_tokens t WHERE t.user_id = u.id) "
    "FROM users u LEFT JOIN wallets w ON w.user_id = u.id ";

AdminUser UserFromRow(const SqlRow& r) {
  AdminUser a;
  User& u = a.user;
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
  u.date_joined = Timestamp::FromUnixMicros(r.Int(12));
  a.xp = r.Int(13);
  if (!r.IsNull(14)) a.last_login = Timestamp::FromUnixMicros(r.Int(14));
  return a;
}

std::string UserWhere(const UserQuery& q, bool include_staff, std::vector<SqlValue>& params) {
  std::string where = "WHERE 1 = 1";
  if (!include_staff) where += " AND u.is_staff = 0 AND u.is_superuser = 0";
  if (!q.search.empty()) {
    params.push_back(Contains(q.search));
    const std::string p = "$" + std::to_string(params.size());
    where += " AND (lower(u.username) LIKE " + p + " ESCAPE '\\' OR lower(COALESCE(u.email, '')) LIKE " + p +
             " ESCAPE '\\' OR lower(u.first_name) LIKE " + p + " ESCAPE '\\' OR lower(u.last_name) LIKE " + p +
             " ESCAPE '\\')";
  }
  if (q.role == "user") where += " AND u.is_staff = 0 AND u.is_superuser = 0";
  if (q.role == "staff") where += " AND u.is_staff = 1 AND u.is_superuser = 0";
  if (q.role == "superuser") where += " AND u.is_superuser = 1";
  if (q.status == "active") where += " AND u.is_active = 1";
  if (q.status == "blocked") where += " AND u.is_active = 0";
  return where;
}

constexpr const char* kReportColumns =
    "SELECT r.id, t.username, COALESCE(c.username, ''), COALESCE(v.username, ''), r.title, r.summary, r.category, "
    "r.priority, r.status, r.context, r.created_at, r.updated_at, r.resolved_at FROM admin_reports r "
    "JOIN users t ON t.id = r.target_id LEFT JOIN users c ON c.id = r.created_by "
    "LEFT JOIN users v ON v.id = r.resolved_by ";

AdminReport ReportFromRow(const SqlRow& r) {
  AdminReport a;
  a.id = r.Int(0);
  a.target_username = r.Text(1);
  a.created_by = r.Text(2);
  a.resolved_by = r.Text(3);
  a.title = r.Text(4);
  a.summary = r.Text(5);
  a.category = r.Text(6);
  a.priority = r.Text(7);
  a.status = r.Text(8);
  a.context_json = r.Text(9);
  a.created_at = Timestamp::FromUnixMicros(r.Int(10));
  a.updated_at = Timestamp::FromUnixMicros(r.Int(11));
  if (!r.IsNull(12)) a.resolved_at = Timestamp::FromUnixMicros(r.Int(12));
  return a;
}

}  // namespace

Result<std::int64_t> SqlAdminStore::InsertAudit(const AuditEntry& e) {
  CLASH_ASSIGN_OR_RETURN(
      SqlResult r,
      session_.Exec("INSERT INTO admin_audit_log (admin_id, admin_username, action, target_id, target_username, "
                    "target_email, details, actor_ip, user_agent, request_id, created_at) "
                    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
                    {OptInt(e.admin_id), e.admin_username, e.action, OptInt(e.target_id), e.target_username,
                     e.target_email, e.details_json, e.actor_ip, e.user_agent, e.request_id,
                     e.created_at.unix_micros()}));
  if (r.rows.empty()) return Status::Internal("insert of an audit entry returned no id");
  return r.rows[0].Int(0);
}

Result<std::vector<AuditEntry>> SqlAdminStore::QueryAudit(const AuditQuery& q, std::int64_t offset, int limit) {
  std::vector<SqlValue> params;
  std::string sql = kAuditColumns + AuditWhere(q, params) + AuditOrder(q.ordering);
  params.emplace_back(std::in_place_type<std::int64_t>, limit);
  sql += " LIMIT $" + std::to_string(params.size());
  params.emplace_back(std::in_place_type<std::int64_t>, offset);
  sql += " OFFSET $" + std::to_string(params.size());
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec(sql, params));
  return AuditRows(r);
}

Result<std::int64_t> SqlAdminStore::CountAudit(const AuditQuery& q) {
  std::vector<SqlValue> params;
  CLASH_ASSIGN_OR_RETURN(SqlResult r,
                         session_.Exec("SELECT COUNT(*) FROM admin_audit_log " + AuditWhere(q, params), params));
  return r.rows.empty() ? 0 : r.rows[0].Int(0);
}

Result<std::vector<AuditEntry>> SqlAdminStore::AuditAbout(std::int64_t target_id, int limit) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec(std::string(kAuditColumns) +
                                                        "WHERE target_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2",
                                                    {target_id, std::int64_t{limit}}));
  return AuditRows(r);
}

Result<std::vector<AuditEntry>> SqlAdminStore::LatestOf(std::string_view action, int limit) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec(std::string(kAuditColumns) +
                                                        "WHERE action = $1 ORDER BY created_at DESC, id DESC LIMIT $2",
                                                    {std::string(action), std::int64_t{limit}}));
  return AuditRows(r);
}

Result<std::optional<AuditEntry>> SqlAdminStore::FindByRequest(std::string_view action, std::string_view request_id) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r,
                         session_.Exec(std::string(kAuditColumns) +
                                           "WHERE action = $1 AND request_id = $2 ORDER BY id DESC LIMIT 1",
                                       {std::string(action), std::string(request_id)}));
  if (r.rows.empty()) return std::optional<AuditEntry>();
  return std::optional<AuditEntry>(AuditFromRow(r.rows[0]));
}

Result<std::optional<Timestamp>> SqlAdminStore::LatestAuditTime() {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("SELECT MAX(created_at) FROM admin_audit_log"));
  if (r.rows.empty() || r.rows[0].IsNull(0)) return std::optional<Timestamp>();
  return std::optional<Timestamp>(Timestamp::FromUnixMicros(r.rows[0].Int(0)));
}

Result<std::vector<AdminUser>> SqlAdminStore::ListUsers(const UserQuery& q, bool include_staff, std::int64_t offset,
                                                        int limit) {
  std::vector<SqlValue> params;
  std::string sql = kUserColumns + UserWhere(q, include_staff, params) + " ORDER BY u.created_at DESC, u.id DESC";
  params.emplace_back(std::in_place_type<std::int64_t>, limit);
  sql += " LIMIT $" + std::to_string(params.size());
  params.emplace_back(std::in_place_type<std::int64_t>, offset);
  sql += " OFFSET $" + std::to_string(params.size());
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec(sql, params));
  std::vector<AdminUser> out;
  for (const SqlRow& row : r.rows) out.push_back(UserFromRow(row));
  return out;
}

Result<std::int64_t> SqlAdminStore::CountUsers(const UserQuery& q, bool include_staff) {
  std::vector<SqlValue> params;
  CLASH_ASSIGN_OR_RETURN(SqlResult r,
                         session_.Exec("SELECT COUNT(*) FROM users u " + UserWhere(q, include_staff, params), params));
  return r.rows.empty() ? 0 : r.rows[0].Int(0);
}

Result<std::vector<std::int64_t>> SqlAdminStore::BroadcastRecipients(std::int64_t sender_id, bool include_staff) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r,
                         session_.Exec(std::string("SELECT id FROM users WHERE is_active = 1 AND id <> $1") +
                                           (include_staff ? "" : " AND is_staff = 0 AND is_superuser = 0") +
                                           " ORDER BY id",
                                       {sender_id}));
  std::vector<std::int64_t> out;
  out.reserve(r.rows.size());
  for (const SqlRow& row : r.rows) out.push_back(row.Int(0));
  return out;
}

Result<std::int64_t> SqlAdminStore::InsertNote(std::int64_t admin_id, std::int64_t target_id, std::string_view body,
                                               bool pinned, Timestamp now) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r,
                         session_.Exec("INSERT INTO admin_notes (admin_id, target_id, body, is_pinned, created_at) "
                                       "VALUES ($1, $2, $3, $4, $5) RETURNING id",
                                       {admin_id, target_id, std::string(body), std::int64_t{pinned}, now.unix_micros()}));
  if (r.rows.empty()) return Status::Internal("insert of a note returned no id");
  return r.rows[0].Int(0);
}

Result<std::vector<AdminNote>> SqlAdminStore::Notes(std::int64_t target_id, int limit) {
  CLASH_ASSIGN_OR_RETURN(
      SqlResult r,
      session_.Exec("SELECT n.id, COALESCE(a.username, ''), t.username, n.body, n.is_pinned, n.created_at "
                    "FROM admin_notes n JOIN users t ON t.id = n.target_id LEFT JOIN users a ON a.id = n.admin_id "
                    "WHERE n.target_id = $1 ORDER BY n.is_pinned DESC, n.created_at DESC, n.id DESC LIMIT $2",
                    {target_id, std::int64_t{limit}}));
  std::vector<AdminNote> out;
  for (const SqlRow& row : r.rows) {
    out.push_back(AdminNote{.id = row.Int(0), .admin_username = row.Text(1), .target_username = row.Text(2),
                            .body = row.Text(3), .is_pinned = row.Int(4) != 0,
                            .created_at = Timestamp::FromUnixMicros(row.Int(5))});
  }
  return out;
}

Result<std::int64_t> SqlAdminStore::InsertReport(std::int64_t target_id, std::int64_t created_by,
                                                 const NewReport& n, Timestamp now) {
  CLASH_ASSIGN_OR_RETURN(
      SqlResult r,
      session_.Exec("INSERT INTO admin_reports (target_id, created_by, title, summary, category, priority, status, "
                    "context, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'OPEN', $7, $8, $8) RETURNING id",
                    {target_id, created_by, n.title, n.summary, n.category, n.priority, n.context_json,
                     now.unix_micros()}));
  if (r.rows.empty()) return Status::Internal("insert of a report returned no id");
  return r.rows[0].Int(0);
}

Result<AdminReport> SqlAdminStore::GetReport(std::int64_t id) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec(std::string(kReportColumns) + "WHERE r.id = $1", {id}));
  if (r.rows.empty()) return Status::NotFound("Report not found.");
  return ReportFromRow(r.rows[0]);
}

Result<std::int64_t> SqlAdminStore::ReportTarget(std::int64_t id) {
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec("SELECT target_id FROM admin_reports WHERE id = $1", {id}));
  if (r.rows.empty()) return Status::NotFound("Report not found.");
  return r.rows[0].Int(0);
}

Status SqlAdminStore::UpdateReport(std::int64_t id, const AdminReport& a, std::optional<std::int64_t> resolved_by) {
  CLASH_ASSIGN_OR_RETURN(
      SqlResult r,
      session_.Exec("UPDATE admin_reports SET status = $2, priority = $3, summary = $4, updated_at = $5, "
                    "resolved_at = $6, resolved_by = $7 WHERE id = $1",
                    {id, a.status, a.priority, a.summary, a.updated_at.unix_micros(),
                     a.resolved_at ? SqlValue(a.resolved_at->unix_micros()) : SqlValue(std::monostate{}),
                     OptInt(resolved_by)}));
  return r.affected > 0 ? Status::Ok() : Status::NotFound("Report not found.");
}

Result<std::vector<AdminReport>> SqlAdminStore::Reports(const ReportQuery& q, bool include_staff_targets,
                                                        std::optional<std::int64_t> target_id, int limit) {
  std::vector<SqlValue> params;
  std::string where = "WHERE 1 = 1";
  if (!include_staff_targets) where += " AND t.is_staff = 0 AND t.is_superuser = 0";
  if (!q.status.empty()) {
    params.push_back(q.status);
    where += " AND r.status = $" + std::to_string(params.size());
  }
  if (!q.priority.empty()) {
    params.push_back(q.priority);
    where += " AND r.priority = $" + std::to_string(params.size());
  }
  if (!q.target.empty()) {
    params.push_back(Contains(q.target));
    where += " AND lower(t.username) LIKE $" + std::to_string(params.size()) + " ESCAPE '\\'";
  }
  if (target_id) {
    params.push_back(*target_id);
    where += " AND r.target_id = $" + std::to_string(params.size());
  }
  params.push_back(std::int64_t{limit});
  CLASH_ASSIGN_OR_RETURN(SqlResult r, session_.Exec(std::string(kReportColumns) + where +
                                                        " ORDER BY r.created_at DESC, r.id DESC LIMIT $" +
                                                        std::to_string(params.size()),
                                                    params));
  std::vector<AdminReport> out;
  for (const SqlRow& row : r.rows) out.push_back(ReportFromRow(row));
  return out;
}

}  // namespace clash::internal
