// Admin: the users list and export, details, role, block, bulk block, delete, notes. See clash/admin.h.
#include "admin/admin_internal.h"
#include "clash/admin.h"

namespace clash {

using admin_internal::Entry;
using admin_internal::Target;
using nlohmann::json;

namespace {

constexpr std::size_t kMaxNoteChars = 2000;

json ActiveJson(bool active) { return json{{"is_active", active}}; }

// Refuses what would leave no active superuser: blocking, demoting or deleting the last one.
Status KeepsASuperuser(StorageTransaction& tx, const User& target, const char* message) {
  if (!target.is_superuser || !target.is_active) return Status::Ok();
  CLASH_ASSIGN_OR_RETURN(std::int64_t supers, tx.users().CountActiveSuperusers());
  return supers <= 1 ? Status::FailedPrecondition(message) : Status::Ok();
}

// Blocks or unblocks `target` in `tx`: blocking ends every login of the user at once.
Status WriteActive(StorageTransaction& tx, User target, bool active) {
  target.is_active = active;
  CLASH_RETURN_IF_ERROR(tx.users().Update(target));
  if (!active) CLASH_RETURN_IF_ERROR(tx.sessions().RevokeUser(target.id));
  return Status::Ok();
}

}  // namespace

Result<AdminUserPage> Admin::Users(const AdminContext& ctx, UserQuery query) {
  CLASH_RETURN_IF_ERROR(Require(ctx.actor, Permission::kViewAdmin));
  AdminUserPage out;
  out.page = std::max(1, query.page);
  out.page_size = std::clamp(query.page_size, 1, 100);
  const bool everyone = ctx.actor.is_superuser;
  if (Status st = storage_.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(out.count, tx.admin().CountUsers(query, everyone));
    const std::int64_t offset = static_cast<std::int64_t>(out.page - 1) * out.page_size;
    if (offset < out.count) {
      CLASH_ASSIGN_OR_RETURN(out.results, tx.admin().ListUsers(query, everyone, offset, out.page_size));
    }
    return Status::Ok();
  }); !st.ok()) {
    return st;
  }
  out.total_pages = admin_internal::Pages(out.count, out.page_size);
  return out;
}

Result<std::string> Admin::ExportUsers(const AdminContext& ctx, UserQuery query) {
  CLASH_RETURN_IF_ERROR(Require(ctx.actor, Permission::kViewAdmin));
  std::vector<AdminUser> users;
  if (Status st = storage_.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(users, tx.admin().ListUsers(query, ctx.actor.is_superuser, 0, 1'000'000));
    return Status::Ok();
  }); !st.ok()) {
    return st;
  }
  std::string out = "username,email,role,status,xp,joined_at,last_login\r\n";
  for (const AdminUser& a : users) {
    out += CsvCell(a.user.username) + "," + CsvCell(a.user.email) + "," + std::string(RoleName(a.user.role())) + "," +
           (a.user.is_active ? "active" : "blocked") + "," + std::to_string(a.xp) + "," +
           a.user.date_joined.ToIso8601() + "," + (a.last_login ? a.last_login->ToIso8601() : "") + "\r\n";
  }
  return out;
}

Result<UserDetails> Admin::Details(const AdminContext& ctx, std::string_view username) {
  CLASH_RETURN_IF_ERROR(Require(ctx.actor, Permission::kViewAdmin));
  UserDetails out;
  if (Status st = storage_.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(User target, Target(tx, username));
    if (!Require(ctx.actor, Permission::kManageUser, &target).ok()) {
      return Status::PermissionDenied("Only superusers can inspect staff or superuser accounts.");
    }
    out.user.user = target;
    CLASH_ASSIGN_OR_RETURN(out.user.xp, tx.ledger().Balance(target.id));
    CLASH_RETURN_IF_ERROR(tx.admin().FillActivity(target.id, out));
    CLASH_ASSIGN_OR_RETURN(out.notes, tx.admin().Notes(target.id, 8));
    CLASH_ASSIGN_OR_RETURN(out.reports, tx.admin().Reports(ReportQuery{}, true, target.id, 8));
    CLASH_ASSIGN_OR_RETURN(out.audit_logs, tx.admin().AuditAbout(target.id, 8));
    return Status::Ok();
  }); !st.ok()) {
    return st;
  }
  return out;
}

Status Admin::SetRole(const AdminContext& ctx, std::string_view username, Role role) {
  CLASH_RETURN_IF_ERROR(Require(ctx.actor, Permission::kViewAdmin));
  if (!Require(ctx.actor, Permission::kManageStaff).ok()) {
    return Status::PermissionDenied("Only superusers can update user roles.");
  }
  return storage_.Transact([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(User target, Target(tx, username));
    if (target.id == ctx.actor.id) {
      return Status::InvalidArgument("You cannot change your own role from the admin panel.");
    }
    const Role before = target.role();
    if (before == Role::kSuperuser && role != Role::kSuperuser) {
      CLASH_RETURN_IF_ERROR(KeepsASuperuser(tx, target, "Cannot demote the last active superuser account."));
    }
    target.is_superuser = role == Role::kSuperuser;
    target.is_staff = role != Role::kUser;
    CLASH_RETURN_IF_ERROR(tx.users().Update(target));
    return admin_internal::Record(tx, Entry(ctx, kAuditUpdateRole, &target,
                           json{{"before", RoleName(before)}, {"after", RoleName(role)}}, clock_.Now()));
  });
}

