// clash/admin.h — the admin console: users (list, export, details, role, notes, block, bulk block,
// delete), reports, broadcasts, the audit log, stats, analytics and system checks.
//
// Every call takes an AdminContext: the acting staff member and where the request came from. Every
// action requires staff or superuser (Require(kViewAdmin)), and every action on a user — notes and
// reports included — applies the hierarchy Require(kManageUser): superusers act on anyone, staff
// only on plain users. Every change is recorded in the audit log (actor, target, details, request id,
// client address, user agent) in the same transaction as the change, so a change and its record
// commit together. The last active superuser can be neither blocked, demoted nor deleted. Blocking
// ends the user's sessions at once (every login family revoked: the next request is refused).
//
// Analytics are computed from the stored data on each call (the host may cache them).
//
// Thread-safety: Admin is safe for concurrent use.
//
// Example:
//   clash::AdminContext ctx{.actor = me, .request_id = "r1", .actor_ip = "203.0.113.9"};
//   CLASH_ASSIGN_OR_RETURN(clash::BulkResult r, engine->admin().BulkSetActive(ctx, false, {"spammer"}));
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clash/auth.h"
#include "clash/clock.h"
#include "clash/export.h"
#include "clash/notifications.h"
#include "clash/shop.h"
#include "clash/status.h"

