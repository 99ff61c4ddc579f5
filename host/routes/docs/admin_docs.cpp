#include "routes/docs/route_docs.h"

namespace clash::host::docs {

void AddAdminDocs(std::vector<RouteDoc>& out) {
  const std::vector<RouteDoc> docs = {
      {"GET", "/api/admin/stats/", "admin", "staff", "User and XP totals", "",
       "{total_users: integer, active_sessions: integer, oauth_logins: integer, total_gems: integer}"},
      {"GET", "/api/admin/analytics/challenges/", "admin", "staff", "Per-level completions and stars", "",
       "[{id: string, slug: string, title: string, completions: integer, completion_rate: number, avg_stars: number, "
       "is_personalized: boolean}]"},
      {"GET", "/api/admin/analytics/store/", "admin", "staff", "Item sales and XP spent", "",
       "{items: [object], total_xp_spent: integer}"},
      {"GET", "/api/admin/analytics/engagement/", "admin", "staff", "Growth, activity, providers, top users", "",
       "{daily_growth: [object], active_users_24h: integer, auth_distribution: [object], top_users: [object]}"},
      {"GET", "/api/admin/analytics/ultimate/", "admin", "staff", "The dashboard's combined figures", "", "object"},
      {"GET", "/api/admin/audit-logs/", "admin", "staff", "Audit log, filtered and paged", "",
       "{count: integer, page: integer, page_size: integer, total_pages: integer, results: [object]}", 200,
       "{action?: string, admin?: string, target?: string, search?: string, ordering?: string, date_from?: string, "
       "date_to?: string, page?: integer, page_size?: integer}"},
      {"GET", "/api/admin/users/", "admin", "staff", "Users, filtered and paged", "",
       "{count: integer, page: integer, page_size: integer, total_pages: integer, results: [object]}", 200,
       "{search?: string, role?: string, status?: string, page?: integer, page_size?: integer}"},
      {"GET", "/api/admin/users/export/", "admin", "staff", "Users as CSV (same filters)", "", "text/csv", 200,
       "{search?: string, role?: string, status?: string}"},
      {"POST", "/api/admin/users/bulk/", "admin", "staff", "Block or unblock many users",
       "{action: string, usernames: [string]}", "{updated: integer, skipped: [object], action: string}"},
      {"GET", "/api/admin/users/{username}/details/", "admin", "staff", "One user's summary and recent activity", "",
       "object"},
      {"PATCH", "/api/admin/users/{username}/role/", "admin", "staff", "Change a user's role (superusers)",
       "{role: string}", "{message: string, role: string}"},
      {"GET", "/api/admin/users/{username}/notes/", "admin", "staff", "Staff notes on a user", "", "[object]"},
      {"POST", "/api/admin/users/{username}/notes/", "admin", "staff", "Add a staff note",
       "{body: string, is_pinned?: boolean}", "object", 201},
      {"POST", "/api/admin/users/{username}/toggle-block/", "admin", "staff", "Block or unblock a user",
       "{reason?: string}", "{message: string, is_active: boolean}"},
      {"DELETE", "/api/admin/users/{username}/delete/", "admin", "staff", "Delete a user", "", "@Message", 200,
       "{reason?: string}"},
      {"GET", "/api/admin/reports/", "admin", "staff", "Moderation reports", "", "{count: integer, results: [object]}",
       200, "{status?: string, priority?: string, target?: string}"},
      {"POST", "/api/admin/reports/", "admin", "staff", "File a report on a user",
       "{target: string, title: string, summary: string, category?: string, priority?: string, context?: object}",
       "object", 201},
      {"PATCH", "/api/admin/reports/{id}/", "admin", "staff", "Update a report",
       "{status?: string, priority?: string, summary?: string}", "object"},
      {"POST", "/api/admin/notifications/broadcast/", "admin", "staff", "Notify every active user",
       "{message: string, include_staff?: boolean, reason?: string}",
       "{message: string, recipient_count: integer, request_id: string}"},
      {"GET", "/api/admin/notifications/history/", "admin", "staff", "Recent broadcasts", "", "{results: [object]}"},
      {"POST", "/api/admin/notifications/history/{request_id}/resend/", "admin", "staff", "Send a broadcast again", "",
       "@Message"},
      {"GET", "/api/admin/system/integrity/", "admin", "staff", "Counts and consistency checks", "",
       "{users: integer, levels: integer, store_items: integer, notifications: integer, audit_logs: integer, "
       "posts: integer, follows: integer, checks: object, database: string, healthy: boolean}"},
      {"GET", "/api/admin/system/health/", "admin", "staff", "Subsystem health", "", "object"},
  };
  out.insert(out.end(), docs.begin(), docs.end());
}

}  // namespace clash::host::docs
