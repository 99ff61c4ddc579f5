// Admin: stats, analytics, integrity and health, the audit log and its CSV, broadcasts. See clash/admin.h.
#include "clash/admin.h"

#include <map>

#include "admin/admin_internal.h"
#include "clash/shop.h"

namespace clash {

using admin_internal::Entry;
using nlohmann::json;

namespace {

constexpr std::size_t kMaxBroadcastChars = 500;
constexpr int kCsvRows = 1000;

std::size_t CodePoints(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xc0) != 0x80;
  return n;
}

// New users per UTC day over the `days` days ending today, zeros included, oldest first.
std::vector<DailyCount> PerDay(const std::vector<Timestamp>& times, Timestamp now, int days) {
  const std::int64_t day_us = 86'400'000'000;
  const std::int64_t today = now.unix_micros() / day_us;
  std::map<std::int64_t, std::int64_t> counts;
  for (Timestamp t : times) ++counts[t.unix_micros() / day_us];
  std::vector<DailyCount> out;
  for (std::int64_t d = today - days + 1; d <= today; ++d) {
    auto it = counts.find(d);
    out.push_back(DailyCount{.date = Timestamp::FromUnixMicros(d * day_us).ToIso8601().substr(0, 10),
                           .count = it == counts.end() ? 0 : it->second});
  }
  return out;
}

}  // namespace

std::string CsvCell(std::string_view value) {
  std::string v(value);
  if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r')) {
    v.insert(v.begin(), '\'');
  }
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

bool IntegrityReport::ok() const {
  if (!database_online) return false;
  for (const auto& [name, n] : violations) {
    if (n != 0) return false;
  }
  return true;
}

Admin::Admin(Storage& storage, Clock& clock, Notifications& notifications, Shop& shop)
    : storage_(storage), clock_(clock), notifications_(notifications), shop_(shop) {}

Result<AdminStats> Admin::Stats(const AdminContext& ctx) {
  CLASH_RETURN_IF_ERROR(Require(ctx.actor, Permission::kViewAdmin));
  AdminStats out;
  if (Status st = storage_.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(auto c, tx.admin().Counters(clock_.Now() - std::chrono::hours(24)));
    out = AdminStats{.total_users = c["users"], .active_sessions = c["active_users"],
                     .oauth_logins = c["oauth_users"], .total_gems = c["total_xp"]};
    return Status::Ok();
  }); !st.ok()) {
    return st;
  }
  return out;
}

Result<std::vector<LevelAnalytics>> Admin::LevelStats(const AdminContext& ctx) {
  CLASH_RETURN_IF_ERROR(Require(ctx.actor, Permission::kViewAdmin));
  std::vector<LevelAnalytics> out;
  if (Status st = storage_.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(auto c, tx.admin().Counters(clock_.Now()));
    CLASH_ASSIGN_OR_RETURN(out, tx.admin().LevelStats());
    for (LevelAnalytics& l : out) {
      l.completion_rate = c["players"] == 0 ? 0.0 : 100.0 * static_cast<double>(l.completions) / c["players"];
    }
    return Status::Ok();
  }); !st.ok()) {
    return st;
  }
  return out;
}

Result<std::vector<ItemAnalytics>> Admin::StoreStats(const AdminContext& ctx) {
  CLASH_RETURN_IF_ERROR(Require(ctx.actor, Permission::kViewAdmin));
  std::vector<ItemAnalytics> out;
  if (Status st = storage_.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(out, tx.admin().ItemStats());
    return Status::Ok();
  }); !st.ok()) {
    return st;
  }
  return out;
}

Result<EngagementAnalytics> Admin::Engagement(const AdminContext& ctx) {
  CLASH_RETURN_IF_ERROR(Require(ctx.actor, Permission::kViewAdmin));
  EngagementAnalytics out;
  const Timestamp now = clock_.Now();
  if (Status st = storage_.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(auto joins, tx.admin().JoinTimes(now - std::chrono::hours(24 * 31)));
    out.daily_growth = PerDay(joins, now, 30);
    CLASH_ASSIGN_OR_RETURN(auto c, tx.admin().Counters(now - std::chrono::hours(24)));
    out.active_users_24h = c["active_users"];
    CLASH_ASSIGN_OR_RETURN(out.auth_distribution, tx.admin().ProviderCounts());
    CLASH_ASSIGN_OR_RETURN(out.top_users, tx.admin().TopUsers(10));
    return Status::Ok();
  }); !st.ok()) {
    return st;
  }
  return out;
}