Result<bool> Admin::ToggleBlock(const AdminContext& ctx, std::string_view username, std::string_view reason) {
  CLASH_RETURN_IF_ERROR(Require(ctx.actor, Permission::kViewAdmin));
  bool active_after = false;
  if (Status st = storage_.Transact([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(User target, Target(tx, username));
    CLASH_RETURN_IF_ERROR(Require(ctx.actor, Permission::kManageUser, &target));
    if (target.id == ctx.actor.id) return Status::InvalidArgument("You cannot block yourself.");
    if (target.is_active) {
      CLASH_RETURN_IF_ERROR(KeepsASuperuser(tx, target, "Cannot block the last active superuser account."));
    }
    active_after = !target.is_active;
    CLASH_RETURN_IF_ERROR(WriteActive(tx, target, active_after));
    return admin_internal::Record(tx, Entry(ctx, kAuditToggleBlock, &target,
                           json{{"before", ActiveJson(!active_after)}, {"after", ActiveJson(active_after)},
                                {"reason", std::string(reason)}},
                           clock_.Now()));
  }); !st.ok()) {
    return st;
  }
  return active_after;
}

Result<BulkResult> Admin::BulkSetActive(const AdminContext& ctx, bool active, const std::vector<std::string>& usernames) {
  CLASH_RETURN_IF_ERROR(Require(ctx.actor, Permission::kViewAdmin));
  if (usernames.empty() || usernames.size() > 1000) return Status::InvalidArgument("Invalid bulk action payload.");
  BulkResult out;
  if (Status st = storage_.Transact([&](StorageTransaction& tx) -> Status {
    out = BulkResult{};
    for (const std::string& name : usernames) {
      Result<User> target = Target(tx, name);
      if (!target.ok()) {
        if (target.status().code() != StatusCode::kNotFound) return target.status();
        out.skipped.push_back({name, "User not found"});
        continue;
      }
      if (Status allowed = Require(ctx.actor, Permission::kManageUser, &*target); !allowed.ok()) {
        out.skipped.push_back({name, allowed.message()});
        continue;
      }
      if (target->id == ctx.actor.id && !active) {
        out.skipped.push_back({name, "You cannot block yourself."});
        continue;
      }
      if (target->is_active == active) {
        out.skipped.push_back({name, "No change needed."});
        continue;
      }
      if (!active) {
        Status last = KeepsASuperuser(tx, *target, "Cannot block the last active superuser account.");
        if (last.code() == StatusCode::kFailedPrecondition) {
          out.skipped.push_back({name, last.message()});
          continue;
        }
        CLASH_RETURN_IF_ERROR(last);
      }
      CLASH_RETURN_IF_ERROR(WriteActive(tx, *target, active));
      CLASH_RETURN_IF_ERROR(admin_internal::Record(tx, Entry(ctx, kAuditBulkStatus, &*target,
                                                   json{{"action", active ? "unblock" : "block"},
                                                        {"before", ActiveJson(!active)},
                                                        {"after", ActiveJson(active)}},
                                                   clock_.Now())));
      out.updated.push_back(target->username);
    }
    return Status::Ok();
  }); !st.ok()) {
    return st;
  }
  return out;
}

Status Admin::DeleteUser(const AdminContext& ctx, std::string_view username, std::string_view reason) {
  CLASH_RETURN_IF_ERROR(Require(ctx.actor, Permission::kViewAdmin));
  return storage_.Transact([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(User target, Target(tx, username));
    CLASH_RETURN_IF_ERROR(Require(ctx.actor, Permission::kManageUser, &target));
    if (target.id == ctx.actor.id) return Status::InvalidArgument("You cannot delete yourself from the admin panel.");
    CLASH_RETURN_IF_ERROR(KeepsASuperuser(tx, target, "Cannot delete the last superuser account."));
    CLASH_RETURN_IF_ERROR(admin_internal::Record(tx, Entry(ctx, kAuditDeleteUser, &target,
                                                 json{{"username", target.username}, {"email", target.email},
                                                      {"reason", std::string(reason)}},
                                                 clock_.Now())));
    return tx.users().Delete(target.id);
  });
}

Result<std::vector<AdminNote>> Admin::Notes(const AdminContext& ctx, std::string_view username) {
  CLASH_RETURN_IF_ERROR(Require(ctx.actor, Permission::kViewAdmin));
  std::vector<AdminNote> out;
  if (Status st = storage_.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(User target, Target(tx, username));
    CLASH_RETURN_IF_ERROR(Require(ctx.actor, Permission::kManageUser, &target));
    CLASH_ASSIGN_OR_RETURN(out, tx.admin().Notes(target.id, 100));
    return Status::Ok();
  }); !st.ok()) {
    return st;
  }
  return out;
}

Result<AdminNote> Admin::AddNote(const AdminContext& ctx, std::string_view username, std::string_view body, bool pinned) {
  CLASH_RETURN_IF_ERROR(Require(ctx.actor, Permission::kViewAdmin));
  std::string text(body);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) return Status::InvalidArgument("Note body is required.");
  std::size_t chars = 0;
  for (char c : text) chars += (static_cast<unsigned char>(c) & 0xc0) != 0x80;
  if (chars > kMaxNoteChars) return Status::InvalidArgument("Note body is at most 2000 characters.");
  AdminNote out;
  if (Status st = storage_.Transact([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(User target, Target(tx, username));
    CLASH_RETURN_IF_ERROR(Require(ctx.actor, Permission::kManageUser, &target));
    const Timestamp now = clock_.Now();
    CLASH_ASSIGN_OR_RETURN(std::int64_t id, tx.admin().InsertNote(ctx.actor.id, target.id, text, pinned, now));
    out = AdminNote{.id = id, .admin_username = ctx.actor.username, .target_username = target.username, .body = text,
                    .is_pinned = pinned, .created_at = now};
    return admin_internal::Record(tx, Entry(ctx, kAuditCreateNote, &target, json{{"note_id", id}, {"is_pinned", pinned}}, now));
  }); !st.ok()) {
    return st;
  }
  return out;
}

}  // namespace clash
