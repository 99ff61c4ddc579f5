// Internal: AdminStore on the shared SQL layer (tables admin_audit_log, admin_notes, admin_reports;
// migration 9, and read-only queries over the other modules' tables).
#pragma once

#include "clash/storage.h"
#include "storage/sql/sql_session.h"

namespace clash::internal {

class SqlAdminStore final : public AdminStore {
 public:
  explicit SqlAdminStore(SqlSession& session) : session_(session) {}
  Result<std::int64_t> InsertAudit(const AuditEntry& entry) override;
  Result<std::vector<AuditEntry>> QueryAudit(const AuditQuery& query, std::int64_t offset, int limit) override;
  Result<std::int64_t> CountAudit(const AuditQuery& query) override;
  Result<std::vector<AuditEntry>> AuditAbout(std::int64_t target_id, int limit) override;
  Result<std::vector<AuditEntry>> LatestOf(std::string_view action, int limit) override;
  Result<std::optional<AuditEntry>> FindByRequest(std::string_view action, std::string_view request_id) override;
  Result<std::optional<Timestamp>> LatestAuditTime() override;
  Result<std::vector<AdminUser>> ListUsers(const UserQuery& query, bool include_staff, std::int64_t offset,
                                           int limit) override;
  Result<std::int64_t> CountUsers(const UserQuery& query, bool include_staff) override;
  Result<std::vector<std::int64_t>> BroadcastRecipients(std::int64_t sender_id, bool include_staff) override;
  Result<std::int64_t> InsertNote(std::int64_t admin_id, std::int64_t target_id, std::string_view body, bool pinned,
                                  Timestamp now) override;
  Result<std::vector<AdminNote>> Notes(std::int64_t target_id, int limit) override;
  Result<std::int64_t> InsertReport(std::int64_t target_id, std::int64_t created_by, const NewReport& report,
                                    Timestamp now) override;
  Result<AdminReport> GetReport(std::int64_t id) override;
  Result<std::int64_t> ReportTarget(std::int64_t id) override;
  Status UpdateReport(std::int64_t id, const AdminReport& report, std::optional<std::int64_t> resolved_by) override;
  Result<std::vector<AdminReport>> Reports(const ReportQuery& query, bool include_staff_targets,
                                           std::optional<std::int64_t> target_id, int limit) override;
  Result<std::map<std::string, std::int64_t>> Counters(Timestamp active_since) override;
  Result<std::map<std::string, std::int64_t>> IntegrityViolations() override;
  Result<std::vector<LevelAnalytics>> LevelStats() override;
  Result<std::vector<ItemAnalytics>> ItemStats() override;
  Result<std::vector<Timestamp>> JoinTimes(Timestamp since) override;
  Result<std::vector<std::pair<std::string, std::int64_t>>> ProviderCounts() override;
  Result<std::vector<TopUser>> TopUsers(int limit) override;
  Status FillActivity(std::int64_t user_id, UserDetails& details) override;

 private:
  SqlSession& session_;
};

}  // namespace clash::internal