Result<UltimateAnalytics> Admin::Ultimate(const AdminContext& ctx) {
  CLASH_RETURN_IF_ERROR(Require(ctx.actor, Permission::kViewAdmin));
  UltimateAnalytics out;
  const Timestamp now = clock_.Now();
  out.database_online = storage_.Ping().ok();
  if (Status st = storage_.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(auto c, tx.admin().Counters(now - std::chrono::hours(24)));
    out.total_users = c["users"];
    out.active_24h = c["active_users"];
    out.total_levels = c["levels"];
    out.store_catalog = c["active_store_items"];
    out.total_circulation_xp = c["total_xp"];
    out.total_store_revenue = c["store_revenue"];
    out.avg_xp_per_user = out.total_users == 0 ? 0.0 : static_cast<double>(out.total_circulation_xp) / out.total_users;
    out.open_reports = c["open_reports"];
    out.pinned_notes = c["pinned_notes"];
    out.featured_store_items = c["featured_store_items"];
    CLASH_ASSIGN_OR_RETURN(auto joins, tx.admin().JoinTimes(now - std::chrono::hours(24 * 32)));
    out.growth_trends = PerDay(joins, now, 31);
    CLASH_ASSIGN_OR_RETURN(out.top_levels, tx.admin().LevelStats());
    for (LevelAnalytics& l : out.top_levels) {
      l.completion_rate = c["players"] == 0 ? 0.0 : 100.0 * static_cast<double>(l.completions) / c["players"];
    }
    std::stable_sort(out.top_levels.begin(), out.top_levels.end(),
                     [](const LevelAnalytics& a, const LevelAnalytics& b) { return a.completions > b.completions; });
    if (out.top_levels.size() > 5) out.top_levels.resize(5);
    CLASH_ASSIGN_OR_RETURN(out.top_items, tx.admin().ItemStats());
    std::stable_sort(out.top_items.begin(), out.top_items.end(),
                     [](const ItemAnalytics& a, const ItemAnalytics& b) { return a.revenue > b.revenue; });
    if (out.top_items.size() > 5) out.top_items.resize(5);
    CLASH_ASSIGN_OR_RETURN(out.community_leaders, tx.admin().TopUsers(10));
    CLASH_ASSIGN_OR_RETURN(auto last, tx.admin().LatestOf(kAuditBroadcast, 1));
    if (!last.empty()) out.last_broadcast_at = last[0].created_at;
    return Status::Ok();
  }); !st.ok()) {
    return st;
  }
  return out;
}

Result<IntegrityReport> Admin::Integrity(const AdminContext& ctx) {
  CLASH_RETURN_IF_ERROR(Require(ctx.actor, Permission::kViewAdmin));
  IntegrityReport out;
  out.database_online = storage_.Ping().ok();
  if (!out.database_online) return out;
  if (Status st = storage_.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(auto c, tx.admin().Counters(clock_.Now()));
    for (const char* name : {"users", "levels", "store_items", "notifications", "audit_logs", "posts", "follows"}) {
      out.counts[name] = c[name];
    }
    CLASH_ASSIGN_OR_RETURN(out.violations, tx.admin().IntegrityViolations());
    return Status::Ok();
  }); !st.ok()) {
    return st;
  }
  return out;
}

Result<SystemHealth> Admin::Health(const AdminContext& ctx) {
  CLASH_RETURN_IF_ERROR(Require(ctx.actor, Permission::kViewAdmin));
  SystemHealth out;
  out.database_online = storage_.Ping().ok();
  out.push_enabled = notifications_.push_enabled();
  if (!out.database_online) return out;
  if (Status st = storage_.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(out.latest_audit_at, tx.admin().LatestAuditTime());
    CLASH_ASSIGN_OR_RETURN(auto last, tx.admin().LatestOf(kAuditBroadcast, 1));
    if (!last.empty()) out.latest_broadcast_at = last[0].created_at;
    CLASH_ASSIGN_OR_RETURN(auto c, tx.admin().Counters(clock_.Now()));
    out.open_reports = c["open_reports"];
    return Status::Ok();
  }); !st.ok()) {
    return st;
  }
  return out;
}

Result<AuditPage> Admin::AuditLog(const AdminContext& ctx, AuditQuery query) {
  CLASH_RETURN_IF_ERROR(Require(ctx.actor, Permission::kViewAdmin));
  if (query.page_size < 1 || query.page_size > 500) return Status::InvalidArgument("page_size must be 1-500");
  AuditPage out;
  out.page = std::max(1, query.page);
  out.page_size = query.page_size;
  if (Status st = storage_.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(out.count, tx.admin().CountAudit(query));
    const std::int64_t offset = static_cast<std::int64_t>(out.page - 1) * out.page_size;
    if (offset < out.count) {
      CLASH_ASSIGN_OR_RETURN(out.results, tx.admin().QueryAudit(query, offset, out.page_size));
    }
    return Status::Ok();
  }); !st.ok()) {
    return st;
  }
  out.total_pages = admin_internal::Pages(out.count, out.page_size);
  return out;
}

Result<std::string> Admin::AuditCsv(const AdminContext& ctx, AuditQuery query) {
  CLASH_RETURN_IF_ERROR(Require(ctx.actor, Permission::kViewAdmin));
  std::vector<AuditEntry> rows;
  if (Status st = storage_.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(rows, tx.admin().QueryAudit(query, 0, kCsvRows));
    return Status::Ok();
  }); !st.ok()) {
    return st;
  }
  std::string out = "timestamp,admin,action,target,request_id,details\r\n";
  for (const AuditEntry& e : rows) {
    out += CsvCell(e.created_at.ToIso8601()) + "," + CsvCell(e.admin_username) + "," + CsvCell(e.action) + "," +
           CsvCell(e.target_username) + "," + CsvCell(e.request_id) + "," + CsvCell(e.details_json) + "\r\n";
  }
  return out;
}