namespace clash {

class Storage;
class Shop;

struct AdminContext {
  User actor;
  std::string request_id;
  std::string actor_ip;
  std::string user_agent;
};

// Audit actions (reference-core.md 3.12).
inline constexpr std::string_view kAuditToggleBlock = "TOGGLE_USER_BLOCK";
inline constexpr std::string_view kAuditDeleteUser = "DELETE_USER";
inline constexpr std::string_view kAuditUpdateRole = "UPDATE_USER_ROLE";
inline constexpr std::string_view kAuditBulkStatus = "BULK_USER_STATUS_UPDATE";
inline constexpr std::string_view kAuditCreateNote = "CREATE_ADMIN_NOTE";
inline constexpr std::string_view kAuditCreateReport = "CREATE_ADMIN_REPORT";
inline constexpr std::string_view kAuditUpdateReport = "UPDATE_ADMIN_REPORT";
inline constexpr std::string_view kAuditBroadcast = "SEND_GLOBAL_NOTIFICATION";
inline constexpr std::string_view kAuditResend = "RESEND_GLOBAL_NOTIFICATION";
inline constexpr std::string_view kAuditDuplicateItem = "DUPLICATE_STORE_ITEM";

struct AuditEntry {
  std::int64_t id = 0;
  std::optional<std::int64_t> admin_id;
  std::string admin_username;
  std::string action;
  std::optional<std::int64_t> target_id;
  std::string target_username;
  std::string target_email;
  std::string details_json = "{}";     // a JSON object
  std::string actor_ip;
  std::string user_agent;
  std::string request_id;
  Timestamp created_at;
};

// Filters of the audit log (reference-core.md 1.12). ordering: "timestamp", "action",
// "admin_username", "target_username", each optionally prefixed with "-"; anything else is
// "-timestamp". Ties break by id in the same direction.
struct AuditQuery {
  std::string action;                  // exact
  std::string admin;                   // admin username contains (case-insensitive)
  std::string target;                  // target username contains
  std::string search;                  // action, admin, target or request id contains
  std::string ordering = "-timestamp";
  std::optional<Timestamp> from;       // inclusive
  std::optional<Timestamp> to;         // inclusive
  int page = 1;
  int page_size = 50;                  // 1-500
};

struct AuditPage {
  std::vector<AuditEntry> results;
  std::int64_t count = 0;
  int page = 1;
  int page_size = 50;
  int total_pages = 0;
};

// The users list of the console. Staff see only plain users; superusers see everyone.
struct UserQuery {
  std::string search;                  // username, email, first or last name contains
  std::string role;                    // "", "user", "staff", "superuser"
  std::string status;                  // "", "active", "blocked"
  int page = 1;
  int page_size = 25;                  // 1-100
};

struct AdminUser {
  User user;
  std::int64_t xp = 0;
  std::optional<Timestamp> last_login; // newest login or refresh on record
};

struct AdminUserPage {
  std::vector<AdminUser> results;
  std::int64_t count = 0;
  int page = 1;
  int page_size = 25;
  int total_pages = 0;
};

struct BulkSkip {
  std::string username;
  std::string reason;
};

struct BulkResult {
  std::vector<std::string> updated;
  std::vector<BulkSkip> skipped;
};

struct AdminNote {
  std::int64_t id = 0;
  std::string admin_username;
  std::string target_username;
  std::string body;
  bool is_pinned = false;
  Timestamp created_at;
};

struct AdminReport {
  std::int64_t id = 0;
  std::string target_username;
  std::string created_by;
  std::string resolved_by;
  std::string title;
  std::string summary;
  std::string category = "GENERAL";
  std::string priority = "MEDIUM";     // LOW, MEDIUM, HIGH
  std::string status = "OPEN";         // OPEN, IN_REVIEW, RESOLVED
  std::string context_json = "{}";
  Timestamp created_at;
  Timestamp updated_at;
  std::optional<Timestamp> resolved_at;
};

struct NewReport {
  std::string target_username;
  std::string title;                   // 1-200 characters
  std::string summary;                 // 1-2000 characters
  std::string category = "GENERAL";
  std::string priority = "MEDIUM";
  std::string context_json = "{}";     // a JSON object
};

struct ReportUpdate {
  std::optional<std::string> status;
  std::optional<std::string> priority;
  std::optional<std::string> summary;
};

struct ReportQuery {
  std::string status;
  std::string priority;
  std::string target;                  // target username contains
};

struct UserDetails {
  AdminUser user;
  std::int64_t completed_levels = 0;
  std::int64_t purchase_count = 0;
  std::int64_t open_reports = 0;
  std::int64_t followers = 0;
  std::int64_t following = 0;
  std::int64_t posts = 0;
  std::vector<std::pair<std::string, Timestamp>> recent_completions;   // (level slug, when), 6
  std::vector<std::pair<std::string, Timestamp>> recent_purchases;     // (item name, when), 8
  std::vector<AdminNote> notes;                                        // 8
  std::vector<AdminReport> reports;                                    // 8
  std::vector<AuditEntry> audit_logs;                                  // 8, about this user
};

struct Broadcast {
  std::string request_id;
  std::string message;
  std::int64_t recipient_count = 0;
  bool include_staff = false;
  std::string reason;
  std::string admin;
  Timestamp sent_at;
};

struct AdminStats {
  std::int64_t total_users = 0;
  std::int64_t active_sessions = 0;    // users who logged in or refreshed in the last 24 h
  std::int64_t oauth_logins = 0;       // users with a GitHub or Google identity
  std::int64_t total_gems = 0;         // all XP balances together
};

// Per level: players who completed it (XP ledger), the share of players who started the campaign
// that did (completion_rate), and the XP paid.
struct LevelAnalytics {
  std::string slug;
  std::string title;
  int order = 0;
  std::int64_t completions = 0;
  double completion_rate = 0;          // percent of players with any completion
  std::int64_t xp_paid = 0;
};

struct ItemAnalytics {
  std::int64_t id = 0;
  std::string name;
  std::string category;
  std::int64_t cost = 0;
  std::int64_t sales = 0;
  std::int64_t revenue = 0;            // what the purchases cost
};

struct DailyCount {
  std::string date;                    // YYYY-MM-DD (UTC)
  std::int64_t count = 0;
};

struct TopUser {
  std::string username;
  std::int64_t xp = 0;
  std::int64_t followers = 0;
};

struct EngagementAnalytics {
  std::vector<DailyCount> daily_growth;  // new users per day, the last 30 days, zeros filled in
  std::int64_t active_users_24h = 0;
  std::vector<std::pair<std::string, std::int64_t>> auth_distribution;  // provider -> users
  std::vector<TopUser> top_users;      // top 10 by XP
};

struct UltimateAnalytics {
  std::int64_t total_users = 0;
  std::int64_t active_24h = 0;
  std::int64_t total_levels = 0;
  std::int64_t store_catalog = 0;      // active items
  std::vector<DailyCount> growth_trends; // 31 days
  std::int64_t total_circulation_xp = 0;
  std::int64_t total_store_revenue = 0;
  double avg_xp_per_user = 0;
  std::vector<LevelAnalytics> top_levels;      // 5 by completions
  std::vector<ItemAnalytics> top_items;        // 5 by revenue
  std::vector<TopUser> community_leaders;      // 10 by XP
  std::int64_t open_reports = 0;
  std::int64_t pinned_notes = 0;
  std::int64_t featured_store_items = 0;
  std::optional<Timestamp> last_broadcast_at;
  bool database_online = false;
};

// Real checks of stored data (system/integrity/): counts, and invariants that must hold.
struct IntegrityReport {
  std::map<std::string, std::int64_t> counts;  // users, levels, store_items, notifications, audit_logs, posts, follows
  // Invariant -> rows that break it (0 everywhere is healthy): wallet balances that differ from
  // the sum of their ledger, follow counters that differ from the follows, like counters that
  // differ from the likes, negative balances.
  std::map<std::string, std::int64_t> violations;
  bool database_online = false;
  bool ok() const;
};

struct SystemHealth {
  bool database_online = false;
  bool push_enabled = false;
  std::optional<Timestamp> latest_audit_at;
  std::optional<Timestamp> latest_broadcast_at;
  std::int64_t open_reports = 0;
};

// Escapes one CSV cell: quoted when it holds a comma, quote, CR or LF; a cell starting with
// '=', '+', '-', '@', tab or CR gets a leading apostrophe so spreadsheets never run it as a formula.
CLASH_EXPORT std::string CsvCell(std::string_view value);

class CLASH_EXPORT Admin {
 public:
  Admin(Storage& storage, Clock& clock, Notifications& notifications, Shop& shop);

