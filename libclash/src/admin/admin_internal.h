// Internal to the admin module: audit entries, target lookups, paging.
#pragma once

#include <algorithm>
#include <string>

#include <nlohmann/json.hpp>

#include "clash/admin.h"
#include "clash/storage.h"

namespace clash::admin_internal {

inline AuditEntry Entry(const AdminContext& ctx, std::string_view action, const User* target, nlohmann::json details,
                        Timestamp now) {
  AuditEntry e;
  e.admin_id = ctx.actor.id;
  e.admin_username = ctx.actor.username;
  e.action = std::string(action);
  if (target != nullptr) {
    e.target_id = target->id;
    e.target_username = target->username;
    e.target_email = target->email;
  }
  e.details_json = details.is_object() ? details.dump() : "{}";
  e.actor_ip = ctx.actor_ip.substr(0, 64);
  e.user_agent = ctx.user_agent.substr(0, 512);
  e.request_id = ctx.request_id.substr(0, 64);
  e.created_at = now;
  return e;
}

// The user an admin action is about: NotFound(message) if there is none.
inline Result<User> Target(StorageTransaction& tx, std::string_view username,
                           const char* message = "User not found") {
  Result<User> u = tx.users().GetByUsername(username);
  if (!u.ok() && u.status().code() == StatusCode::kNotFound) return Status::NotFound(message);
  return u;
}

// Appends `e` to the audit log in `tx`.
inline Status Record(StorageTransaction& tx, const AuditEntry& e) {
  Result<std::int64_t> id = tx.admin().InsertAudit(e);
  return id.ok() ? Status::Ok() : id.status();
}

inline int Pages(std::int64_t count, int page_size) {
  return static_cast<int>((count + page_size - 1) / page_size);
}

inline std::string Iso(Timestamp t) { return t.ToIso8601(); }

}  // namespace clash::admin_internal
