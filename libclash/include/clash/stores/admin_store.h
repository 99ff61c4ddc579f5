// clash/stores/admin_store.h — storage of the admin console: the audit log, notes, reports, and
// the read-only queries behind the users list, stats, analytics and integrity checks (used by
// clash::Admin).
//
// For backend authors: implement this interface (reached through StorageTransaction, clash/storage.h)
// to add a storage backend; application code never calls it directly. Every method runs inside the
// transaction that handed the store out; the contract suite (tests/admin/) checks them on every backend.
//
// Thread-safety: a store belongs to the thread running its transaction.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clash/admin.h"
#include "clash/clock.h"
#include "clash/export.h"
#include "clash/status.h"

namespace clash {

class CLASH_EXPORT AdminStore {
 public:
  virtual ~AdminStore() = default;
  // Appends an entry (its id and created_at as given are kept; id 0 means a new one). Returns the id.
  virtual Result<std::int64_t> InsertAudit(const AuditEntry& entry) = 0;
  // Entries matching `query` in its ordering, skipping `offset`, at most `limit`; and their count.
  virtual Result<std::vector<AuditEntry>> QueryAudit(const AuditQuery& query, std::int64_t offset, int limit) = 0;
  virtual Result<std::int64_t> CountAudit(const AuditQuery& query) = 0;
  // The newest entries about `target_id`.
  virtual Result<std::vector<AuditEntry>> AuditAbout(std::int64_t target_id, int limit) = 0;
  // The newest entries of `action` (newest first), at most `limit`.
  virtual Result<std::vector<AuditEntry>> LatestOf(std::string_view action, int limit) = 0;
  // The newest entry of `action` with `request_id`, if any.
  virtual Result<std::optional<AuditEntry>> FindByRequest(std::string_view action, std::string_view request_id) = 0;
  // When the newest entry was written, if any.
  virtual Result<std::optional<Timestamp>> LatestAuditTime() = 0;

  // Users matching `query` (plain users only unless `include_staff`), newest first, with XP and the
  // newest login; and their count.
  virtual Result<std::vector<AdminUser>> ListUsers(const UserQuery& query, bool include_staff, std::int64_t offset,
                                                   int limit) = 0;
  virtual Result<std::int64_t> CountUsers(const UserQuery& query, bool include_staff) = 0;
  // Ids of active users other than `sender_id` (and not staff or superusers unless include_staff).
  virtual Result<std::vector<std::int64_t>> BroadcastRecipients(std::int64_t sender_id, bool include_staff) = 0;

  virtual Result<std::int64_t> InsertNote(std::int64_t admin_id, std::int64_t target_id, std::string_view body,
                                          bool pinned, Timestamp now) = 0;
  // Pinned first, then newest.
  virtual Result<std::vector<AdminNote>> Notes(std::int64_t target_id, int limit) = 0;

  virtual Result<std::int64_t> InsertReport(std::int64_t target_id, std::int64_t created_by, const NewReport& report,
                                            Timestamp now) = 0;
  // NotFound("Report not found.").
  virtual Result<AdminReport> GetReport(std::int64_t id) = 0;
  // The report's target user id (NotFound as GetReport).
  virtual Result<std::int64_t> ReportTarget(std::int64_t id) = 0;
  // Writes status, priority, summary, resolved_by/at and updated_at of `id`.
  virtual Status UpdateReport(std::int64_t id, const AdminReport& report, std::optional<std::int64_t> resolved_by) = 0;
  // Newest first, at most `limit`; about plain users only unless include_staff_targets;
  // target_id restricts to one user.
  virtual Result<std::vector<AdminReport>> Reports(const ReportQuery& query, bool include_staff_targets,
                                                   std::optional<std::int64_t> target_id, int limit) = 0;

  // Named counters over the whole platform: users, active_users (logged in or refreshed since
  // `active_since`), oauth_users, total_xp, levels, store_items, active_store_items,
  // featured_store_items, store_revenue, notifications, audit_logs, posts, follows, open_reports,
  // pinned_notes, players (users with a level completion).
  virtual Result<std::map<std::string, std::int64_t>> Counters(Timestamp active_since) = 0;
  // Rows breaking each invariant (see IntegrityReport).
  virtual Result<std::map<std::string, std::int64_t>> IntegrityViolations() = 0;
  // Every level in campaign order with its completions and XP paid (completion_rate left 0).
  virtual Result<std::vector<LevelAnalytics>> LevelStats() = 0;
  // Every store item with its sales, most sold first.
  virtual Result<std::vector<ItemAnalytics>> ItemStats() = 0;
  // When users joined, since `since`.
  virtual Result<std::vector<Timestamp>> JoinTimes(Timestamp since) = 0;
  virtual Result<std::vector<std::pair<std::string, std::int64_t>>> ProviderCounts() = 0;
  virtual Result<std::vector<TopUser>> TopUsers(int limit) = 0;
  // One user's activity for the details drawer (fills every field but user, notes, reports and
  // audit_logs).
  virtual Status FillActivity(std::int64_t user_id, UserDetails& details) = 0;
};

}  // namespace clash