  Result<AdminStats> Stats(const AdminContext& ctx);
  Result<std::vector<LevelAnalytics>> LevelStats(const AdminContext& ctx);
  Result<std::vector<ItemAnalytics>> StoreStats(const AdminContext& ctx);
  Result<EngagementAnalytics> Engagement(const AdminContext& ctx);
  Result<UltimateAnalytics> Ultimate(const AdminContext& ctx);
  Result<IntegrityReport> Integrity(const AdminContext& ctx);
  Result<SystemHealth> Health(const AdminContext& ctx);

  // The audit log; InvalidArgument for a page_size outside 1-500.
  Result<AuditPage> AuditLog(const AdminContext& ctx, AuditQuery query);
  // The first 1000 matching entries as CSV (timestamp,admin,action,target,request_id,details),
  // every cell through CsvCell.
  Result<std::string> AuditCsv(const AdminContext& ctx, AuditQuery query);

  Result<AdminUserPage> Users(const AdminContext& ctx, UserQuery query);
  // Every matching user as CSV (username,email,role,status,xp,joined_at,last_login).
  Result<std::string> ExportUsers(const AdminContext& ctx, UserQuery query);
  // NotFound("User not found"); PermissionDenied("Only superusers can inspect staff or superuser
  // accounts.") for staff looking at staff.
  Result<UserDetails> Details(const AdminContext& ctx, std::string_view username);
  // Superusers only (PermissionDenied("Only superusers can update user roles.")); InvalidArgument
  // for one's own role ("You cannot change your own role from the admin panel.") or an unknown role;
  // FailedPrecondition for demoting the last active superuser. Audit UPDATE_USER_ROLE {before, after}.
  Status SetRole(const AdminContext& ctx, std::string_view username, Role role);
  // Blocks an active user, unblocks a blocked one; returns is_active after. PermissionDenied per
  // the hierarchy; InvalidArgument("You cannot block yourself."); FailedPrecondition("Cannot block
  // the last active superuser account."). Audit TOGGLE_USER_BLOCK {before, after, reason}.
  Result<bool> ToggleBlock(const AdminContext& ctx, std::string_view username, std::string_view reason);
  // Blocks (active = false) or unblocks each user; users it may not change are skipped with the
  // reason. One transaction; one audit entry BULK_USER_STATUS_UPDATE per changed user.
  Result<BulkResult> BulkSetActive(const AdminContext& ctx, bool active, const std::vector<std::string>& usernames);
  // Deletes the user and what they own; the audit entry (with the username and email) is written
  // first in the same transaction. FailedPrecondition("Cannot delete the last superuser account.").
  Status DeleteUser(const AdminContext& ctx, std::string_view username, std::string_view reason);

  Result<std::vector<AdminNote>> Notes(const AdminContext& ctx, std::string_view username);
  // InvalidArgument("Note body is required.") / at most 2000 characters.
  Result<AdminNote> AddNote(const AdminContext& ctx, std::string_view username, std::string_view body, bool pinned);

  // Reports the caller may see (about users they may manage), newest first, at most 100.
  Result<std::vector<AdminReport>> Reports(const AdminContext& ctx, const ReportQuery& query);
  // NotFound("Target user not found."); InvalidArgument("Title and summary are required.") and for
  // a priority/category outside the allowed values or a context that is not a JSON object.
  Result<AdminReport> CreateReport(const AdminContext& ctx, const NewReport& report);
  // NotFound("Report not found."); InvalidArgument for a status or priority outside the allowed
  // values. RESOLVED sets resolved_at and resolved_by.
  Result<AdminReport> UpdateReport(const AdminContext& ctx, std::int64_t id, const ReportUpdate& update);

  // Notifies every active user except the sender (staff too if include_staff) with `message` as
  // the verb, stored and delivered to their notification sockets after the commit (no push).
  // InvalidArgument("Message is required") / ("Message too long (max 500 characters)"). Returns
  // the number of recipients. Audit SEND_GLOBAL_NOTIFICATION {message, recipient_count,
  // include_staff, reason}, request id = ctx.request_id.
  Result<std::int64_t> SendBroadcast(const AdminContext& ctx, std::string_view message, bool include_staff,
                                     std::string_view reason);
  // The 25 newest broadcasts.
  Result<std::vector<Broadcast>> Broadcasts(const AdminContext& ctx);
  // Sends the broadcast recorded under `request_id` again to today's recipients. NotFound("Broadcast
  // not found."). Audit RESEND_GLOBAL_NOTIFICATION.
  Result<std::int64_t> ResendBroadcast(const AdminContext& ctx, std::string_view request_id);

  // Copies a store item (Shop::Duplicate) and records DUPLICATE_STORE_ITEM.
  Result<ShopItem> DuplicateStoreItem(const AdminContext& ctx, std::int64_t item_id);

 private:
  Storage& storage_;
  Clock& clock_;
  Notifications& notifications_;
  Shop& shop_;
};

}  // namespace clash
