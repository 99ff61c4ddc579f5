// Admin: reports about users, with the hierarchy (staff report on and see only plain users).
#include "admin/admin_internal.h"
#include "clash/admin.h"

namespace clash {

using admin_internal::Entry;
using admin_internal::Target;
using nlohmann::json;

namespace {

bool OneOf(const std::string& v, std::initializer_list<const char*> allowed) {
  for (const char* a : allowed) {
    if (v == a) return true;
  }
  return false;
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::size_t CodePoints(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xc0) != 0x80;
  return n;
}

Status CheckPriority(const std::string& p) {
  return OneOf(p, {"LOW", "MEDIUM", "HIGH"}) ? Status::Ok()
                                            : Status::InvalidArgument("priority must be LOW, MEDIUM or HIGH.");
}

Status CheckStatus(const std::string& s) {
  return OneOf(s, {"OPEN", "IN_REVIEW", "RESOLVED"})
             ? Status::Ok()
             : Status::InvalidArgument("status must be OPEN, IN_REVIEW or RESOLVED.");
}

}  // namespace

Result<std::vector<AdminReport>> Admin::Reports(const AdminContext& ctx, const ReportQuery& query) {
  CLASH_RETURN_IF_ERROR(Require(ctx.actor, Permission::kViewAdmin));
  ReportQuery q = query;
  q.status = Upper(q.status);
  q.priority = Upper(q.priority);
  std::vector<AdminReport> out;
  if (Status st = storage_.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(out, tx.admin().Reports(q, ctx.actor.is_superuser, std::nullopt, 100));
    return Status::Ok();
  }); !st.ok()) {
    return st;
  }
  return out;
}

Result<AdminReport> Admin::CreateReport(const AdminContext& ctx, const NewReport& report) {
  CLASH_RETURN_IF_ERROR(Require(ctx.actor, Permission::kViewAdmin));
  NewReport r = report;
  r.priority = Upper(r.priority.empty() ? "MEDIUM" : r.priority);
  r.category = Upper(r.category.empty() ? "GENERAL" : r.category);
  if (r.title.find_first_not_of(" \t\r\n") == std::string::npos ||
      r.summary.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Status::InvalidArgument("Title and summary are required.");
  }
  if (CodePoints(r.title) > 200 || CodePoints(r.summary) > 2000) {
    return Status::InvalidArgument("Title is at most 200 and summary at most 2000 characters.");
  }
  if (CodePoints(r.category) > 50) return Status::InvalidArgument("category is at most 50 characters.");
  CLASH_RETURN_IF_ERROR(CheckPriority(r.priority));
  json context = json::parse(r.context_json.empty() ? "{}" : r.context_json, nullptr, false);
  if (!context.is_object()) return Status::InvalidArgument("context must be a JSON object.");
  r.context_json = context.dump();
  AdminReport out;
  if (Status st = storage_.Transact([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(User target, Target(tx, r.target_username, "Target user not found."));
    CLASH_RETURN_IF_ERROR(Require(ctx.actor, Permission::kManageUser, &target));
    const Timestamp now = clock_.Now();
    CLASH_ASSIGN_OR_RETURN(std::int64_t id, tx.admin().InsertReport(target.id, ctx.actor.id, r, now));
    CLASH_ASSIGN_OR_RETURN(out, tx.admin().GetReport(id));
    return admin_internal::Record(tx, Entry(ctx, kAuditCreateReport, &target,
                           json{{"report_id", id}, {"title", r.title}, {"priority", r.priority},
                                {"category", r.category}},
                           now));
  }); !st.ok()) {
    return st;
  }
  return out;
}

Result<AdminReport> Admin::UpdateReport(const AdminContext& ctx, std::int64_t id, const ReportUpdate& update) {
  CLASH_RETURN_IF_ERROR(Require(ctx.actor, Permission::kViewAdmin));
  std::optional<std::string> status, priority;
  if (update.status) {
    status = Upper(*update.status);
    CLASH_RETURN_IF_ERROR(CheckStatus(*status));
  }
  if (update.priority) {
    priority = Upper(*update.priority);
    CLASH_RETURN_IF_ERROR(CheckPriority(*priority));
  }
  if (update.summary && (update.summary->find_first_not_of(" \t\r\n") == std::string::npos ||
                         CodePoints(*update.summary) > 2000)) {
    return Status::InvalidArgument("summary must be 1-2000 characters.");
  }
  AdminReport out;
  if (Status st = storage_.Transact([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(std::int64_t target_id, tx.admin().ReportTarget(id));
    CLASH_ASSIGN_OR_RETURN(User target, tx.users().GetById(target_id));
    CLASH_RETURN_IF_ERROR(Require(ctx.actor, Permission::kManageUser, &target));
    CLASH_ASSIGN_OR_RETURN(AdminReport before, tx.admin().GetReport(id));
    AdminReport after = before;
    const Timestamp now = clock_.Now();
    if (status) after.status = *status;
    if (priority) after.priority = *priority;
    if (update.summary) after.summary = *update.summary;
    after.updated_at = now;
    std::optional<std::int64_t> resolved_by;
    if (after.status == "RESOLVED" && before.status != "RESOLVED") {
      after.resolved_at = now;
      resolved_by = ctx.actor.id;
    } else if (after.status != "RESOLVED") {
      after.resolved_at.reset();
    } else {
      // Still resolved: keep who resolved it and when.
      CLASH_ASSIGN_OR_RETURN(User resolver, tx.users().GetByUsername(before.resolved_by.empty() ? ctx.actor.username
                                                                                                 : before.resolved_by));
      resolved_by = resolver.id;
    }
    CLASH_RETURN_IF_ERROR(tx.admin().UpdateReport(id, after, resolved_by));
    CLASH_ASSIGN_OR_RETURN(out, tx.admin().GetReport(id));
    return admin_internal::Record(tx, Entry(ctx, kAuditUpdateReport, &target,
                           json{{"report_id", id},
                                {"before", json{{"status", before.status}, {"priority", before.priority}}},
                                {"after", json{{"status", out.status}, {"priority", out.priority}}}},
                           now));
  }); !st.ok()) {
    return st;
  }
  return out;
}

}  // namespace clash
