// host/routes/admin_routes.h — the admin console over HTTP (client-contract.md section 14,
// reference-core.md 1.12). Translation only: the rules, the hierarchy and the audit log live in
// clash::Admin. Every route is staff-only (Access::kStaff: 401 anonymous, 403 players).
//
//   GET    /api/admin/stats/                          -> {total_users, active_sessions, oauth_logins, total_gems}
//   GET    /api/admin/analytics/challenges|store|engagement|ultimate/
//   GET    /api/admin/audit-logs/?action=&admin=&target=&search=&ordering=&date_from=&date_to=&page=&page_size=
//          (&limit=&offset=; &format=csv -> text/csv, formula-escaped cells)
//   GET    /api/admin/users/?search=&role=&status=&page=&page_size=      GET /api/admin/users/export/ (CSV)
//   POST   /api/admin/users/bulk/ {action: block|unblock, usernames}
//   GET    /api/admin/users/{u}/details/     PATCH /api/admin/users/{u}/role/ {role}
//   GET|POST /api/admin/users/{u}/notes/ {body, is_pinned}
//   POST   /api/admin/users/{u}/toggle-block/ {reason}     DELETE /api/admin/users/{u}/delete/?reason=
//   GET|POST /api/admin/reports/    PATCH /api/admin/reports/{id}/
//   POST   /api/admin/notifications/broadcast/ {message, include_staff, reason}
//   GET    /api/admin/notifications/history/  POST /api/admin/notifications/history/{request_id}/resend/
//   GET    /api/admin/system/integrity/  GET /api/admin/system/health/
#pragma once

#include "clash/admin.h"
#include "http/guard.h"
#include "http/router.h"

namespace clash::host {

void AddAdminRoutes(Router& router, RouteContext& ctx);

// Who is acting and from where, for the audit log.
AdminContext AdminContextOf(const HttpRequest& req, const Caller& caller, const CallerOptions& callers);

}  // namespace clash::host