Result<std::int64_t> Admin::SendBroadcast(const AdminContext& ctx, std::string_view message, bool include_staff,
                                          std::string_view reason) {
  CLASH_RETURN_IF_ERROR(Require(ctx.actor, Permission::kViewAdmin));
  std::string text(message);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.erase(text.begin());
  if (text.empty()) return Status::InvalidArgument("Message is required");
  if (CodePoints(text) > kMaxBroadcastChars) return Status::InvalidArgument("Message too long (max 500 characters)");
  std::int64_t sent = 0;
  if (Status st = storage_.Transact([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(std::vector<std::int64_t> ids, tx.admin().BroadcastRecipients(ctx.actor.id, include_staff));
    for (std::int64_t id : ids) {
      CLASH_RETURN_IF_ERROR(notifications_.Notify(
          tx, NewNotification{.recipient_id = id, .actor_id = ctx.actor.id, .verb = text, .title = "Announcement",
                              .body = text, .data = {{"kind", "broadcast"}}, .push = false}));
    }
    sent = static_cast<std::int64_t>(ids.size());
    return admin_internal::Record(tx, Entry(ctx, kAuditBroadcast, nullptr,
                           json{{"message", text}, {"recipient_count", sent}, {"include_staff", include_staff},
                                {"reason", std::string(reason)}},
                           clock_.Now()));
  }); !st.ok()) {
    return st;
  }
  return sent;
}

Result<std::vector<Broadcast>> Admin::Broadcasts(const AdminContext& ctx) {
  CLASH_RETURN_IF_ERROR(Require(ctx.actor, Permission::kViewAdmin));
  std::vector<AuditEntry> rows;
  if (Status st = storage_.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(rows, tx.admin().LatestOf(kAuditBroadcast, 25));
    return Status::Ok();
  }); !st.ok()) {
    return st;
  }
  std::vector<Broadcast> out;
  for (const AuditEntry& e : rows) {
    json d = json::parse(e.details_json, nullptr, false);
    if (!d.is_object()) d = json::object();
    out.push_back(Broadcast{.request_id = e.request_id,
                            .message = d.value("message", ""),
                            .recipient_count = d.value("recipient_count", std::int64_t{0}),
                            .include_staff = d.value("include_staff", false),
                            .reason = d.value("reason", ""),
                            .admin = e.admin_username,
                            .sent_at = e.created_at});
  }
  return out;
}

Result<std::int64_t> Admin::ResendBroadcast(const AdminContext& ctx, std::string_view request_id) {
  CLASH_RETURN_IF_ERROR(Require(ctx.actor, Permission::kViewAdmin));
  std::optional<AuditEntry> original;
  if (Status st = storage_.Read([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(original, tx.admin().FindByRequest(kAuditBroadcast, request_id));
    return Status::Ok();
  }); !st.ok()) {
    return st;
  }
  if (!original || request_id.empty()) return Status::NotFound("Broadcast not found.");
  json d = json::parse(original->details_json, nullptr, false);
  const std::string message = d.is_object() ? d.value("message", "") : "";
  if (message.empty()) return Status::InvalidArgument("Broadcast message missing.");
  const bool include_staff = d.value("include_staff", false);
  std::int64_t sent = 0;
  if (Status st = storage_.Transact([&](StorageTransaction& tx) -> Status {
    CLASH_ASSIGN_OR_RETURN(std::vector<std::int64_t> ids, tx.admin().BroadcastRecipients(ctx.actor.id, include_staff));
    for (std::int64_t id : ids) {
      CLASH_RETURN_IF_ERROR(notifications_.Notify(
          tx, NewNotification{.recipient_id = id, .actor_id = ctx.actor.id, .verb = message, .title = "Announcement",
                              .body = message, .data = {{"kind", "broadcast"}}, .push = false}));
    }
    sent = static_cast<std::int64_t>(ids.size());
    return admin_internal::Record(tx, Entry(ctx, kAuditResend, nullptr,
                           json{{"original_request_id", std::string(request_id)}, {"message", message},
                                {"recipient_count", sent}},
                           clock_.Now()));
  }); !st.ok()) {
    return st;
  }
  return sent;
}

Result<ShopItem> Admin::DuplicateStoreItem(const AdminContext& ctx, std::int64_t item_id) {
  CLASH_RETURN_IF_ERROR(Require(ctx.actor, Permission::kViewAdmin));
  // The copy (inactive until staff publish it) and its audit record commit together.
  return shop_.Duplicate(ctx.actor, item_id, [&](StorageTransaction& tx, const ShopItem& copy) -> Status {
    return admin_internal::Record(tx, Entry(ctx, kAuditDuplicateItem, nullptr,
                                            json{{"source_item_id", item_id}, {"new_item_id", copy.id}, {"name", copy.name}},
                                            clock_.Now()));
  });
}

}  // namespace clash
